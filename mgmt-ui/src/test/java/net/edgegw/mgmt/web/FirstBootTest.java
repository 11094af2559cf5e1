package net.edgegw.mgmt.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import net.edgegw.mgmt.auth.Argon2id;
import net.edgegw.mgmt.port.InMemoryBackend;
import net.edgegw.mgmt.testing.RunningServer;
import net.edgegw.mgmt.testing.RunningServer.Creds;
import net.edgegw.mgmt.testing.RunningServer.Reply;
import org.junit.jupiter.api.Test;

/** No default password: the first admin comes from the one-time setup token, or from a password file. */
class FirstBootTest {
    private static JsonObject setupBody(String token) {
        return new JsonObject().put("token", token).put("username", "root")
                .put("password", RunningServer.ADMIN_PASSWORD);
    }

    @Test
    void setupNeedsTheConsoleTokenOnceAndNoDefaultCredentialsWork() throws Exception {
        // The appliance's real Argon2id cost here (the other tests use a cheap one).
        try (RunningServer s = RunningServer.start(o -> o.passwordHashing(Argon2id.DEFAULT_MEMORY_KIB,
                Argon2id.DEFAULT_ITERATIONS))) {
            String token = s.setupToken();
            assertNotNull(token, "a setup token is printed at first start: " + s.console);
            assertTrue(s.console.get(0).contains("/setup"), s.console.get(0));
            assertTrue(s.get("/api/v1/setup", Creds.NONE).json().getBoolean("required"));

            // Before setup nobody can log in: no default or well-known credentials.
            for (String[] c : List.of(new String[] {"admin", "admin"}, new String[] {"admin", ""},
                    new String[] {"root", "root"}, new String[] {"admin", "password"}, new String[] {"", ""})) {
                int status = s.login(c[0], c[1]).status();
                assertTrue(status == 401 || status == 422, c[0] + "/" + c[1] + " -> " + status);
            }
            assertEquals(401, s.get("/api/v1/clusters", Creds.NONE).status());

            Reply wrong = s.call(HttpMethod.POST, "/api/v1/setup", Creds.NONE, setupBody(token + "x"));
            assertEquals(403, wrong.status(), wrong.body());
            Reply missing = s.call(HttpMethod.POST, "/api/v1/setup", Creds.NONE, setupBody(null));
            assertEquals(400, missing.status(), "the schema wants a string token: " + missing.body());
            Reply empty = s.call(HttpMethod.POST, "/api/v1/setup", Creds.NONE, setupBody(""));
            assertEquals(403, empty.status(), empty.body());
            Reply weak = s.call(HttpMethod.POST, "/api/v1/setup", Creds.NONE,
                    setupBody(token).put("password", "short"));
            assertEquals(400, weak.status(), weak.body());
            assertTrue(weak.body().contains("\"field\":\"password\""), weak.body());
            assertTrue(s.get("/api/v1/setup", Creds.NONE).json().getBoolean("required"), "failed tries keep it open");

            Reply ok = s.call(HttpMethod.POST, "/api/v1/setup", Creds.NONE, setupBody(token));
            assertEquals(201, ok.status(), ok.body());
            assertEquals("admin", ok.json().getString("role"));

            Reply reuse = s.call(HttpMethod.POST, "/api/v1/setup", Creds.NONE,
                    setupBody(token).put("username", "second"));
            assertEquals(410, reuse.status(), "the token is single-use: " + reuse.body());
            assertFalse(s.get("/api/v1/setup", Creds.NONE).json().getBoolean("required"));
            assertEquals(1, s.backend.list().size());
            assertEquals(401, s.login("admin", "admin").status());
            assertEquals(200, s.login("root", RunningServer.ADMIN_PASSWORD).status());
            assertTrue(s.backend.recent(100).stream().anyMatch(e -> e.action().equals("setup")));
            assertTrue(s.backend.recent(100).stream().anyMatch(e -> e.action().equals("setup.failed")));
            assertTrue(s.backend.list().get(0).passwordHash().startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
        }
    }

    @Test
    void passwordFileProvisionsTheFirstAdminWithoutASetupToken() throws Exception {
        Path file = Files.createTempFile("edgegw-admin", ".pw");
        try {
            Files.writeString(file, "from-a-file-password\n");
            try (RunningServer s = RunningServer.start(o -> o.adminPasswordFile(file))) {
                assertNull(s.setupToken(), "no setup token when a password file provisions the admin");
                assertFalse(s.get("/api/v1/setup", Creds.NONE).json().getBoolean("required"));
                assertEquals(410, s.call(HttpMethod.POST, "/api/v1/setup", Creds.NONE, setupBody("x")).status());
                assertEquals(200, s.login(ManagementServer.FIRST_ADMIN, "from-a-file-password").status());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void argon2idHashFileAndTokenFileProvisionTheFirstAdminAndAreIgnoredOnceAUserExists() throws Exception {
        Path dir = Files.createTempDirectory("edgegw-mgmt-provision");
        Path hashFile = dir.resolve("admin.hash");
        Path tokenFile = dir.resolve("api.token");
        String password = "hashed-on-the-flashing-host";
        String token = "egw_" + "0123456789abcdefghijklmnopqrstuvwxyz_-AB";
        List<String> logged = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger(ManagementServer.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try {
            // Made elsewhere, e.g. with argon2-cffi or another edgegw: only the hash is on the provisioning host.
            Files.writeString(hashFile, new Argon2id(1024, 1, 1, new SecureRandom()).hash(password) + "\n");
            Files.writeString(tokenFile, token + "\n");
            InMemoryBackend backend = new InMemoryBackend();
            try (RunningServer s = RunningServer.restart(backend, dir,
                    o -> o.adminPasswordFile(hashFile).apiTokenFile(tokenFile))) {
                assertNull(s.setupToken());
                assertEquals(Files.readString(hashFile).strip(), backend.list().get(0).passwordHash(),
                        "the hash is stored as given");
                assertEquals(200, s.login(ManagementServer.FIRST_ADMIN, password).status());
                assertEquals(401, s.login(ManagementServer.FIRST_ADMIN, Files.readString(hashFile).strip()).status(),
                        "the hash itself is not the password");
                Reply created = s.call(HttpMethod.POST, "/api/v1/clusters", Creds.bearer(token), new JsonObject()
                        .put("name", "c1").put("podCidr", "10.244.0.0/16").put("serviceCidr", "10.96.0.0/12"));
                assertEquals(201, created.status(), "the provisioned token is an admin token: " + created.body());
                assertEquals(1, backend.tokens().size());
                assertEquals(ManagementServer.FIRST_ADMIN, backend.tokens().get(0).owner());
                assertTrue(backend.tokens().stream().noneMatch(t -> t.secretHash().contains(token)));
            }
            // Second start: a user exists, so other files are not read into the directory, and the log says so.
            Files.writeString(hashFile, new Argon2id(1024, 1, 1, new SecureRandom()).hash("another-password-1"));
            Files.writeString(tokenFile, "egw_" + "Z".repeat(40));
            try (RunningServer s = RunningServer.restart(backend, dir,
                    o -> o.adminPasswordFile(hashFile).apiTokenFile(tokenFile))) {
                assertEquals(200, s.login(ManagementServer.FIRST_ADMIN, password).status());
                assertEquals(401, s.get("/api/v1/clusters", Creds.bearer("egw_" + "Z".repeat(40))).status());
                assertEquals(200, s.get("/api/v1/clusters", Creds.bearer(token)).status());
                assertEquals(1, backend.tokens().size());
            }
            assertTrue(logged.contains("provisioning file " + hashFile + " ignored: a user exists already"), logged
                    .toString());
            assertTrue(logged.contains("provisioning file " + tokenFile + " ignored: a user exists already"));
            assertTrue(logged.stream().noneMatch(l -> l.contains(token) || l.contains(password)), "never logged");
        } finally {
            log.removeHandler(capture);
            RunningServer.deleteTree(dir);
        }
    }

    @Test
    void malformedHashOrTokenFileRefusesToStartAndCreatesNobody() throws Exception {
        Path dir = Files.createTempDirectory("edgegw-mgmt-provision-bad");
        try {
            Path hashFile = dir.resolve("admin.hash");
            Path tokenFile = dir.resolve("api.token");
            Files.writeString(hashFile, "$argon2id$v=19$m=1024,t=1,p=1$not-base64!$x");
            InMemoryBackend backend = new InMemoryBackend();
            ManagementServer.Options o = new ManagementServer.Options().dataDir(dir).bind("127.0.0.1", 0)
                    .passwordHashing(1024, 1).adminPasswordFile(hashFile);
            assertThrows(IllegalArgumentException.class, () -> ManagementServer.start(backend, o));
            Files.writeString(hashFile, "a-good-long-password");
            Files.writeString(tokenFile, "egw_short");
            o.apiTokenFile(tokenFile);
            assertThrows(IllegalArgumentException.class, () -> ManagementServer.start(backend, o));
            assertTrue(backend.list().isEmpty());
            assertTrue(backend.tokens().isEmpty());
        } finally {
            RunningServer.deleteTree(dir);
        }
    }

    @Test
    void certificateIsPersistedOwnerOnlyAndReusedOnRestart() throws Exception {
        Path dir = Files.createTempDirectory("edgegw-mgmt-restart");
        net.edgegw.mgmt.port.InMemoryBackend backend = new net.edgegw.mgmt.port.InMemoryBackend();
        RunningServer first = RunningServer.restart(backend, dir);
        try {
            first.setUp();
            byte[] cert;
            byte[] key;
            try (first) {
                Path keyFile = dir.resolve("tls/key.pem");
                Path certFile = dir.resolve("tls/cert.pem");
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(certFile)));
                assertTrue(Files.readString(keyFile).startsWith("-----BEGIN PRIVATE KEY-----"));
                cert = Files.readAllBytes(certFile);
                key = Files.readAllBytes(keyFile);
            }
            try (RunningServer second = RunningServer.restart(backend, dir)) {
                assertArrayEquals(cert, Files.readAllBytes(dir.resolve("tls/cert.pem")));
                assertArrayEquals(key, Files.readAllBytes(dir.resolve("tls/key.pem")));
                assertNull(second.setupToken(), "users exist: no second setup");
                assertEquals(200, second.login("root", RunningServer.ADMIN_PASSWORD).status());
            }
        } finally {
            RunningServer.deleteTree(dir);
        }
    }
}
