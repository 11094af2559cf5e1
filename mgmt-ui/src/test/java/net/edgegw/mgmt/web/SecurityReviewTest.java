package net.edgegw.mgmt.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.edgegw.mgmt.testing.RunningServer;
import net.edgegw.mgmt.testing.RunningServer.Creds;
import net.edgegw.mgmt.testing.RunningServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a second look at the auth code found, each as a test: security headers on every kind of answer (errors of
 * every status, page modules, HEAD), tokens cannot mint tokens, a login never keeps an old session id.
 */
class SecurityReviewTest {
    private static RunningServer s;
    private static Creds admin;
    private static Creds adminToken;

    @BeforeAll
    static void start() {
        s = RunningServer.start();
        s.setUp();
        admin = s.adminSession();
        adminToken = Creds.bearer(s.createToken(admin, "admin"));
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    private static void assertHardened(String what, Reply r) {
        String csp = r.headers().get("Content-Security-Policy");
        assertNotNull(csp, what + " has no CSP");
        assertTrue(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"), what + ": " + csp);
        assertEquals("max-age=31536000", r.headers().get("Strict-Transport-Security"), what);
        assertEquals("DENY", r.headers().get("X-Frame-Options"), what);
        assertEquals("nosniff", r.headers().get("X-Content-Type-Options"), what);
        assertEquals("no-referrer", r.headers().get("Referrer-Policy"), what);
    }

    @Test
    void everyKindOfAnswerCarriesTheSecurityHeaders() {
        Map<String, Reply> answers = new java.util.LinkedHashMap<>();
        answers.put("page module", s.get("/pages/users.js", Creds.NONE));
        answers.put("HEAD /", s.call(HttpMethod.HEAD, "/", Creds.NONE, null));
        answers.put("400 schema", s.call(HttpMethod.POST, "/api/v1/users", adminToken, new JsonObject()));
        answers.put("400 malformed", s.call(HttpMethod.POST, "/api/v1/users", adminToken, Buffer.buffer("{")));
        answers.put("401", s.get("/api/v1/users", Creds.NONE));
        answers.put("401 bad token", s.get("/api/v1/users", Creds.bearer("egw_nope")));
        answers.put("403 csrf", s.call(HttpMethod.POST, "/api/v1/users", admin.withoutCsrf(), new JsonObject()));
        answers.put("404", s.get("/api/v1/users/nobody-here/x", adminToken));
        answers.put("405", s.call(HttpMethod.PATCH, "/api/v1/users", adminToken, new JsonObject()));
        answers.put("413", s.call(HttpMethod.POST, "/api/v1/users", adminToken,
                Buffer.buffer("{\"name\":\"" + "a".repeat((int) BodyPolicy.JSON_LIMIT) + "\"}")));
        answers.put("415", s.call(HttpMethod.POST, "/api/v1/users", adminToken, Buffer.buffer("name=x"),
                Map.of("Content-Type", "application/x-www-form-urlencoded")));
        answers.put("409", s.call(HttpMethod.DELETE, "/api/v1/users/" + RunningServer.ADMIN, adminToken, null));
        for (Map.Entry<String, Reply> e : answers.entrySet()) {
            assertHardened(e.getKey(), e.getValue());
        }
        assertEquals(413, answers.get("413").status());
        assertEquals(405, answers.get("405").status());
        assertEquals(200, answers.get("page module").status());
        assertEquals("no-store", answers.get("401").headers().get("Cache-Control"));
    }

    @Test
    void throttledLoginsCarryThemToo() {
        // Its own server: the throttle also counts the (loopback) address, which the other tests log in from.
        try (RunningServer own = RunningServer.start(o -> o.loginThrottle(3, java.time.Duration.ofMinutes(15)))) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Reply r = own.login("mallory", "wrong-password-" + i);
                assertHardened("login " + i, r);
                statuses.add(r.status());
            }
            assertEquals(List.of(401, 401, 401, 429), statuses);
        }
    }

    @Test
    void aTokenCannotMintTokens() {
        Reply r = s.call(HttpMethod.POST, "/api/v1/tokens", adminToken, new JsonObject().put("name", "successor")
                .put("role", "viewer"));
        assertEquals(403, r.status(), "a leaked token must not outlive its revocation through a successor: " + r.body());
        assertTrue(s.backend.tokens().stream().noneMatch(t -> t.name().equals("successor")));
        assertEquals(201, s.call(HttpMethod.POST, "/api/v1/tokens", admin, new JsonObject().put("name", "from-ui")
                .put("role", "viewer")).status(), "a logged-in session can");
    }

    @Test
    void aLoginEndsTheSessionTheBrowserAlreadyHad() {
        Creds before = s.adminSession();
        Reply again = s.call(HttpMethod.POST, "/api/v1/session", before, new JsonObject()
                .put("username", RunningServer.ADMIN).put("password", RunningServer.ADMIN_PASSWORD));
        assertEquals(200, again.status(), again.body());
        String fresh = again.headers().get("Set-Cookie").split(";", 2)[0];
        assertFalse(fresh.equals(before.cookie()), "a new session id");
        assertFalse(s.get("/api/v1/session", before).json().getBoolean("authenticated"),
                "the old (possibly planted) session id is dead");
        assertTrue(s.get("/api/v1/session", new Creds(fresh, null, null)).json().getBoolean("authenticated"));
    }
}
