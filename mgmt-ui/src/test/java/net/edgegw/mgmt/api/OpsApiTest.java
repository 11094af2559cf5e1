package net.edgegw.mgmt.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.edgegw.mgmt.port.ChildSaStatus;
import net.edgegw.mgmt.port.IkeSaStatus;
import net.edgegw.mgmt.port.StatusSource;
import net.edgegw.mgmt.port.TunnelStatus;
import net.edgegw.mgmt.testing.RunningServer;
import net.edgegw.mgmt.testing.RunningServer.Creds;
import net.edgegw.mgmt.testing.RunningServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operations side of the API through a real server on the in-memory backend: tunnel details, the operator's
 * actions (audited), the log tail with its filters, ping through a connection (on loopback: the connection's
 * cluster holds 127.0.0.0/8, so this host has a source address inside its local networks) and /metrics.
 */
class OpsApiTest {
    private static RunningServer s;
    private static Creds operator;
    private static Creds viewer;

    @BeforeAll
    static void start() {
        s = RunningServer.start();
        s.setUp();
        Creds admin = s.adminSession();
        operator = Creds.bearer(s.createToken(admin, "operator"));
        viewer = Creds.bearer(s.createToken(admin, "viewer"));
        Creds a = Creds.bearer(s.createToken(admin, "admin"));
        assertEquals(201, s.call(HttpMethod.POST, "/api/v1/clusters", a, new JsonObject().put("name", "lo")
                .put("podCidr", "127.0.0.0/8").put("serviceCidr", "10.96.0.0/12")).status());
        assertEquals(201, s.call(HttpMethod.POST, "/api/v1/clusters", a, new JsonObject().put("name", "far")
                .put("podCidr", "10.244.0.0/16").put("serviceCidr", "10.97.0.0/16")).status());
        assertEquals(201, s.call(HttpMethod.POST, "/api/v1/peers", a, new JsonObject().put("name", "p1")
                .put("address", "192.0.2.1").put("remoteId", "gw").put("auth", "psk")
                .put("psk", "ops-test-psk-0123456789")).status());
        for (String[] c : new String[][] {{"t1", "lo"}, {"t2", "far"}}) {
            assertEquals(201, s.call(HttpMethod.POST, "/api/v1/connections", a, new JsonObject().put("name", c[0])
                    .put("peer", "p1").put("cluster", c[1]).put("remoteCidr", "10.1.0.0/16")).status());
        }
        s.backend.setTunnelStatus(new TunnelStatus("t1", TunnelStatus.StateWord.UP, "spi in 0xc0000001 out 0xc0000002",
                1000, 2000, 10, 20, 5,
                new IkeSaStatus("ESTABLISHED", "0123456789abcdef", "fedcba9876543210", true, "AES_GCM_16_128",
                        "PRF_HMAC_SHA2_256", "", "CURVE_25519", "192.0.2.2:4500", "192.0.2.1:4500", false, true,
                        Instant.parse("2026-01-01T00:00:00Z"), 3500),
                List.of(new ChildSaStatus("c0000001", "c0000002", "aes128gcm16", List.of("127.0.0.0/8"),
                        List.of("10.1.0.0/16"), 1000, 2000, 10, 20, 3000)),
                Map.of("REPLAY", 3L, "INTEG", 2L), "previous: AUTHENTICATION_FAILED"));
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    @Test
    void tunnelDetailCarriesIkeAndChildSasDropsByReasonAndKeepsTheChartFields() {
        Reply r = s.get("/api/v1/status/tunnels/t1", viewer);
        assertEquals(200, r.status(), r.body());
        JsonObject t = r.json();
        for (String f : List.of("name", "state", "bytesIn", "bytesOut", "packetsIn", "packetsOut", "drops")) {
            assertTrue(t.containsKey(f), f);
        }
        // the state in its parts, and in one string for scripts
        assertEquals("UP", t.getString("stateWord"));
        assertEquals("spi in 0xc0000001 out 0xc0000002", t.getString("detail"));
        assertEquals("UP: spi in 0xc0000001 out 0xc0000002", t.getString("state"));
        JsonObject ike = t.getJsonObject("ike");
        assertEquals("AES_GCM_16_128", ike.getString("encryption"));
        assertEquals("CURVE_25519", ike.getString("dhGroup"));
        assertEquals("0123456789abcdef", ike.getString("localSpi"));
        assertTrue(ike.getBoolean("natRemote"));
        assertEquals("2026-01-01T00:00:00Z", ike.getString("establishedAt"));
        JsonObject child = t.getJsonArray("children").getJsonObject(0);
        assertEquals("c0000001", child.getString("spiIn"));
        assertEquals(new JsonArray().add("10.1.0.0/16"), child.getJsonArray("remoteTs"));
        assertEquals(3, t.getJsonObject("dropsByReason").getLong("REPLAY"));
        assertEquals("previous: AUTHENTICATION_FAILED", t.getString("lastError"));
        // a tunnel without SAs: ike null, no children; the list has the same shape
        JsonObject t2 = s.get("/api/v1/status", viewer).json().getJsonArray("tunnels").getJsonObject(1);
        assertEquals("t2", t2.getString("name"));
        assertNull(t2.getValue("ike"));
        assertEquals(0, t2.getJsonArray("children").size());
        assertEquals(404, s.get("/api/v1/status/tunnels/nope", viewer).status());
    }

    /**
     * Both tunnels, with and without SAs, have exactly the members openapi.json's Tunnel schema lists (all required,
     * no others), and stateWord is one of its enum, which is {@link TunnelStatus.StateWord}.
     */
    @Test
    void tunnelsHaveTheDocumentedShapeAndStateWords() {
        JsonObject schema = s.get("/api/openapi.json", Creds.NONE).json().getJsonObject("components")
                .getJsonObject("schemas").getJsonObject("Tunnel");
        assertEquals(schema.getJsonArray("required").getList().stream().sorted().toList(),
                schema.getJsonObject("properties").fieldNames().stream().sorted().toList(), "every member is required");
        List<String> words = schema.getJsonObject("properties").getJsonObject("stateWord").getJsonArray("enum")
                .getList().stream().map(String::valueOf).toList();
        assertEquals(java.util.Arrays.stream(TunnelStatus.StateWord.values()).map(Enum::name).toList(), words);
        JsonArray tunnels = s.get("/api/v1/status", viewer).json().getJsonArray("tunnels");
        assertEquals(2, tunnels.size());
        for (int i = 0; i < tunnels.size(); i++) {
            JsonObject t = tunnels.getJsonObject(i);
            assertEquals(schema.getJsonObject("properties").fieldNames().stream().sorted().toList(),
                    t.fieldNames().stream().sorted().toList(), t.encode());
            assertTrue(words.contains(t.getString("stateWord")), t.encode());
            assertEquals(t.getString("detail").isEmpty() ? t.getString("stateWord")
                    : t.getString("stateWord") + ": " + t.getString("detail"), t.getString("state"));
        }
    }

    @Test
    void terminateInitiateAndRekeyAreOperatorActionsAndAudited() {
        assertEquals(403, s.call(HttpMethod.POST, "/api/v1/status/tunnels/t2/terminate", viewer, null).status());
        Reply r = s.call(HttpMethod.POST, "/api/v1/status/tunnels/t2/terminate", operator, null);
        assertEquals(202, r.status(), r.body());
        JsonObject down = s.get("/api/v1/status/tunnels/t2", viewer).json();
        assertEquals("DOWN", down.getString("state"));
        assertEquals("DOWN", down.getString("stateWord"));
        assertEquals("", down.getString("detail"));
        Reply rekey = s.call(HttpMethod.POST, "/api/v1/status/tunnels/t2/rekey", operator, new JsonObject());
        assertEquals(409, rekey.status(), "nothing to rekey while down: " + rekey.body());
        assertEquals(202, s.call(HttpMethod.POST, "/api/v1/status/tunnels/t2/initiate", operator, null).status());
        assertEquals("CONNECTING", s.get("/api/v1/status/tunnels/t2", viewer).json().getString("stateWord"));
        assertEquals(202, s.call(HttpMethod.POST, "/api/v1/status/tunnels/t1/rekey", operator,
                new JsonObject().put("scope", "child")).status());
        assertEquals(1, s.backend.rekeyCount("t1", StatusSource.RekeyScope.CHILD));
        assertEquals(0, s.backend.rekeyCount("t1", StatusSource.RekeyScope.IKE));
        Reply bad = s.call(HttpMethod.POST, "/api/v1/status/tunnels/t1/rekey", operator,
                new JsonObject().put("scope", "everything"));
        assertEquals(400, bad.status(), "outside the schema's enum: " + bad.body());
        assertTrue(bad.body().contains("\"scope\""), bad.body());
        assertEquals(404, s.call(HttpMethod.POST, "/api/v1/status/tunnels/nope/initiate", operator, null).status());
        List<String> actions = s.backend.recent(100).stream().map(e -> e.action() + " " + e.target()).toList();
        assertTrue(actions.contains("tunnel.terminate tunnels/t2"), actions.toString());
        assertTrue(actions.contains("tunnel.initiate tunnels/t2"), actions.toString());
        assertTrue(actions.contains("tunnel.rekey.child tunnels/t1"), actions.toString());
    }

    @Test
    void logTailFiltersByLevelTextLoggerAndSequence() {
        s.backend.addLog("INFO", "net.edgegw.appliance.daemon.Reconciler", "reconciled revision 3");
        s.backend.addLog("WARNING", "net.edgegw.appliance.ike", "[t1 x] IKE_AUTH failed: AUTHENTICATION_FAILED");
        s.backend.addLog("FINE", "net.edgegw.appliance.ike", "[t1 x] sending IKE_SA_INIT");
        s.backend.addLog("SEVERE", "io.vertx.core", "something broke");
        assertEquals(403, s.get("/api/v1/logs", viewer).status(), "logs name addresses: operator and up");
        JsonArray all = s.get("/api/v1/logs", operator).array();
        assertEquals(4, all.size());
        assertEquals("reconciled revision 3", all.getJsonObject(0).getString("message"), "oldest first");
        JsonArray warn = s.get("/api/v1/logs?level=warning", operator).array();
        assertEquals(List.of("WARNING", "SEVERE"), warn.stream().map(o -> ((JsonObject) o).getString("level"))
                .toList());
        JsonArray ike = s.get("/api/v1/logs?logger=net.edgegw.appliance.ike&q=auth", operator).array();
        assertEquals(1, ike.size());
        assertTrue(ike.getJsonObject(0).getString("message").contains("AUTHENTICATION_FAILED"));
        long seq = all.getJsonObject(2).getLong("seq");
        JsonArray newer = s.get("/api/v1/logs?since=" + seq, operator).array();
        assertEquals(1, newer.size());
        assertEquals("something broke", newer.getJsonObject(0).getString("message"));
        JsonArray last = s.get("/api/v1/logs?limit=2", operator).array();
        assertEquals("something broke", last.getJsonObject(1).getString("message"), "the newest N");
        Reply bad = s.get("/api/v1/logs?level=loud&since=x&limit=0", operator);
        assertEquals(400, bad.status(), bad.body());
        assertTrue(bad.body().contains("\"level\"") && bad.body().contains("\"since\""), bad.body());
    }

    @Test
    void pingLeavesFromALocalAddressInsideTheConnectionsNetworks() {
        Reply r = s.call(HttpMethod.POST, "/api/v1/diagnostics/ping", operator, new JsonObject()
                .put("connection", "t1").put("target", "127.0.0.1").put("count", 2));
        assertEquals(200, r.status(), r.body());
        JsonObject o = r.json();
        assertTrue(o.getString("source").startsWith("127."), o.encode());
        assertEquals(2, o.getInteger("sent"), o.encode());
        assertEquals(2, o.getInteger("received"), o.encode());
        assertTrue(o.getDouble("rttAvgMs") >= 0, o.encode());
        assertTrue(o.getJsonArray("output").encode().contains("2 packets transmitted"), o.encode());
        assertTrue(s.backend.recent(100).stream().anyMatch(e -> e.action().equals("diagnostics.ping")));
        assertEquals(403, s.call(HttpMethod.POST, "/api/v1/diagnostics/ping", viewer, new JsonObject()
                .put("connection", "t1").put("target", "127.0.0.1")).status());
    }

    @Test
    void pingRefusesWhatItCannotDoWithClearReasons() {
        // t2's networks (10.244.0.0/16, 10.97.0.0/16) hold none of this host's addresses
        Reply none = s.call(HttpMethod.POST, "/api/v1/diagnostics/ping", operator, new JsonObject()
                .put("connection", "t2").put("target", "127.0.0.1"));
        assertEquals(422, none.status(), none.body());
        assertTrue(none.body().contains("no IPv4 address inside the local networks of t2"), none.body());
        Reply outside = s.call(HttpMethod.POST, "/api/v1/diagnostics/ping", operator, new JsonObject()
                .put("connection", "t2").put("target", "127.0.0.1").put("source", "127.0.0.1"));
        assertEquals(422, outside.status());
        assertTrue(outside.body().contains("outside the local networks"), outside.body());
        Reply tooMany = s.call(HttpMethod.POST, "/api/v1/diagnostics/ping", operator, new JsonObject()
                .put("connection", "t1").put("target", "127.0.0.1").put("count", 11));
        assertEquals(400, tooMany.status(), "the schema's maximum: " + tooMany.body());
        assertTrue(tooMany.body().contains("\"count\""), tooMany.body());
        Reply bad = s.call(HttpMethod.POST, "/api/v1/diagnostics/ping", operator, new JsonObject()
                .put("connection", "nope").put("target", "127.0.0.1; reboot"));
        assertEquals(422, bad.status(), bad.body());
        for (String f : List.of("\"connection\"", "\"target\"")) {
            assertTrue(bad.body().contains(f), f + " in " + bad.body());
        }
        Reply name = s.call(HttpMethod.POST, "/api/v1/diagnostics/ping", operator, new JsonObject()
                .put("connection", "t1").put("target", "localhost"));
        assertEquals(422, name.status(), "host names are not resolved: " + name.body());
        assertFalse(PingCommand.inside(PingCommand.literal("10.1.2.3").orElseThrow(), "10.0.0.0/16"));
        assertTrue(PingCommand.inside(PingCommand.literal("10.0.255.3").orElseThrow(), "10.0.0.0/16"));
        assertTrue(PingCommand.inside(PingCommand.literal("fd00::5").orElseThrow(), "fd00::/8"));
        assertTrue(PingCommand.literal("1.2.3.256").isEmpty());
    }

    @Test
    void metricsHaveDropReasonsSaStatesEngineCountersAndJvmFigures() {
        String m = s.get("/metrics", viewer).body();
        for (String line : List.of("edgegw_tunnel_drops_by_reason_total{tunnel=\"t1\",reason=\"REPLAY\"} 3",
                "edgegw_replay_drops_total 3", "edgegw_tunnel_up{tunnel=\"t1\"} 1",
                "edgegw_tunnel_up{tunnel=\"t2\"} 0", "edgegw_ike_sas{state=\"ESTABLISHED\"} 1",
                "edgegw_tunnel_child_sas{tunnel=\"t1\"} 1", "edgegw_tunnel_bytes_in_total{tunnel=\"t1\"} 1000",
                "# TYPE edgegw_ike_rekeys_total counter", "# TYPE edgegw_jvm_heap_used_bytes gauge",
                "edgegw_jvm_threads ", "edgegw_jvm_gc_collections_total{gc=")) {
            assertTrue(m.contains(line), line + " in\n" + m);
        }
    }
}
