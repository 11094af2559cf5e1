package net.edgegw.mgmt.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.edgegw.mgmt.port.AuditLog;
import net.edgegw.mgmt.port.Backend;
import net.edgegw.mgmt.port.ConfigStore;
import net.edgegw.mgmt.port.InMemoryBackend;
import net.edgegw.mgmt.port.StatusSource;
import net.edgegw.mgmt.port.UserDirectory;
import net.edgegw.mgmt.testing.RunningServer;
import net.edgegw.mgmt.testing.RunningServer.Creds;
import net.edgegw.mgmt.testing.RunningServer.Reply;
import org.junit.jupiter.api.Test;

/** A backend that breaks gives a 500 problem with no internals in it; the server keeps answering. */
class ProblemHandlerTest {
    @Test
    void backendFailureIsA500ProblemWithoutStackTrace() throws Exception {
        InMemoryBackend real = new InMemoryBackend();
        ConfigStore broken = (ConfigStore) Proxy.newProxyInstance(ConfigStore.class.getClassLoader(),
                new Class<?>[] {ConfigStore.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("database file locked: /secret/path/edgegw.mv.db");
                });
        Backend backend = new Backend() {
            @Override
            public ConfigStore config() {
                return broken;
            }

            @Override
            public StatusSource status() {
                return real;
            }

            @Override
            public UserDirectory users() {
                return real;
            }

            @Override
            public AuditLog audit() {
                return real;
            }
        };
        Path dir = Files.createTempDirectory("edgegw-mgmt-broken");
        Logger log = Logger.getLogger(ProblemHandler.class.getName());
        Level level = log.getLevel();
        log.setLevel(Level.OFF); // the expected SEVERE line with its stack trace would only clutter the output
        try (RunningServer s = RunningServer.restart(backend, dir)) {
            s.setUp();
            Creds admin = s.adminSession();
            Reply r = s.get("/api/v1/clusters", admin);
            assertEquals(500, r.status());
            assertEquals(ProblemHandler.CONTENT_TYPE, r.headers().get("Content-Type"));
            JsonObject p = r.json();
            assertEquals(500, p.getInteger("status"));
            assertFalse(r.body().contains("secret") || r.body().contains("IllegalState") || r.body().contains("at "),
                    r.body());
            assertEquals(200, s.get("/api/v1/session", admin).status(), "still serving");
            assertTrue(s.call(HttpMethod.POST, "/api/v1/clusters", admin, new JsonObject()).status() >= 400);
        } finally {
            log.setLevel(level);
            RunningServer.deleteTree(dir);
        }
    }
}
