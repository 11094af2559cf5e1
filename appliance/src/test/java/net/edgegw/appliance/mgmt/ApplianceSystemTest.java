package net.edgegw.appliance.mgmt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import net.edgegw.appliance.lifecycle.DaemonProcess;
import net.edgegw.appliance.update.BootControl;
import net.edgegw.appliance.update.SlotInstaller;
import net.edgegw.appliance.update.TestBundles;
import net.edgegw.appliance.update.UpdateKeys;
import net.edgegw.mgmt.port.AuditLog;
import net.edgegw.mgmt.port.Backend;
import net.edgegw.mgmt.port.ConfigStore;
import net.edgegw.mgmt.port.InMemoryBackend;
import net.edgegw.mgmt.port.StatusSource;
import net.edgegw.mgmt.port.SystemControl;
import net.edgegw.mgmt.port.UserDirectory;
import net.edgegw.mgmt.web.ManagementServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real signed bundles (Ed25519, {@code UpdateBundle}) uploaded through the real admin API over HTTPS to
 * {@link ApplianceSystem} writing files that stand in for the slot partitions, the ESP and the boot variables:
 * a bad signature and a truncated bundle are 422 and leave the inactive slot's bytes and the boot variables as
 * they were; a good one lands in the inactive slot with a one-shot boot, and the reboot is asked for.
 */
@Timeout(120)
class ApplianceSystemTest {
    private static final String ADMIN_PASSWORD = "update-test-password";

    @TempDir
    Path tmp;
    private ManagementServer server;
    private HttpClient http;
    private Path slotB;
    private byte[] slotBBefore;
    private final List<String> bootWrites = new ArrayList<>();
    private final AtomicInteger reboots = new AtomicInteger();
    private KeyPair key;
    private String cookie;
    private String csrf;

    /** Boot variables in fields; every write recorded. */
    private final class Vars implements BootControl {
        String oneShot;

        @Override
        public Optional<String> selectedEntry() {
            return Optional.of("edgegw-a.conf");
        }

        @Override
        public Optional<String> defaultEntry() {
            return Optional.of("edgegw-a.conf");
        }

        @Override
        public Optional<String> oneShotEntry() {
            return Optional.ofNullable(oneShot);
        }

        @Override
        public void setOneShot(String entry) {
            bootWrites.add("oneshot " + entry);
            oneShot = entry;
        }

        @Override
        public void setDefault(String entry) {
            bootWrites.add("default " + entry);
        }
    }

    private record WithSystem(InMemoryBackend base, SystemControl system) implements Backend {
        @Override
        public ConfigStore config() {
            return base.config();
        }

        @Override
        public StatusSource status() {
            return base.status();
        }

        @Override
        public UserDirectory users() {
            return base.users();
        }

        @Override
        public AuditLog audit() {
            return base.audit();
        }
    }

    @BeforeEach
    void start() throws Exception {
        key = UpdateKeys.generate();
        Path esp = tmp.resolve("esp");
        Files.createDirectories(esp.resolve("loader/entries"));
        Files.writeString(esp.resolve("loader/entries/edgegw-a.conf"),
                "title edgegw\nlinux /edgegw/a/vmlinuz\noptions root=PARTUUID=aaaa edgegw.slot=a\n");
        Path slotA = tmp.resolve("slot-a.img");
        slotB = tmp.resolve("slot-b.img");
        Files.write(slotA, new byte[1 << 20]);
        slotBBefore = new byte[1 << 20];
        Arrays.fill(slotBBefore, (byte) 0xBB);
        Files.write(slotB, slotBBefore);
        Vars vars = new Vars();
        SlotInstaller installer = new SlotInstaller(esp, Map.of("a", slotA, "b", slotB),
                Map.of("a", "aaaa", "b", "bbbb"), vars);
        Path data = tmp.resolve("data");
        ApplianceSystem system = new ApplianceSystem(data, key.getPublic(), ApplianceSystem.Writer.DIRECT, installer,
                vars, "a", "1.0", tmp.resolve("run"), "tun (test)", reboots::incrementAndGet, () -> 7);
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, ADMIN_PASSWORD);
        server = ManagementServer.start(new WithSystem(new InMemoryBackend(), system), new ManagementServer.Options()
                .dataDir(data).bind("127.0.0.1", 0).adminPasswordFile(pw).passwordHashing(1024, 1));
        http = DaemonProcess.trusting(data);
        HttpResponse<String> login = send("POST", "/api/v1/session", "application/json",
                HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", ManagementServer.FIRST_ADMIN)
                        .put("password", ADMIN_PASSWORD).encode()));
        assertEquals(200, login.statusCode(), login.body());
        cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        csrf = new JsonObject(login.body()).getString("csrfToken");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String type, HttpRequest.BodyPublisher body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(60)).method(method, body).header("Content-Type", type);
        if (cookie != null) {
            b.header("Cookie", cookie).header("X-CSRF-Token", csrf);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> upload(byte[] bundle) throws Exception {
        return send("POST", "/api/v1/system/update", "application/octet-stream",
                HttpRequest.BodyPublishers.ofByteArray(bundle));
    }

    private byte[] bundle(byte[] root) throws Exception {
        return Files.readAllBytes(TestBundles.signed(tmp, root, key.getPrivate()));
    }

    private static byte[] root() {
        byte[] r = new byte[600_000]; // past the 64 KiB JSON limit
        new Random(3).nextBytes(r);
        return r;
    }

    private void assertRefusedAndNothingChanged(HttpResponse<String> r, String why) throws Exception {
        assertEquals(422, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(new JsonObject(r.body()).getString("detail").contains(why), r.body());
        assertArrayEquals(slotBBefore, Files.readAllBytes(slotB), "the inactive slot's bytes are unchanged");
        assertEquals(List.of(), bootWrites, "no boot variable was written");
        assertTrue(Files.notExists(tmp.resolve("esp/loader/entries/edgegw-b.conf")), "no boot entry was made");
        try (var left = Files.list(tmp.resolve("data/update"))) {
            assertEquals(0, left.count(), "the refused upload is gone");
        }
        assertEquals("refused", new JsonObject(send("GET", "/api/v1/system/update", "application/json",
                HttpRequest.BodyPublishers.noBody()).body()).getString("state"));
    }

    @Test
    void aBundleSignedWithAnotherKeyIsRefusedAndNothingChanges() throws Exception {
        KeyPair ours = key;
        key = UpdateKeys.generate();
        byte[] foreign = bundle(root());
        key = ours;
        assertRefusedAndNothingChanged(upload(foreign), "bad signature");
    }

    @Test
    void aTruncatedBundleIsRefusedAndNothingChanges() throws Exception {
        byte[] b = bundle(root());
        assertRefusedAndNothingChanged(upload(Arrays.copyOf(b, b.length - 1000)), "truncated");
    }

    @Test
    void aGoodBundleIsWrittenToTheInactiveSlotWithAOneShotBootThenTheRebootIsAsked() throws Exception {
        byte[] root = root();
        HttpResponse<String> r = upload(bundle(root));
        assertEquals(202, r.statusCode(), r.body());
        JsonObject j = new JsonObject(r.body());
        assertEquals("installed", j.getString("state"));
        assertTrue(j.getString("message").contains("written to slot b"), r.body());
        assertArrayEquals(root, Arrays.copyOf(Files.readAllBytes(slotB), root.length));
        assertEquals(List.of("oneshot edgegw-b.conf"), bootWrites);
        assertTrue(Files.readString(tmp.resolve("esp/loader/entries/edgegw-b.conf"), StandardCharsets.UTF_8)
                .contains("root=PARTUUID=bbbb"));

        JsonObject info = new JsonObject(send("GET", "/api/v1/system", "application/json",
                HttpRequest.BodyPublishers.noBody()).body());
        assertEquals("a", info.getString("activeSlot"));
        assertEquals("armed", info.getJsonObject("trial").getString("state"));
        assertEquals("pending", info.getJsonArray("slots").getJsonObject(1).getString("state"));

        HttpResponse<String> reboot = send("POST", "/api/v1/system/reboot", "application/json",
                HttpRequest.BodyPublishers.ofString("{}"));
        assertEquals(202, reboot.statusCode(), reboot.body());
        assertEquals(1, reboots.get());
    }
}
