package net.edgegw.mgmt.api;

import static net.edgegw.mgmt.port.TunnelStatus.StateWord.ESTABLISHED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.edgegw.mgmt.port.CertificateInfo;
import net.edgegw.mgmt.port.Change;
import net.edgegw.mgmt.port.Cluster;
import net.edgegw.mgmt.port.ConfigItem;
import net.edgegw.mgmt.port.Connection;
import net.edgegw.mgmt.port.Peer;
import net.edgegw.mgmt.port.Secret;
import net.edgegw.mgmt.port.TunnelStatus;
import net.edgegw.mgmt.testing.RunningServer;
import net.edgegw.mgmt.testing.RunningServer.Creds;
import net.edgegw.mgmt.testing.RunningServer.Reply;
import net.edgegw.mgmt.web.BodyPolicy;
import net.edgegw.mgmt.web.ProblemHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Config CRUD, revisions, status and every kind of bad input, through a real server. */
class ConfigApiTest {
    private static RunningServer s;
    private static Creds admin;

    @BeforeAll
    static void start() {
        s = RunningServer.start();
        s.setUp();
        admin = Creds.bearer(s.createToken(s.adminSession(), "admin"));
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    private static Reply post(String path, JsonObject body) {
        return s.call(HttpMethod.POST, path, admin, body);
    }

    private static Set<String> fields(Reply r) {
        assertEquals(ProblemHandler.CONTENT_TYPE, r.headers().get("Content-Type"), r.body());
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), "no stack trace: " + r.body());
        Set<String> out = new TreeSet<>();
        JsonArray errors = r.json().getJsonArray("errors", new JsonArray());
        for (int i = 0; i < errors.size(); i++) {
            out.add(errors.getJsonObject(i).getString("field"));
        }
        return out;
    }

    @Test
    void invalidClusterListsEveryBadField() {
        Reply r = post("/api/v1/clusters", new JsonObject().put("name", "Bad_Name").put("podCidr", "10.244.0.1/16")
                .put("nodeCidr", "not-a-cidr").put("description", 42).put("colour", "blue"));
        // What the OpenAPI schema says (types, patterns, required, unknown members) is checked first: 400.
        assertEquals(400, r.status(), r.body());
        assertEquals(Set.of("name", "serviceCidr", "description", "colour"), fields(r));
        assertEquals(400, r.json().getInteger("status"));
        assertEquals("/api/v1/clusters", r.json().getString("instance"));
        // Then the handler's own checks, each bad field listed: 422.
        Reply semantic = post("/api/v1/clusters", new JsonObject().put("name", "bad").put("podCidr", "10.244.0.1/16")
                .put("serviceCidr", "10.96.0.0/12").put("nodeCidr", "not-a-cidr"));
        assertEquals(422, semantic.status(), semantic.body());
        assertEquals(Set.of("podCidr", "nodeCidr"), fields(semantic));
        assertTrue(semantic.body().contains("did you mean 10.244.0.0/16"), semantic.body());

        Reply overlap = post("/api/v1/clusters", new JsonObject().put("name", "ov").put("podCidr", "10.0.0.0/8")
                .put("serviceCidr", "10.96.0.0/12").put("nodeCidr", "fd00::/64"));
        assertEquals(Set.of("serviceCidr"), fields(overlap));
    }

    /** The PSK is write-only: accepted, kept on a PUT without it, never in a GET, an audit event or a diff. */
    @Test
    void peerAuthenticationAndTheWriteOnlyPsk() {
        String key = "very-secret-psk-0123456789";
        Reply bad = post("/api/v1/peers", new JsonObject().put("name", "pa").put("address", "192.0.2.9")
                .put("remoteId", "gw.pa").put("auth", "psk").put("psk", "short").put("ikeProposals", "aes 128"));
        assertEquals(400, bad.status(), "the schema's minimum length comes first: " + bad.body());
        assertEquals(Set.of("psk"), fields(bad));
        Reply badProposal = post("/api/v1/peers", new JsonObject().put("name", "pa").put("address", "192.0.2.9")
                .put("remoteId", "gw.pa").put("auth", "psk").put("psk", key).put("ikeProposals", "aes 128"));
        assertEquals(422, badProposal.status(), badProposal.body());
        assertEquals(Set.of("ikeProposals"), fields(badProposal));
        Reply noKey = post("/api/v1/peers", new JsonObject().put("name", "pa").put("address", "192.0.2.9")
                .put("remoteId", "gw.pa").put("auth", "psk"));
        assertEquals(Set.of("psk"), fields(noKey));
        Reply noAuth = post("/api/v1/peers", new JsonObject().put("name", "pa").put("address", "192.0.2.9")
                .put("remoteId", "gw.pa").put("auth", "password"));
        assertEquals(Set.of("auth"), fields(noAuth));
        Reply cert = post("/api/v1/peers", new JsonObject().put("name", "pa").put("address", "192.0.2.9")
                .put("remoteId", "gw.pa").put("auth", "certificate").put("psk", key));
        assertEquals(Set.of("psk", "certificate", "ca"), fields(cert));

        Reply created = post("/api/v1/peers", new JsonObject().put("name", "pa").put("address", "192.0.2.9")
                .put("localId", "gw.local").put("remoteId", "gw.pa").put("auth", "psk").put("psk", key)
                .put("ikeProposals", "aes256gcm16-prfsha384-ecp384,aes128gcm16-prfsha256-x25519"));
        assertEquals(201, created.status(), created.body());
        JsonObject got = s.get("/api/v1/peers/pa", admin).json();
        assertEquals(true, got.getBoolean("pskSet"));
        assertEquals("psk", got.getString("auth"));
        assertEquals("gw.local", got.getString("localId"));
        assertEquals("aes256gcm16-prfsha384-ecp384, aes128gcm16-prfsha256-x25519", got.getString("ikeProposals"));
        assertFalse(got.containsKey("psk"));
        assertEquals(Secret.of(key), ((Peer) s.backend.get(ConfigItem.Kind.PEER, "pa").orElseThrow()).psk());

        Reply kept = s.call(HttpMethod.PUT, "/api/v1/peers/pa", admin, got.copy().put("description", "edited"));
        assertEquals(200, kept.status(), kept.body());
        assertTrue(kept.json().getBoolean("pskSet"), "a PUT without psk keeps the key");
        assertEquals(Secret.of(key), ((Peer) s.backend.get(ConfigItem.Kind.PEER, "pa").orElseThrow()).psk());
        Reply changed = s.call(HttpMethod.PUT, "/api/v1/peers/pa", admin, got.copy().put("psk", key + "-new"));
        assertEquals(200, changed.status(), changed.body());
        Reply rev = s.get("/api/v1/revisions/" + s.backend.head(), admin);
        assertEquals("psk changed", rev.json().getJsonArray("changes").getJsonObject(0).getString("note"));
        Reply audit = s.get("/api/v1/audit", admin);
        for (Reply r : new Reply[] {created, kept, changed, rev, audit, s.get("/api/v1/peers", admin)}) {
            assertFalse(r.body().contains(key), "the key never comes back: " + r.body());
        }
        assertEquals(204, s.call(HttpMethod.DELETE, "/api/v1/peers/pa", admin, null).status());

        for (String[] c : new String[][] {{"pc-gw", "GATEWAY"}, {"pc-ca", "CA"}}) {
            s.backend.putCertificate(new CertificateInfo(c[0], CertificateInfo.Kind.valueOf(c[1]), "CN=" + c[0],
                    "CN=pc-ca", "01", Instant.EPOCH, Instant.EPOCH.plusSeconds(86_400), List.of(), true, false,
                    List.of()), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", null);
        }
        JsonObject byCert = new JsonObject().put("name", "pc").put("address", "192.0.2.10").put("remoteId", "gw.pc")
                .put("auth", "certificate").put("certificate", "pc-ca").put("ca", "nope");
        Reply wrong = post("/api/v1/peers", byCert);
        assertEquals(Set.of("certificate", "ca"), fields(wrong), "wrong kind, missing CA");
        assertEquals(201, post("/api/v1/peers", byCert.put("certificate", "pc-gw").put("ca", "pc-ca")).status());
        assertEquals(List.of("pc"), s.backend.certificates().get("pc-ca").orElseThrow().usedBy());
        Reply inUse = s.call(HttpMethod.DELETE, "/api/v1/certificates/pc-ca", admin, null);
        assertEquals(409, inUse.status(), inUse.body());
        assertEquals(Set.of("name"), fields(inUse));
        assertEquals(204, s.call(HttpMethod.DELETE, "/api/v1/peers/pc", admin, null).status());
        assertEquals(204, s.call(HttpMethod.DELETE, "/api/v1/certificates/pc-ca", admin, null).status());
    }

    @Test
    void settingsAreValidatedWholeAndCommittedAsARevision() {
        JsonObject dflt = s.get("/api/v1/settings", admin).json();
        assertEquals("tun", dflt.getJsonObject("dataPlane").getString("backend"));
        Reply bad = s.call(HttpMethod.PUT, "/api/v1/settings", admin, new JsonObject()
                .put("interfaces", new JsonArray().add(new JsonObject().put("name", "eth0").put("role", "wan"))
                        .add(new JsonObject().put("name", "eth0").put("role", "dmz"))
                        .add(new JsonObject().put("name", "this-name-is-too-long").put("role", "lan")))
                .put("dataPlane", new JsonObject().put("backend", "xdp").put("workers", -1))
                .put("logging", new JsonObject().put("level", "loud").put("statusInterval", 5).put("colour", 1)));
        assertEquals(400, bad.status(), "the schema refuses these first: " + bad.body());
        assertEquals(Set.of("interfaces[1].role", "interfaces[2].name", "dataPlane.backend",
                "dataPlane.workers", "logging.level", "logging.colour"), fields(bad));
        Reply twice = s.call(HttpMethod.PUT, "/api/v1/settings", admin, new JsonObject()
                .put("interfaces", new JsonArray().add(new JsonObject().put("name", "eth0").put("role", "wan"))
                        .add(new JsonObject().put("name", "eth0").put("role", "lan"))));
        assertEquals(422, twice.status(), twice.body());
        assertEquals(Set.of("interfaces[1].name"), fields(twice));
        long head = s.backend.head();
        JsonObject good = new JsonObject()
                .put("interfaces", new JsonArray().add(new JsonObject().put("name", "eth0").put("role", "wan"))
                        .add(new JsonObject().put("name", "eth1").put("role", "lan")))
                .put("dataPlane", new JsonObject().put("backend", "tun").put("workers", 2))
                .put("logging", new JsonObject().put("level", "debug").put("statusInterval", 10));
        Reply ok = s.call(HttpMethod.PUT, "/api/v1/settings", admin, good);
        assertEquals(200, ok.status(), ok.body());
        assertEquals(head + 1, s.backend.head(), "one revision");
        assertEquals("wan", s.get("/api/v1/settings", admin).json().getJsonArray("interfaces").getJsonObject(0)
                .getString("role"));
        assertEquals(2, s.backend.settings().settings().workers());
        assertTrue(s.get("/api/v1/audit", admin).body().contains("settings.update"));
    }

    @Test
    void malformedOversizedAndMistypedBodiesAreProblems() {
        Reply junk = s.call(HttpMethod.POST, "/api/v1/clusters", admin, Buffer.buffer("{\"name\": "));
        assertEquals(400, junk.status());
        fields(junk);
        Reply array = s.call(HttpMethod.POST, "/api/v1/clusters", admin, Buffer.buffer("[1,2]"));
        assertEquals(400, array.status());
        Reply text = s.call(HttpMethod.POST, "/api/v1/clusters", admin, Buffer.buffer("name=x"),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertEquals(415, text.status(), "a form post (CSRF-able without preflight) is refused");
        Reply huge = s.call(HttpMethod.POST, "/api/v1/clusters", admin,
                Buffer.buffer("{\"description\":\"" + "a".repeat((int) BodyPolicy.JSON_LIMIT) + "\"}"));
        assertEquals(413, huge.status());
        fields(huge);
        Reply method = s.call(HttpMethod.PATCH, "/api/v1/clusters", admin, new JsonObject());
        assertEquals(405, method.status());
        fields(method);
        Reply none = s.get("/api/v1/nothing-here", admin);
        assertEquals(404, none.status());
        fields(none);
        assertEquals(404, s.get("/api/v1/revisions/abc", admin).status());
    }

    @Test
    void clustersPeersConnectionsRevisionsAndRollback() {
        long before = s.backend.head();
        assertEquals(201, post("/api/v1/clusters", new JsonObject().put("name", "k8s-a")
                .put("podCidr", "10.244.0.0/16").put("serviceCidr", "10.96.0.0/12")).status());
        assertEquals(409, post("/api/v1/clusters", new JsonObject().put("name", "k8s-a")
                .put("podCidr", "10.244.0.0/16").put("serviceCidr", "10.96.0.0/12")).status());
        assertEquals(201, post("/api/v1/peers", new JsonObject().put("name", "cloud")
                .put("address", "203.0.113.7").put("remoteId", "gw.cloud.example").put("auth", "psk")
                .put("psk", "cloud-psk-0123456789")).status());
        Reply conn = post("/api/v1/connections", new JsonObject().put("name", "to-cloud").put("peer", "cloud")
                .put("cluster", "nope").put("remoteCidr", "10.96.1.0/24").put("espSuite", "des"));
        assertEquals(400, conn.status(), "the suite is outside the document's enum: " + conn.body());
        assertEquals(Set.of("espSuite"), fields(conn));
        Reply dangling = post("/api/v1/connections", new JsonObject().put("name", "to-cloud").put("peer", "cloud")
                .put("cluster", "nope").put("remoteCidr", "10.96.1.0/24"));
        assertEquals(422, dangling.status(), "references are the handler's to check: " + dangling.body());
        assertEquals(Set.of("cluster"), fields(dangling));
        assertEquals(201, post("/api/v1/connections", new JsonObject().put("name", "to-cloud").put("peer", "cloud")
                .put("cluster", "k8s-a").put("remoteCidr", "10.96.1.0/24")).status());

        // PUT sends the whole representation (RFC 9110 §9.3.4), name included, as the document requires.
        Reply put = s.call(HttpMethod.PUT, "/api/v1/clusters/k8s-a", admin, new JsonObject().put("name", "k8s-a")
                .put("podCidr", "10.245.0.0/16").put("serviceCidr", "10.96.0.0/12").put("description", "lab"));
        assertEquals(200, put.status(), put.body());
        assertEquals("lab", s.get("/api/v1/clusters/k8s-a", admin).json().getString("description"));
        Reply inUse = s.call(HttpMethod.DELETE, "/api/v1/peers/cloud", admin, null);
        assertEquals(409, inUse.status(), "the connection still uses the peer");
        assertEquals(Set.of("connections/to-cloud/peer"), fields(inUse));

        long head = s.backend.head();
        assertEquals(before + 4, head);
        Reply rev = s.get("/api/v1/revisions/" + head, admin);
        JsonObject change = rev.json().getJsonArray("changes").getJsonObject(0);
        assertEquals("changed", change.getString("change"));
        assertEquals("10.244.0.0/16", change.getJsonObject("before").getString("podCidr"));
        assertEquals("10.245.0.0/16", change.getJsonObject("after").getString("podCidr"));
        assertEquals("api", rev.json().getString("source"));

        Reply rb = s.call(HttpMethod.POST, "/api/v1/revisions/" + (head - 1) + "/rollback", admin, null);
        assertEquals(200, rb.status(), rb.body());
        assertEquals(head + 1, rb.json().getLong("number"));
        assertEquals("10.244.0.0/16", s.get("/api/v1/clusters/k8s-a", admin).json().getString("podCidr"));
        assertEquals(head + 1, s.get("/api/v1/revisions?limit=1", admin).array().getJsonObject(0).getLong("number"));
        assertEquals(400, s.get("/api/v1/revisions?limit=0", admin).status());

        s.backend.setTunnelStatus(new TunnelStatus("to-cloud", ESTABLISHED, 1500, 3000, 1, 2, 7));
        JsonObject status = s.get("/api/v1/status", admin).json();
        assertEquals("ESTABLISHED", status.getJsonArray("tunnels").getJsonObject(0).getString("state"));
        assertEquals(202, s.call(HttpMethod.POST, "/api/v1/status/tunnels/to-cloud/restart", admin, null).status());
        assertEquals(1, s.backend.restartCount("to-cloud"));
        String metrics = s.get("/metrics", admin).body();
        assertTrue(metrics.contains("edgegw_tunnel_drops_total{tunnel=\"to-cloud\"} 7"), metrics);
        assertEquals(401, s.get("/metrics", Creds.NONE).status());

        assertEquals(204, s.call(HttpMethod.DELETE, "/api/v1/connections/to-cloud", admin, null).status());
        assertEquals(204, s.call(HttpMethod.DELETE, "/api/v1/peers/cloud", admin, null).status());
        assertEquals(404, s.get("/api/v1/peers/cloud", admin).status());
        assertTrue(s.backend.recent(100).stream().filter(e -> e.action().equals("config.commit")).count() >= 6);
    }

    @Test
    void statusStreamSendsOneEventPerSecondWithTheCurrentCountersAndEndsAtTheLimit() throws Exception {
        s.backend.commit(java.util.List.of(
                Change.create(new Cluster("stream-c", "10.50.0.0/16", "10.51.0.0/16", "", "")),
                Change.create(Peer.psk("stream-p", "192.0.2.50", "gw.stream.example", "test-psk-0123456789", "")),
                Change.create(new Connection("stream-t", "stream-p", "stream-c", "10.52.0.0/16", "aes128gcm16",
                        true))), "test", "fixture", "test");
        s.backend.setTunnelStatus(new TunnelStatus("stream-t", ESTABLISHED, 1000, 2000, 1, 2, 0));
        Creds viewer = Creds.bearer(s.createToken(s.adminSession(), "viewer"));
        // Counters move while the stream runs: once the first event is in (it went out with the old counters),
        // they change; the third event, a second after the second, must carry them. (A change at a fixed time
        // after the request went out raced the TLS handshake of a loaded machine.)
        long t0 = System.nanoTime();
        Reply r = s.stream("/api/v1/status/stream?limit=3", viewer, line -> {
            if (line.startsWith("data: ") && new JsonObject(line.substring(6)).getJsonArray("tunnels").stream()
                    .map(JsonObject.class::cast).anyMatch(t -> t.getLong("bytesIn") == 1000)) {
                s.backend.setTunnelStatus(new TunnelStatus("stream-t", ESTABLISHED, 9000, 2500, 9, 3, 0));
            }
        });
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, r.status(), r.body());
        assertTrue(r.headers().get("Content-Type").startsWith("text/event-stream"), r.headers().toString());
        assertTrue(r.body().startsWith("retry: 2000\n\n"), r.body());
        java.util.List<JsonObject> events = r.body().lines().filter(l -> l.startsWith("data: "))
                .map(l -> new JsonObject(l.substring(6))).toList();
        assertEquals(3, events.size(), r.body());
        assertTrue(ms >= 1900, "three events one second apart took " + ms + " ms");
        JsonObject first = tunnel(events.get(0), "stream-t");
        JsonObject last = tunnel(events.get(2), "stream-t");
        assertEquals(1000, first.getLong("bytesIn"));
        assertEquals(9000, last.getLong("bytesIn"));
        // the pacing, by the server's own clock (the client's includes the connection's set-up): two periods
        long paced = events.get(2).getLong("at") - events.get(0).getLong("at");
        assertTrue(paced >= 1900 && paced < 10_000, "three events one second apart took " + paced + " ms");
        assertEquals(400, s.get("/api/v1/status/stream?limit=301", admin).status());
        assertEquals(401, s.get("/api/v1/status/stream?limit=1", Creds.NONE).status());
        s.backend.commit(java.util.List.of(Change.delete(ConfigItem.Kind.CONNECTION, "stream-t"),
                Change.delete(ConfigItem.Kind.PEER, "stream-p"), Change.delete(ConfigItem.Kind.CLUSTER, "stream-c")),
                "test", "fixture gone", "test");
    }

    private static JsonObject tunnel(JsonObject event, String name) {
        return event.getJsonArray("tunnels").stream().map(JsonObject.class::cast)
                .filter(t -> t.getString("name").equals(name)).findFirst().orElseThrow();
    }
}
