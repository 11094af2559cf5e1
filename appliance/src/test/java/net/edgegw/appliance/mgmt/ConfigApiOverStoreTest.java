package net.edgegw.appliance.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import net.edgegw.appliance.config.CertificateRef;
import net.edgegw.appliance.config.Peer;
import net.edgegw.appliance.config.Pki;
import net.edgegw.appliance.config.Secret;
import net.edgegw.appliance.config.Settings;
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

    /** CA, issue, CSR, imports, download and delete: each one revision, keys never in an answer. */
    @Test
    void certificatesThroughTheApi() throws Exception {
        try (ConfigStore store = ConfigStore.open(dir.resolve("data"));
             ApiClient api = new ApiClient(new StoreBackend(store, StoreBackendTest.NO_STATUS, s -> { }), dir)) {
            HttpResponse<String> ca = api.json("POST", "/api/v1/certificates/ca",
                    "{\"name\":\"our-ca\",\"commonName\":\"edgegw test CA\",\"days\":30}");
            assertEquals(201, ca.statusCode(), ca.body());
            assertEquals("CA", new JsonObject(ca.body()).getString("kind"));
            assertTrue(new JsonObject(ca.body()).getBoolean("hasKey"));
            HttpResponse<String> gw = api.json("POST", "/api/v1/certificates/issue", new JsonObject()
                    .put("name", "gw").put("ca", "our-ca").put("commonName", "gw.onprem.example")
                    .put("subjectAltNames", "gw.onprem.example, 192.0.2.1").encode());
            assertEquals(201, gw.statusCode(), gw.body());
            JsonObject g = new JsonObject(gw.body());
            assertEquals(List.of("DNS:gw.onprem.example", "IP:192.0.2.1"), g.getJsonArray("subjectAltNames").getList());
            assertEquals("CN=edgegw test CA", g.getString("issuer"));
            assertEquals(2, store.current().revision().number(), "each change is one revision");

            HttpResponse<String> taken = api.json("POST", "/api/v1/certificates/ca",
                    "{\"name\":\"gw\",\"commonName\":\"x\"}");
            assertEquals(409, taken.statusCode(), taken.body());
            HttpResponse<String> noCa = api.json("POST", "/api/v1/certificates/issue", new JsonObject()
                    .put("name", "gw2").put("ca", "gw").put("commonName", "x").encode());
            assertEquals(422, noCa.statusCode(), noCa.body());
            assertTrue(noCa.body().contains("\"ca\""), noCa.body());

            HttpResponse<String> peer = api.json("POST", "/api/v1/peers", new JsonObject().put("name", "cloud")
                    .put("address", "203.0.113.7").put("remoteId", "gw.cloud.example").put("auth", "certificate")
                    .put("certificate", "gw").put("ca", "our-ca").encode());
            assertEquals(201, peer.statusCode(), peer.body());
            HttpResponse<String> wrongKind = api.json("PUT", "/api/v1/peers/cloud", new JsonObject()
                    .put("address", "203.0.113.7").put("remoteId", "gw.cloud.example").put("auth", "certificate")
                    .put("certificate", "our-ca").put("ca", "gw").encode());
            assertEquals(409, wrongKind.statusCode(), wrongKind.body());
            HttpResponse<String> inUse = api.json("DELETE", "/api/v1/certificates/our-ca", null);
            assertEquals(409, inUse.statusCode(), inUse.body());
            assertTrue(inUse.body().contains("cloud"), inUse.body());

            HttpResponse<String> pem = api.json("GET", "/api/v1/certificates/our-ca/pem", null);
            assertEquals(200, pem.statusCode());
            assertTrue(pem.body().startsWith("-----BEGIN CERTIFICATE-----"), pem.body());
            assertFalse(pem.body().contains("PRIVATE KEY"));

            HttpResponse<String> csr = api.json("POST", "/api/v1/certificates/csr", new JsonObject()
                    .put("name", "ext").put("commonName", "gw.ext.example").put("subjectAltNames", "gw.ext.example")
                    .encode());
            assertEquals(201, csr.statusCode(), csr.body());
            String request = new JsonObject(csr.body()).getString("csr");
            assertTrue(request.startsWith("-----BEGIN CERTIFICATE REQUEST-----"), request);
            assertTrue(new JsonObject(csr.body()).getBoolean("selfSigned"), "awaiting the signed certificate");
            assertTrue(api.json("GET", "/api/v1/certificates/ext/csr", null).body()
                    .startsWith("-----BEGIN CERTIFICATE REQUEST-----"), "the request again (ECDSA: other bytes)");
            HttpResponse<String> notForKey = api.json("PUT", "/api/v1/certificates/ext/signed",
                    new JsonObject().put("certificate", pemOf(api, "gw")).encode());
            assertEquals(422, notForKey.statusCode(), notForKey.body());
            assertTrue(notForKey.body().contains("is not for the key of 'ext'"), notForKey.body());

            HttpResponse<String> trusted = api.json("POST", "/api/v1/certificates/import", new JsonObject()
                    .put("name", "their-ca").put("kind", "CA").put("certificate", pem.body()).encode());
            assertEquals(201, trusted.statusCode(), trusted.body());
            assertFalse(new JsonObject(trusted.body()).getBoolean("hasKey"));
            HttpResponse<String> notCa = api.json("POST", "/api/v1/certificates/import", new JsonObject()
                    .put("name", "bad").put("kind", "GATEWAY").put("certificate", pem.body()).encode());
            assertEquals(422, notCa.statusCode(), notCa.body());

            CertificateRef issued = Pki.issue(store.current().config().certificate("our-ca").orElseThrow(), "x",
                    "gw.p12.example", List.of("gw.p12.example"), Duration.ofDays(5), Clock.systemUTC()).value();
            KeyStore p12 = KeyStore.getInstance("PKCS12");
            p12.load(null, null);
            p12.setKeyEntry("gw", Pki.parsePrivateKey(issued.privateKeyPem()), "p12-pass".toCharArray(),
                    new java.security.cert.Certificate[] {Pki.parseCertificate(issued.certificatePem())});
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            p12.store(bytes, "p12-pass".toCharArray());
            String b64 = Base64.getEncoder().encodeToString(bytes.toByteArray());
            HttpResponse<String> wrongPass = api.json("POST", "/api/v1/certificates/import", new JsonObject()
                    .put("name", "p12").put("pkcs12", b64).put("password", "nope").encode());
            assertEquals(422, wrongPass.statusCode(), wrongPass.body());
            HttpResponse<String> imported = api.json("POST", "/api/v1/certificates/import", new JsonObject()
                    .put("name", "p12").put("pkcs12", b64).put("password", "p12-pass").encode());
            assertEquals(201, imported.statusCode(), imported.body());
            assertTrue(new JsonObject(imported.body()).getBoolean("hasKey"));

            assertEquals(204, api.json("DELETE", "/api/v1/certificates/p12", null).statusCode());
            assertTrue(store.current().config().certificate("p12").isEmpty());
            String all = api.json("GET", "/api/v1/certificates", null).body()
                    + api.json("GET", "/api/v1/audit", null).body()
                    + api.json("GET", "/api/v1/revisions/" + store.current().revision().number(), null).body();
            assertFalse(all.contains("PRIVATE KEY") || all.contains("p12-pass"), all);
        }
    }

    @Test
    void settingsReachTheStoresConfig() throws Exception {
        try (ConfigStore store = ConfigStore.open(dir.resolve("data"));
             ApiClient api = new ApiClient(new StoreBackend(store, StoreBackendTest.NO_STATUS, s -> { }), dir)) {
            HttpResponse<String> put = api.json("PUT", "/api/v1/settings", "{\"interfaces\":[{\"name\":\"eth0\","
                    + "\"role\":\"wan\"},{\"name\":\"eth1\",\"role\":\"mgmt\"}],\"dataPlane\":{\"workers\":4},"
                    + "\"logging\":{\"level\":\"warning\",\"statusInterval\":0}}");
            assertEquals(200, put.statusCode(), put.body());
            Settings s = store.current().config().settings();
            assertEquals(List.of(new Settings.NetworkInterface("eth0", Settings.Role.WAN),
                    new Settings.NetworkInterface("eth1", Settings.Role.MGMT)), s.interfaces());
            assertEquals(4, s.dataPlane().workers());
            assertEquals(Settings.Level.WARNING, s.logging().level());
            assertEquals(1, store.current().revision().number());
            assertEquals("mgmt", new JsonObject(api.json("GET", "/api/v1/settings", null).body())
                    .getJsonArray("interfaces").getJsonObject(1).getString("role"));
        }
    }

    private static String pemOf(ApiClient api, String name) throws Exception {
        return api.json("GET", "/api/v1/certificates/" + name + "/pem", null).body();
    }
}
