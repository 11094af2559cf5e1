package net.edgegw.mgmt.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.testing.RunningServer;
import net.edgegw.mgmt.testing.RunningServer.Creds;
import net.edgegw.mgmt.testing.RunningServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Users, tokens and sessions: who manages which token, the last admin, and which sessions a change ends. */
class UserApiTest {
    private RunningServer s;
    private Creds admin;

    @BeforeEach
    void start() {
        s = RunningServer.start();
        s.setUp();
        admin = s.adminSession();
    }

    @AfterEach
    void stop() {
        s.close();
    }

    private boolean alive(Creds c) {
        return s.get("/api/v1/session", c).json().getBoolean("authenticated");
    }

    private static Set<String> owners(Reply r) {
        assertEquals(200, r.status(), r.body());
        Set<String> out = new TreeSet<>();
        JsonArray a = r.array();
        for (int i = 0; i < a.size(); i++) {
            out.add(a.getJsonObject(i).getString("owner"));
            assertFalse(a.getJsonObject(i).containsKey("secret"), "a listed token never shows its secret");
        }
        return out;
    }

    @Test
    void everyoneManagesTheirOwnTokensAndAdminsManageAll() {
        s.createUser(admin, "vera", "viewer");
        Creds vera = s.session("vera", "vera-password-1");
        String adminTokenSecret = s.createToken(admin, "admin");
        String adminTokenId = s.get("/api/v1/tokens", admin).array().getJsonObject(0).getString("id");

        Reply mine = s.call(HttpMethod.POST, "/api/v1/tokens", vera, new JsonObject().put("name", "ci")
                .put("role", "viewer"));
        assertEquals(201, mine.status(), mine.body());
        assertTrue(mine.json().getString("secret").startsWith("egw_"));
        Reply tooMuch = s.call(HttpMethod.POST, "/api/v1/tokens", vera, new JsonObject().put("name", "x")
                .put("role", "admin"));
        assertEquals(403, tooMuch.status(), "no token above its owner: " + tooMuch.body());

        assertEquals(Set.of("vera"), owners(s.get("/api/v1/tokens", vera)));
        assertEquals(Set.of("root", "vera"), owners(s.get("/api/v1/tokens", admin)));
        assertEquals(404, s.call(HttpMethod.DELETE, "/api/v1/tokens/" + adminTokenId, vera, null).status(),
                "someone else's token is not found, not forbidden");
        assertEquals(200, s.get("/api/v1/status", Creds.bearer(adminTokenSecret)).status(), "still valid");

        String veraTokenId = mine.json().getString("id");
        Creds veraToken = Creds.bearer(mine.json().getString("secret"));
        assertEquals(200, s.get("/api/v1/tokens", veraToken).status());
        assertEquals(204, s.call(HttpMethod.DELETE, "/api/v1/tokens/" + veraTokenId, vera, null).status());
        assertEquals(401, s.get("/api/v1/status", veraToken).status(), "a revoked token stops at once");
        assertEquals(204, s.call(HttpMethod.DELETE, "/api/v1/tokens/" + adminTokenId, admin, null).status());
        assertTrue(s.backend.recent(50).stream().anyMatch(e -> e.action().equals("token.revoke")));
    }

    @Test
    void theLastAdminCannotBeDemotedOrDeletedEvenByTwoAdminsAtOnce() throws Exception {
        Reply self = s.call(HttpMethod.PUT, "/api/v1/users/root", admin, new JsonObject().put("role", "viewer"));
        assertEquals(409, self.status(), self.body());
        assertEquals(409, s.call(HttpMethod.DELETE, "/api/v1/users/root", admin, null).status());
        for (int round = 0; round < 10; round++) {
            String other = "adm" + round;
            s.createUser(admin, other, "admin");
            Creds a = s.session(other, other + "-password-1");
            CountDownLatch go = new CountDownLatch(1);
            // root deletes the other admin while the other admin demotes root.
            CompletableFuture<Integer> x = CompletableFuture.supplyAsync(() -> {
                await(go);
                return s.call(HttpMethod.DELETE, "/api/v1/users/" + other, admin, null).status();
            });
            CompletableFuture<Integer> y = CompletableFuture.supplyAsync(() -> {
                await(go);
                return s.call(HttpMethod.PUT, "/api/v1/users/root", a, new JsonObject().put("role", "operator"))
                        .status();
            });
            go.countDown();
            List<Integer> statuses = List.of(x.get(30, TimeUnit.SECONDS), y.get(30, TimeUnit.SECONDS));
            long admins = s.backend.list().stream().filter(u -> u.role() == Role.ADMIN).count();
            assertTrue(admins >= 1, "round " + round + " left no admin: " + statuses);
            if (s.backend.user("root").orElseThrow().role() != Role.ADMIN) {
                return; // root was demoted (the other admin won): the race was real; nothing more to set up
            }
        }
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void demotionDeletionAndPasswordResetEndThatUsersSessionsOnly() {
        for (String u : new String[] {"ann", "bob", "cid"}) {
            s.createUser(admin, u, "operator");
        }
        Creds ann1 = s.session("ann", "ann-password-1");
        Creds ann2 = s.session("ann", "ann-password-1");
        Creds bob = s.session("bob", "bob-password-1");
        Creds cid = s.session("cid", "cid-password-1");
        String annToken = s.createToken(ann1, "operator");
        Creds annBearer = Creds.bearer(annToken);

        assertEquals(200, s.call(HttpMethod.PUT, "/api/v1/users/ann", admin, new JsonObject().put("role", "viewer"))
                .status());
        assertFalse(alive(ann1));
        assertFalse(alive(ann2));
        assertTrue(alive(bob) && alive(cid) && alive(admin), "other users keep their sessions");
        Reply capped = s.call(HttpMethod.POST, "/api/v1/status/tunnels/x/restart", annBearer, null);
        assertEquals(403, capped.status(), "the token stays but is capped by the new role: " + capped.body());

        assertEquals(200, s.call(HttpMethod.PUT, "/api/v1/users/bob", admin, new JsonObject()
                .put("password", "a-new-password-for-bob")).status());
        assertFalse(alive(bob));
        assertTrue(alive(cid) && alive(admin));
        assertEquals(200, s.login("bob", "a-new-password-for-bob").status());

        assertEquals(204, s.call(HttpMethod.DELETE, "/api/v1/users/cid", admin, null).status());
        assertFalse(alive(cid));
        assertTrue(alive(admin));
        assertEquals(200, s.get("/api/v1/status", annBearer).status(), "ann's token was not revoked");

        // An admin changing their own role keeps the session that did it (here: nothing to demote to, so a
        // password reset of their own account).
        Creds admin2 = s.adminSession();
        assertEquals(200, s.call(HttpMethod.PUT, "/api/v1/users/root", admin, new JsonObject()
                .put("password", "root-second-password")).status());
        assertTrue(alive(admin), "the session that made the change stays");
        assertFalse(alive(admin2), "the admin's other session ends");
    }

    @Test
    void ownPasswordChangeNeedsTheCurrentOneAndEndsOnlyTheOtherSessions() {
        s.createUser(admin, "vera", "viewer");
        Creds here = s.session("vera", "vera-password-1");
        Creds elsewhere = s.session("vera", "vera-password-1");
        String token = s.createToken(here, "viewer");

        Reply wrong = s.call(HttpMethod.PUT, "/api/v1/session/password", here, new JsonObject()
                .put("currentPassword", "not-it-at-all").put("newPassword", "vera-password-2"));
        assertEquals(422, wrong.status(), wrong.body());
        assertTrue(wrong.body().contains("currentPassword"), wrong.body());
        Reply weak = s.call(HttpMethod.PUT, "/api/v1/session/password", here, new JsonObject()
                .put("currentPassword", "vera-password-1").put("newPassword", "short"));
        assertEquals(400, weak.status(), weak.body());

        Reply ok = s.call(HttpMethod.PUT, "/api/v1/session/password", here, new JsonObject()
                .put("currentPassword", "vera-password-1").put("newPassword", "vera-password-2"));
        assertEquals(204, ok.status(), ok.body());
        assertTrue(alive(here), "the session that changed it stays");
        assertFalse(alive(elsewhere), "the other session ends");
        assertTrue(alive(admin), "other users are untouched");
        assertEquals(200, s.get("/api/v1/status", Creds.bearer(token)).status(), "tokens stay");
        assertEquals(401, s.login("vera", "vera-password-1").status());
        assertEquals(200, s.login("vera", "vera-password-2").status());

        // Guessing the current password is throttled like logins.
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            statuses.add(s.call(HttpMethod.PUT, "/api/v1/session/password", here, new JsonObject()
                    .put("currentPassword", "guess-" + i).put("newPassword", "vera-password-3")).status());
        }
        assertTrue(statuses.contains(429), "guesses are throttled: " + statuses);
    }
}
