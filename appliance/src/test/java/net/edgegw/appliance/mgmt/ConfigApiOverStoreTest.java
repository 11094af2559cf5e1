package net.edgegw.appliance.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import net.edgegw.appliance.config.Peer;
import net.edgegw.appliance.config.Secret;
import net.edgegw.appliance.store.ConfigStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API over the real H2 store: what the API writes is what the daemon loads, secrets never come back. */
class ConfigApiOverStoreTest {
    private static final String PSK = "api-written-psk-0123456789";

    @TempDir
    Path dir;

    @Test
    void aPeerCreatedWithAPskIsWhatTheDaemonLoadsAndTheKeyNeverComesBack() throws Exception {
        try (ConfigStore store = ConfigStore.open(dir.resolve("data"));
             ApiClient api = new ApiClient(new StoreBackend(store, StoreBackendTest.NO_STATUS, s -> { }), dir)) {
            HttpResponse<String> r = api.json("POST", "/api/v1/peers", new JsonObject().put("name", "cloud-gw")
                    .put("address", "203.0.113.7").put("localId", "gw.onprem.example")
                    .put("remoteId", "gw.cloud.example").put("auth", "psk").put("psk", PSK).encode());
            assertEquals(201, r.statusCode(), r.body());
            Peer p = store.current().config().peer("cloud-gw").orElseThrow();
            assertEquals(Peer.AuthMethod.PSK, p.auth().method());
            assertEquals(Secret.of(PSK), p.auth().psk());
            assertEquals("gw.onprem.example", p.localId());
            assertEquals(ItemMapping.DEFAULT_IKE_PROPOSALS, p.ikeProposals(), "'' = the defaults");

            JsonObject got = new JsonObject(api.json("GET", "/api/v1/peers/cloud-gw", null).body());
            assertTrue(got.getBoolean("pskSet"));
            assertFalse(got.containsKey("psk"));
            HttpResponse<String> put = api.json("PUT", "/api/v1/peers/cloud-gw",
                    got.copy().put("address", "198.51.100.7").encode());
            assertEquals(200, put.statusCode(), put.body());
            assertEquals(Secret.of(PSK), store.current().config().peer("cloud-gw").orElseThrow().auth().psk(),
                    "a PUT without psk keeps the key");

            HttpResponse<String> cert = api.json("PUT", "/api/v1/peers/cloud-gw", got.copy().put("auth", "certificate")
                    .put("certificate", "gw-cert").put("ca", "their-ca").encode());
            assertEquals(409, cert.statusCode(), cert.body());
            assertTrue(cert.body().contains("\"peers/cloud-gw/certificate\"")
                    && cert.body().contains("\"peers/cloud-gw/ca\""), cert.body());

            long head = store.current().revision().number();
            for (String path : List.of("/api/v1/peers", "/api/v1/peers/cloud-gw", "/api/v1/revisions/" + head,
                    "/api/v1/revisions/1", "/api/v1/audit")) {
                String body = api.json("GET", path, null).body();
                assertFalse(body.contains(PSK), path + " shows the key: " + body);
            }
        }
        try (ConfigStore reopened = ConfigStore.open(dir.resolve("data"))) {
            assertEquals(Secret.of(PSK), reopened.current().config().peer("cloud-gw").orElseThrow().auth().psk(),
                    "sealed at rest, loaded again at the next start");
        }
    }
}
