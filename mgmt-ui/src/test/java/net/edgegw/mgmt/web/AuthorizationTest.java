package net.edgegw.mgmt.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.edgegw.mgmt.port.CertificateInfo;
import net.edgegw.mgmt.testing.RunningServer;
import net.edgegw.mgmt.testing.RunningServer.Creds;
import net.edgegw.mgmt.testing.RunningServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route of the real router, enumerated (so a new route cannot slip through), against the OpenAPI document
 * and against each kind of caller; CSRF, cookie flags and security headers.
 */
class AuthorizationTest {
    private static final Set<String> RANKS = Set.of("public", "viewer", "operator", "admin");
    private static RunningServer s;
    private static Creds admin;
    private static Creds adminToken;
    private static Creds viewer;
    private static Creds operatorToken;

    @BeforeAll
    static void start() {
        s = RunningServer.start();
        s.setUp();
        admin = s.adminSession();
        s.createUser(admin, "vera", "viewer");
        s.createUser(admin, "otto", "operator");
        viewer = s.session("vera", "vera-password-1");
        operatorToken = Creds.bearer(s.createToken(admin, "operator"));
        adminToken = Creds.bearer(s.createToken(admin, "admin"));
        // Things for the read routes (and the harmless restart) to find, so that "allowed" means 2xx there.
        assertEquals(201, s.call(HttpMethod.POST, "/api/v1/clusters", adminToken, new JsonObject().put("name", "c1")
                .put("podCidr", "10.244.0.0/16").put("serviceCidr", "10.96.0.0/12")).status());
        assertEquals(201, s.call(HttpMethod.POST, "/api/v1/peers", adminToken, new JsonObject().put("name", "p1")
                .put("address", "192.0.2.1").put("remoteId", "gw").put("auth", "psk")
                .put("psk", "authz-test-psk-0123")).status());
        assertEquals(201, s.call(HttpMethod.POST, "/api/v1/connections", adminToken, new JsonObject()
                .put("name", "t1").put("peer", "p1").put("cluster", "c1").put("remoteCidr", "10.1.0.0/16")).status());
        s.backend.putCertificate(new CertificateInfo("gw1", CertificateInfo.Kind.GATEWAY, "CN=gw1", "CN=gw1", "01",
                Instant.EPOCH, Instant.EPOCH.plusSeconds(86_400), List.of(), true, true, List.of()),
                "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
                "-----BEGIN CERTIFICATE REQUEST-----\n-----END CERTIFICATE REQUEST-----\n");
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    private static int rank(String role) {
        return List.of("public", "viewer", "operator", "admin").indexOf(role);
    }

    private static List<RouteTable.Entry> routes() {
        List<RouteTable.Entry> routes = new ArrayList<>(RouteTable.walk(s.server.router()));
        // Logging out ends the session the viewer column uses: do it last.
        routes.sort((a, b) -> Boolean.compare(isLogout(a), isLogout(b)));
        return routes;
    }

    private static boolean isLogout(RouteTable.Entry e) {
        return e.method() == HttpMethod.DELETE && e.path().equals("/api/v1/session");
    }

    /** Reads and the tunnel restart change nothing: they get real names and must then answer 2xx. */
    private static boolean harmless(RouteTable.Entry e) {
        return e.method() == HttpMethod.GET || e.path().endsWith("/restart");
    }

    /**
     * A concrete URL for a route: harmless ones name things that exist; the others name things that do not, so
     * that nothing is really changed (an allowed caller then gets 404/422, a refused one 401/403).
     */
    private static String concrete(RouteTable.Entry e) {
        if (!harmless(e)) {
            return e.path().replace(":rev", "999999").replaceAll(":[a-z]+", "nonexistent");
        }
        String p = e.path().replace(":rev", "1");
        for (String[] c : new String[][] {{"clusters", "c1"}, {"peers", "p1"}, {"connections", "t1"},
                {"tunnels", "t1"}, {"certificates", "gw1"}}) {
            p = p.replace("/" + c[0] + "/:name", "/" + c[0] + "/" + c[1]);
        }
        // The event stream would run for five minutes: one event is enough to see who may open it.
        return p.endsWith("/status/stream") ? p + "?limit=1" : p;
    }

    private static Reply call(RouteTable.Entry e, Creds creds) {
        boolean body = e.method() == HttpMethod.POST || e.method() == HttpMethod.PUT;
        return s.call(e.method(), concrete(e), creds, body ? new JsonObject() : null);
    }

    @Test
    void routerAndOpenApiDocumentListTheSameOperationsWithTheSameRoles() {
        Reply doc = s.get("/api/openapi.json", Creds.NONE);
        assertEquals(200, doc.status(), "the document is readable without login");
        assertTrue(doc.json().getString("openapi").startsWith("3."));
        Map<String, String> documented = new TreeMap<>();
        JsonObject paths = doc.json().getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            JsonObject ops = paths.getJsonObject(path);
            for (String method : ops.fieldNames()) {
                String role = ops.getJsonObject(method).getString("x-edgegw-role");
                assertTrue(RANKS.contains(role), method + " " + path + " has role " + role);
                documented.put(method.toUpperCase(Locale.ROOT) + " " + path, role);
            }
        }
        Map<String, String> routed = new TreeMap<>();
        for (RouteTable.Entry e : RouteTable.walk(s.server.router())) {
            routed.put(e.method().name() + " " + e.path().replaceAll(":([a-z]+)", "{$1}"), e.role());
        }
        Set<String> undocumented = new TreeSet<>(routed.keySet());
        undocumented.removeAll(documented.keySet());
        Set<String> unrouted = new TreeSet<>(documented.keySet());
        unrouted.removeAll(routed.keySet());
        assertTrue(undocumented.isEmpty(), "routes missing from openapi.json: " + undocumented);
        assertTrue(unrouted.isEmpty(), "openapi.json operations with no route: " + unrouted);
        assertEquals(documented, routed, "roles in openapi.json (x-edgegw-role) vs the router");
        assertTrue(routed.size() >= 30, "expected the whole API, got " + routed.size());

        // Every $ref points at a component that exists.
        JsonObject components = doc.json().getJsonObject("components");
        Matcher m = Pattern.compile("\"\\$ref\"\\s*:\\s*\"#/components/(\\w+)/(\\w+)\"")
                .matcher(doc.body());
        int refs = 0;
        while (m.find()) {
            assertNotNull(components.getJsonObject(m.group(1)).getValue(m.group(2)), "dangling $ref " + m.group());
            refs++;
        }
        assertTrue(refs > 30, "refs checked: " + refs);
    }

    @Test
    void everyRouteAnswersEachCallerPerItsRole() {
        List<String> wrong = new ArrayList<>();
        for (RouteTable.Entry e : routes()) {
            int need = rank(e.role());
            expect(wrong, e, "anonymous", call(e, Creds.NONE), need == 0 ? 0 : 401);
            expect(wrong, e, "operator token", call(e, operatorToken), need <= rank("operator") ? 0 : 403);
            expect(wrong, e, "admin token", call(e, adminToken), 0);
            expect(wrong, e, "viewer session", call(e, viewer), need <= rank("viewer") ? 0 : 403);
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /**
     * {@code expected} 0 means "let through": 2xx for a harmless route, else anything but 401/403 (the handler
     * then says 404, 422, ...).
     */
    private static void expect(List<String> wrong, RouteTable.Entry e, String who, Reply r, int expected) {
        boolean passed = harmless(e) ? r.status() / 100 == 2 : r.status() != 401 && r.status() != 403;
        boolean ok = expected == 0 ? passed : r.status() == expected;
        if (!ok || r.status() >= 500) {
            wrong.add(e.method() + " " + e.path() + " [" + e.role() + "] as " + who + ": " + r.status() + " "
                    + r.body());
        }
        if (r.status() >= 400) {
            assertEquals(ProblemHandler.CONTENT_TYPE, r.headers().get("Content-Type"), e + " " + r.body());
        }
    }

    /**
     * No, a wrong and a stale CSRF token are refused on every state-changing route. Stale: the token of an earlier
     * session of the same user, logged out since, with the cookie of the current one; and the token of another
     * session of that user still open (a token belongs to its session, not to its user).
     */
    @Test
    void browserSessionsNeedTheCsrfHeaderOnEveryStateChange() {
        Creds earlier = s.adminSession();
        assertEquals(204, s.call(HttpMethod.DELETE, "/api/v1/session", earlier, null).status());
        Creds other = s.adminSession();
        Creds session = s.adminSession();
        assertFalse(earlier.csrf().equals(session.csrf()) || other.csrf().equals(session.csrf()),
                "each session has its own CSRF token");
        Map<String, Creds> refused = Map.of(
                "no CSRF token", session.withoutCsrf(),
                "a wrong CSRF token", new Creds(session.cookie(), "x" + session.csrf(), null),
                "the CSRF token of a logged-out earlier session", new Creds(session.cookie(), earlier.csrf(), null),
                "the CSRF token of another open session", new Creds(session.cookie(), other.csrf(), null));
        int checked = 0;
        for (RouteTable.Entry e : routes()) {
            if (e.method() == HttpMethod.GET) {
                continue;
            }
            for (Map.Entry<String, Creds> c : refused.entrySet()) {
                Reply r = call(e, c.getValue());
                assertEquals(403, r.status(), e + " with " + c.getKey() + ": " + r.body());
                assertEquals("urn:edgegw:problem:csrf", r.json().getString("type"), e + " with " + c.getKey());
            }
            checked++;
        }
        assertTrue(checked >= 15, "state-changing routes checked: " + checked);
        JsonObject cluster = new JsonObject().put("name", "csrf-ok").put("podCidr", "10.1.0.0/16")
                .put("serviceCidr", "10.2.0.0/16");
        assertEquals(201, s.call(HttpMethod.POST, "/api/v1/clusters", session, cluster).status());
        assertEquals(201, s.call(HttpMethod.POST, "/api/v1/clusters", adminToken, cluster.put("name", "bearer-ok"))
                .status(), "bearer tokens need no CSRF header");
    }

    @Test
    void sessionCookieIsHostOnlySecureHttpOnlyStrictAndLogoutEndsIt() {
        Reply login = s.login(RunningServer.ADMIN, RunningServer.ADMIN_PASSWORD);
        String cookie = login.headers().get("Set-Cookie");
        assertNotNull(cookie);
        assertTrue(cookie.startsWith("__Host-edgegw-session="), cookie);
        String flags = cookie.toLowerCase(Locale.ROOT);
        assertTrue(flags.contains("; secure"), cookie);
        assertTrue(flags.contains("; httponly"), cookie);
        assertTrue(flags.contains("; samesite=strict"), cookie);
        assertTrue(flags.contains("; path=/"), cookie);
        assertFalse(flags.contains("domain="), cookie);
        Creds c = new Creds(cookie.split(";", 2)[0], login.json().getString("csrfToken"), null);
        assertEquals(200, s.get("/api/v1/clusters", c).status());
        assertEquals(204, s.call(HttpMethod.DELETE, "/api/v1/session", c, null).status());
        assertEquals(401, s.get("/api/v1/clusters", c).status(), "the session is gone after logout");
        assertFalse(s.get("/api/v1/session", c).json().getBoolean("authenticated"));
    }

    @Test
    void securityHeadersOnPagesAssetsApiAndErrors() {
        for (String path : List.of("/", "/setup", "/app.js", "/app.css", "/api/openapi.json", "/api/v1/clusters",
                "/no-such-page", "/api/v1/no-such-thing")) {
            Reply r = s.get(path, Creds.NONE);
            String csp = r.headers().get("Content-Security-Policy");
            assertNotNull(csp, path);
            assertTrue(csp.contains("script-src 'self'") && csp.contains("style-src 'self'"), csp);
            assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
            assertTrue(csp.contains("frame-ancestors 'none'"), csp);
            assertTrue(r.headers().get("Strict-Transport-Security").startsWith("max-age="), path);
            assertEquals("DENY", r.headers().get("X-Frame-Options"), path);
            assertEquals("nosniff", r.headers().get("X-Content-Type-Options"), path);
            assertEquals("no-referrer", r.headers().get("Referrer-Policy"), path);
        }
        assertEquals("no-store", s.get("/api/v1/clusters", adminToken).headers().get("Cache-Control"));
    }

    @Test
    void revokedTokensAndDeletedUsersLoseAccessAtOnce() {
        Reply created = s.call(HttpMethod.POST, "/api/v1/tokens", admin,
                new JsonObject().put("name", "ci").put("role", "viewer"));
        assertEquals(201, created.status(), created.body());
        String secret = created.json().getString("secret");
        String id = created.json().getString("id");
        assertTrue(secret.length() >= 43, "256-bit secret");
        assertEquals(200, s.get("/api/v1/clusters", Creds.bearer(secret)).status());
        assertEquals(403, s.call(HttpMethod.POST, "/api/v1/clusters", Creds.bearer(secret), new JsonObject())
                .status(), "a viewer token cannot write");
        // Shown once: neither the listing nor the store has the secret.
        String listing = s.get("/api/v1/tokens", adminToken).body();
        assertTrue(listing.contains(id) && !listing.contains(secret), listing);
        assertTrue(s.backend.tokens().stream().noneMatch(t -> t.secretHash().contains(secret)));
        assertEquals(204, s.call(HttpMethod.DELETE, "/api/v1/tokens/" + id, adminToken, null).status());
        assertEquals(401, s.get("/api/v1/clusters", Creds.bearer(secret)).status());

        s.createUser(admin, "gone", "operator");
        Creds gone = s.session("gone", "gone-password-1");
        assertEquals(200, s.get("/api/v1/status", gone).status());
        assertEquals(204, s.call(HttpMethod.DELETE, "/api/v1/users/gone", adminToken, null).status());
        assertEquals(401, s.get("/api/v1/status", gone).status());
        assertEquals(409, s.call(HttpMethod.DELETE, "/api/v1/users/" + RunningServer.ADMIN, adminToken, null)
                .status(), "the last admin stays");
        assertTrue(s.backend.recent(1000).stream().anyMatch(e -> e.action().equals("token.revoke")));
        assertTrue(s.backend.recent(1000).stream().anyMatch(e -> e.action().equals("login")
                && e.actor().equals("vera")));
    }
}
