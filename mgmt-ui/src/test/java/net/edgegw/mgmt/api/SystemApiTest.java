package net.edgegw.mgmt.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.edgegw.mgmt.port.FakeSystemControl;
import net.edgegw.mgmt.testing.RunningServer;
import net.edgegw.mgmt.testing.RunningServer.Creds;
import net.edgegw.mgmt.testing.RunningServer.Reply;
import net.edgegw.mgmt.web.ProblemHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /api/v1/system} against the in-memory fake: streaming uploads past the JSON limit, refusals, roles. */
@Timeout(120)
class SystemApiTest {
    private static final Map<String, String> OCTETS = Map.of("Content-Type", "application/octet-stream");

    private RunningServer s;
    private FakeSystemControl sys;
    private Creds admin;

    @BeforeEach
    void start() {
        s = RunningServer.start();
        s.setUp();
        sys = s.backend.system();
        admin = Creds.bearer(s.createToken(s.adminSession(), "admin"));
    }

    @AfterEach
    void stop() {
        s.close();
    }

    private Reply upload(Creds c, byte[] body) {
        return s.call(HttpMethod.POST, "/api/v1/system/update", c, Buffer.buffer(body), OCTETS);
    }

    private static byte[] payload(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return b;
    }

    private void assertNothingChanged() throws IOException {
        assertEquals(0, sys.slot("b").length, "the inactive slot was not written");
        assertEquals("", sys.oneShot(), "no trial boot was armed");
        try (Stream<java.nio.file.Path> left = Files.list(sys.uploadDir())) {
            assertEquals(0, left.filter(p -> p.getFileName().toString().startsWith("upload-")).count(),
                    "the refused upload was deleted");
        }
    }

    private void assertRefused(Reply r, String why) {
        assertEquals(422, r.status(), r.body());
        assertEquals(ProblemHandler.CONTENT_TYPE, r.headers().get("Content-Type"));
        assertTrue(r.json().getString("detail").contains(why), r.body());
    }

    @Test
    void systemInfoShowsSlotsProfileAndCpuFeaturesExpectedVsFound() {
        Creds viewer = Creds.bearer(s.createToken(s.adminSession(), "viewer"));
        Reply r = s.get("/api/v1/system", viewer);
        assertEquals(200, r.status(), r.body());
        JsonObject j = r.json();
        assertEquals("a", j.getString("activeSlot"));
        JsonObject cpu = j.getJsonObject("hardware").getJsonObject("cpuFeatures");
        assertEquals(new JsonArray().add("aes"), cpu.getJsonArray("found"));
        assertEquals(new JsonArray().add("pclmulqdq"), cpu.getJsonArray("missing"));
        assertTrue(j.getJsonObject("hardware").getJsonArray("warnings").getString(0).contains("slow"));
        assertTrue(j.getJsonObject("updates").getBoolean("available"));
        assertEquals("idle", s.get("/api/v1/system/update", viewer).json().getString("state"));
    }

    @Test
    void aGoodBundleLargerThanTheJsonLimitIsStreamedVerifiedAndWrittenToTheOtherSlot() throws IOException {
        byte[] data = payload(3 * 1024 * 1024); // far past the 64 KiB JSON body limit
        Reply r = upload(admin, FakeSystemControl.bundle("v2", data));
        assertEquals(202, r.status(), r.body());
        assertEquals("installed", r.json().getString("state"));
        assertTrue(r.json().getString("next").contains("/api/v1/system/reboot"), r.body());
        assertArrayEquals(data, sys.slot("b"));
        assertEquals("b", sys.oneShot());
        assertEquals("installed", s.get("/api/v1/system/update", admin).json().getString("state"));
        assertEquals("system.update", s.backend.audit().recent(1).get(0).action());

        assertEquals(202, s.call(HttpMethod.POST, "/api/v1/system/reboot", admin, new JsonObject()).status());
        assertEquals(1, sys.reboots());
        assertEquals("b", s.get("/api/v1/system", admin).json().getString("activeSlot"));
        assertEquals("system.reboot", s.backend.audit().recent(1).get(0).action());
    }

    @Test
    void aBadSignatureIsRefusedWith422AndNothingChanges() throws IOException {
        byte[] b = FakeSystemControl.bundle("v2", payload(200_000));
        b[b.length - 1] ^= 1;
        assertRefused(upload(admin, b), "bad signature");
        assertNothingChanged();
        assertEquals("refused", s.get("/api/v1/system/update", admin).json().getString("state"));
        assertEquals("system.update.refused", s.backend.audit().recent(1).get(0).action());
    }

    @Test
    void aTruncatedBundleIsRefusedWith422AndNothingChanges() throws IOException {
        byte[] b = FakeSystemControl.bundle("v2", payload(200_000));
        assertRefused(upload(admin, Arrays.copyOf(b, 20)), "truncated");
        assertNothingChanged();
    }

    @Test
    void oversizeWrongTypeNoSlotsAndNonAdminsAreRefusedBeforeAnythingIsWritten() throws IOException {
        sys.maxBundleBytes(100_000);
        Reply big = upload(admin, FakeSystemControl.bundle("v2", payload(150_000)));
        assertEquals(413, big.status(), big.body());
        assertNothingChanged();
        sys.maxBundleBytes(FakeSystemControl.MAX_BUNDLE_BYTES);

        Reply json = s.call(HttpMethod.POST, "/api/v1/system/update", admin, new JsonObject());
        assertEquals(415, json.status(), json.body());

        Creds operator = Creds.bearer(s.createToken(s.adminSession(), "operator"));
        assertEquals(403, upload(operator, FakeSystemControl.bundle("v2", payload(1000))).status());
        assertEquals(403, s.call(HttpMethod.POST, "/api/v1/system/reboot", operator, new JsonObject()).status());
        assertNothingChanged();

        sys.flashed(false);
        Reply dev = upload(admin, FakeSystemControl.bundle("v2", payload(1000)));
        assertEquals(409, dev.status(), dev.body());
        assertTrue(dev.json().getString("detail").contains("updates need the flashed image"), dev.body());
        assertEquals(false, s.get("/api/v1/system", admin).json().getJsonObject("updates").getBoolean("available"));
        assertNothingChanged();
        // The server still answers on a fresh connection after the refused uploads were cut off.
        assertEquals(200, s.get("/api/v1/system", admin).status());
    }
}
