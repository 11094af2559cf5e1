package net.edgegw.appliance.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.edgegw.appliance.config.Fixtures;
import net.edgegw.appliance.daemon.NoEngineDriver;
import net.edgegw.appliance.store.ConfigStore;
import net.edgegw.appliance.store.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The daemon as the operator runs it: a child JVM started by {@link Main}, stopped by SIGTERM. */
@Timeout(600)
class DaemonProcessTest {
    private static final Duration START = Duration.ofSeconds(150);
    /** SIGTERM to exit: about a second on a quiet machine (printed below). */
    private static final Duration STOP = Duration.ofSeconds(60);
    private static final String PASSWORD = "a long enough admin password";

    @TempDir
    Path tmp;

    @Test
    void firstBootSetupThenRestartKeepsUsersAndConfig() throws Exception {
        Path data = tmp.resolve("data");
        try (DaemonProcess d = new DaemonProcess(data).awaitReady(START)) {
            assertNotNull(d.setupToken, "the setup token is printed on stdout:\n" + d.text());
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(data.resolve(ConfigStore.DEVICE_KEY_FILE)), "device key 0600");
            assertEquals(401, login(d, "admin", "admin").statusCode(), "no default password");
            JsonObject setup = new JsonObject().put("token", d.setupToken).put("username", "root")
                    .put("password", PASSWORD);
            assertEquals(201, d.call("POST", "/api/v1/setup", setup.encode()).statusCode());
            assertEquals(410, d.call("POST", "/api/v1/setup", setup.put("username", "again").encode()).statusCode(),
                    "the token works once");
            String[] session = session(d);
            HttpResponse<String> created = d.call("POST", "/api/v1/clusters", new JsonObject().put("name", "c1")
                    .put("podCidr", "10.244.0.0/16").put("serviceCidr", "10.96.0.0/12").encode(), session);
            assertEquals(201, created.statusCode(), created.body());

            try (DaemonProcess second = new DaemonProcess(data)) {
                assertEquals(1, second.awaitExit(START), "one daemon per data directory");
                assertTrue(second.text().contains("already in use"), second.text());
            }

            long t0 = System.nanoTime();
            d.terminate();
            assertEquals(0, d.awaitExit(STOP), "SIGTERM is a clean stop:\n" + d.text());
            assertTrue(d.text().contains("edgegw stopped"), d.text());
            System.out.printf("SIGTERM to exit: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        }
        try (DaemonProcess d = new DaemonProcess(data).awaitReady(START)) {
            assertNull(d.setupToken, "users exist: no setup token at a restart:\n" + d.text());
            String[] session = session(d);
            HttpResponse<String> c1 = d.call("GET", "/api/v1/clusters/c1", null, session);
            assertEquals(200, c1.statusCode(), c1.body());
            assertEquals("10.244.0.0/16", new JsonObject(c1.body()).getString("podCidr"));
            d.terminate();
            assertEquals(0, d.awaitExit(STOP));
        }
        try (ConfigStore store = ConfigStore.open(data)) {
            assertEquals(1, store.current().revision().number(), "the lock is released at exit");
            assertTrue(store.audit().stream().anyMatch(e -> e.action().equals("setup")), "setup is audited in H2");
            assertTrue(store.audit().stream().anyMatch(e -> e.action().equals("config.commit")
                    && e.actor().equals("root") && e.source().equals("127.0.0.1") && e.target().equals("clusters/c1")),
                    "who changed what, from where: " + store.audit());
            assertTrue(store.audit().stream().anyMatch(e -> e.action().equals("commit") && e.revision() == 1
                    && e.actor().equals("root")), "and the revision's own row");
        }
    }

    @Test
    void applyCommitsAValidFileAndRefusesAnInvalidOneListingEveryProblem() throws Exception {
        Path data = tmp.resolve("data");
        Path good = tmp.resolve("good.yaml");
        Files.writeString(good, Fixtures.exampleYaml());
        try (DaemonProcess d = new DaemonProcess(data, "--apply", good.toString(), "--admin-password-file",
                write("pw", PASSWORD).toString()).awaitReady(START)) {
            assertNull(d.setupToken, "the password file made the first admin");
            assertEquals(List.of("pods"), tunnels(d, "admin"), "the reconciler started the connections");
            d.terminate();
            assertEquals(0, d.awaitExit(STOP));
        }
        Snapshot applied;
        try (ConfigStore store = ConfigStore.open(data)) {
            applied = store.current();
            assertEquals(1, applied.revision().number());
            assertEquals("provisioning", applied.revision().author());
            assertEquals(Fixtures.example().connections(), applied.config().connections());
        }
        Path bad = write("bad.yaml", Fixtures.exampleYaml()
                .replace("10.244.0.0/16", "10.244.1.5/16")
                .replace("peer: cloud-gw", "peer: nowhere")
                .replace("mode: tunnel", "mode: sideways"));
        try (DaemonProcess d = new DaemonProcess(data, "--apply", bad.toString())) {
            assertEquals(1, d.awaitExit(START), d.text());
            String out = d.text();
            assertTrue(out.contains("was not applied"), out);
            assertTrue(out.contains("10.244.1.5/16"), "the CIDR with host bits:\n" + out);
            assertTrue(out.contains("nowhere"), "the unknown peer:\n" + out);
            assertTrue(out.contains("sideways"), "the bad mode:\n" + out);
        }
        try (ConfigStore store = ConfigStore.open(data)) {
            assertEquals(applied.revision(), store.current().revision(), "nothing changed");
        }
        // The same file at every boot is not an error (zero-touch provisioning re-applies it). Under systemd:
        // READY=1 once serving, STOPPING=1 at SIGTERM; JSON log lines.
        Path sock = tmp.resolve("notify");
        // WatchdogSec= counts from the process start: the daemon pings during a (slow) start too, not only
        // once READY=1 is sent (a JVM start under emulation outlived a 60 s watchdog before it did).
        try (NotifySocket notify = new NotifySocket(sock);
             DaemonProcess d = new DaemonProcess(data, Map.of("NOTIFY_SOCKET", sock.toString(),
                    "WATCHDOG_USEC", "1000000"), "--apply", good.toString(), "--log-format", "json")
                    .awaitReady(START)) {
            assertTrue(d.text().contains("nothing to apply"), d.text());
            assertEquals(List.of("pods"), tunnels(d, "admin"), "tunnels come back by themselves");
            List<String> sent = notify.received();
            String ready = sent.stream().filter(m -> m.startsWith("READY=1")).findFirst().orElse(null);
            assertNotNull(ready, "READY=1 was sent: " + sent);
            assertTrue(ready.startsWith("READY=1\nSTATUS=revision 1"), ready);
            assertEquals("WATCHDOG=1", sent.get(0), "the first ping comes before READY=1: " + sent);
            d.terminate();
            assertEquals(0, d.awaitExit(STOP));
            List<String> all = notify.received();
            assertEquals("STOPPING=1", all.get(all.size() - 1), "the last message: " + all);
            long json = d.output.stream().filter(l -> l.startsWith("{")).peek(l -> assertTrue(
                    new JsonObject(l).getString("message") != null, l)).count();
            assertTrue(json >= 5, "log lines are JSON objects:\n" + d.text());
        }
    }

    /**
     * systemd's end of {@code $NOTIFY_SOCKET}: an AF_UNIX datagram socket that is read all the time, as systemd
     * does. Read only now and then, its queue (net.unix.max_dgram_qlen, 10 datagrams) fills with the pings of a
     * slow start and the daemon's next sendto blocks, READY=1 with it.
     */
    private static final class NotifySocket implements AutoCloseable {
        private final SystemdNotify.C c = SystemdNotify.libc();
        private final int fd;
        private final List<String> received = new java.util.ArrayList<>();
        private final Thread reader;
        private volatile boolean open = true;

        NotifySocket(Path path) {
            fd = c.socket(SystemdNotify.AF_UNIX, SystemdNotify.SOCK_DGRAM | SystemdNotify.SOCK_CLOEXEC, 0);
            assertTrue(fd >= 0, "socket");
            byte[] addr = SystemdNotify.address(path.toString());
            assertEquals(0, c.bind(fd, addr, addr.length), "bind " + path);
            reader = new Thread(() -> {
                while (open) {
                    if (!drain()) {
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "notify-socket");
            reader.setDaemon(true);
            reader.start();
        }

        /** Reads what is queued; true if there was anything. */
        private synchronized boolean drain() {
            boolean any = false;
            for (String m = SystemdNotifyTest.receive(c, fd); m != null; m = SystemdNotifyTest.receive(c, fd)) {
                received.add(m);
                any = true;
            }
            return any;
        }

        /** Every message so far, in the order sent. */
        synchronized List<String> received() {
            drain();
            return List.copyOf(received);
        }

        @Override
        public void close() throws InterruptedException {
            open = false;
            reader.join(5_000);
            c.close(fd);
        }
    }

    /**
     * JNA's native part cannot be mapped (its unpack directory on a noexec mount, as $HOME/.cache is on the
     * appliance's data partition): the daemon still serves the API, says why the data plane is unavailable, and
     * SIGTERM ends it. It used to lose its main thread to NoClassDefFoundError at READY=1 and live on, serving but
     * never ready, so the image's boot report never came.
     */
    @Test
    void withoutJnaTheDaemonServesSaysWhyAndStops() throws Exception {
        Path noexec = tmp.resolve("noexec");
        Files.createDirectories(noexec);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "noexec,size=16m", "tmpfs", noexec.toString())
                .redirectErrorStream(true).start();
        assertTrue(mount.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && mount.exitValue() == 0,
                new String(mount.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        try (NotifySocket notify = new NotifySocket(tmp.resolve("notify"));
             DaemonProcess d = new DaemonProcess(tmp.resolve("data"), Map.of("NOTIFY_SOCKET",
                     tmp.resolve("notify").toString(), "WATCHDOG_USEC", "1000000",
                     "JAVA_TOOL_OPTIONS", "-Djna.tmpdir=" + noexec)).awaitReady(START)) {
            assertTrue(d.text().contains("data plane unavailable: JNA's native library does not load"), d.text());
            HttpResponse<String> api = d.call("GET", "/api/openapi.json", null);
            assertEquals(200, api.statusCode());
            d.terminate();
            assertEquals(0, d.awaitExit(STOP), d.text());
            assertEquals(List.of(), notify.received(), "without libc access nothing reaches systemd");
            assertTrue(d.text().contains("systemd notify: no libc access through JNA"), d.text());
        } finally {
            new ProcessBuilder("umount", "-l", noexec.toString()).start().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** The tunnel names of GET /api/v1/status, each checked to be in the no-engine state. */
    private static List<String> tunnels(DaemonProcess d, String user) throws Exception {
        HttpResponse<String> login = login(d, user, PASSWORD);
        assertEquals(200, login.statusCode(), login.body());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        HttpResponse<String> r = d.call("GET", "/api/v1/status", null, "Cookie", cookie);
        assertEquals(200, r.statusCode(), r.body());
        List<String> names = new java.util.ArrayList<>();
        for (Object o : new JsonObject(r.body()).getJsonArray("tunnels")) {
            JsonObject t = (JsonObject) o;
            assertEquals(NoEngineDriver.STATE.name(), t.getString("stateWord"), t.encode());
            assertEquals(NoEngineDriver.STATE.name(), t.getString("state"), "no detail: the word alone");
            names.add(t.getString("name"));
        }
        return names;
    }

    private Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static HttpResponse<String> login(DaemonProcess d, String user, String password) throws Exception {
        return d.call("POST", "/api/v1/session", new JsonObject().put("username", user).put("password", password)
                .encode());
    }

    /** Logs in as root and returns the headers a session request needs (cookie, CSRF token). */
    private static String[] session(DaemonProcess d) throws Exception {
        HttpResponse<String> r = login(d, "root", PASSWORD);
        assertEquals(200, r.statusCode(), r.body());
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        assertFalse(cookie.isEmpty());
        return new String[] {"Cookie", cookie, "X-CSRF-Token", new JsonObject(r.body()).getString("csrfToken")};
    }
}
