package net.edgegw.mgmt.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import net.edgegw.mgmt.port.AuditLog;
import net.edgegw.mgmt.port.Backend;
import net.edgegw.mgmt.port.CommitResult;
import net.edgegw.mgmt.port.ConfigDocuments;
import net.edgegw.mgmt.port.ConfigStore;
import net.edgegw.mgmt.port.InMemoryBackend;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.port.StatusSource;
import net.edgegw.mgmt.port.UserDirectory;
import net.edgegw.mgmt.testing.RunningServer;
import net.edgegw.mgmt.testing.RunningServer.Creds;
import net.edgegw.mgmt.testing.RunningServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each route's declared {@link BodyPolicy} holds on a running server, to the byte: JSON routes take 64 KiB, the
 * YAML import 1 MiB (its backend here accepts any document and records what arrived), and only the firmware
 * upload is streamed. Past a limit the answer is a 413 problem and the handler never runs.
 */
class BodyLimitsTest {
    static final long IMPORT_LIMIT = 1024 * 1024;
    static final List<String> loaded = new CopyOnWriteArrayList<>();
    private static RunningServer s;
    private static Path dir;
    private static Creds admin;

    @BeforeAll
    static void start() throws IOException {
        InMemoryBackend mem = new InMemoryBackend();
        Backend backend = new Backend() {
            @Override
            public ConfigStore config() {
                return mem;
            }

            @Override
            public StatusSource status() {
                return mem;
            }

            @Override
            public UserDirectory users() {
                return mem;
            }

            @Override
            public AuditLog audit() {
                return mem;
            }

            @Override
            public ConfigDocuments documents() {
                return new ConfigDocuments() {
                    @Override
                    public String export(String author, String source) {
                        return "version: 1\n";
                    }

                    @Override
                    public CommitResult load(String yaml, Mode mode, String author, String source) {
                        loaded.add(yaml);
                        return new CommitResult.Committed(loaded.size());
                    }
                };
            }
        };
        dir = Files.createTempDirectory("edgegw-body-limits");
        s = RunningServer.restart(backend, dir);
        s.setUp();
        admin = Creds.bearer(s.createToken(s.adminSession(), "admin"));
    }

    @AfterAll
    static void stop() {
        s.close();
        RunningServer.deleteTree(dir);
    }

    /** A JSON object of exactly {@code bytes} bytes. */
    static Buffer json(long bytes) {
        String head = "{\"description\":\"";
        return Buffer.buffer(head + "a".repeat((int) bytes - head.length() - 2) + "\"}");
    }

    /** A YAML document of exactly {@code bytes} bytes (a long comment, then the document). */
    static Buffer yaml(long bytes) {
        String doc = "version: 1\n";
        return Buffer.buffer("#" + "x".repeat((int) bytes - doc.length() - 2) + "\n" + doc);
    }

    static void assertTooLarge(Reply r) {
        assertEquals(413, r.status(), r.body());
        assertTrue(r.headers().get("Content-Type").startsWith(ProblemHandler.CONTENT_TYPE), r.headers().toString());
    }

    @Test
    void onlyTheImportAndTheFirmwareUploadDeclareAnotherPolicy() {
        Map<String, BodyPolicy> other = new TreeMap<>();
        for (RouteTable.Entry e : RouteTable.walk(s.server.router())) {
            if (!e.body().equals(BodyPolicy.JSON)) {
                other.put(e.method() + " " + e.path(), e.body());
            }
        }
        assertEquals(Map.of("POST /api/v1/config/import", BodyPolicy.large(IMPORT_LIMIT),
                "POST /api/v1/system/update", BodyPolicy.STREAMED), other);
    }

    @Test
    void aJsonRouteTakesSixtyFourKibAndNotOneByteMore() {
        assertEquals(BodyPolicy.JSON_LIMIT, json(BodyPolicy.JSON_LIMIT).length());
        Reply at = s.call(HttpMethod.POST, "/api/v1/clusters", admin, json(BodyPolicy.JSON_LIMIT));
        assertEquals(400, at.status(), "read and validated (no name): " + at.body());
        assertTooLarge(s.call(HttpMethod.POST, "/api/v1/clusters", admin, json(BodyPolicy.JSON_LIMIT + 1)));
        // the same on another JSON route, one with a path parameter
        assertTooLarge(s.call(HttpMethod.PUT, "/api/v1/peers/cloud", admin, json(BodyPolicy.JSON_LIMIT + 1)));
    }

    @Test
    void theYamlImportTakesOneMibAndNotOneByteMore() {
        Map<String, String> type = Map.of("Content-Type", "application/yaml");
        loaded.clear();
        for (long size : new long[] {200 * 1024, IMPORT_LIMIT}) {
            Buffer doc = yaml(size);
            assertEquals(size, doc.length());
            Reply r = s.call(HttpMethod.POST, "/api/v1/config/import", admin, doc, type);
            assertEquals(200, r.status(), size + " bytes: " + r.body());
            assertEquals(doc.toString(), loaded.get(loaded.size() - 1), "the whole document reached the backend");
        }
        assertTooLarge(s.call(HttpMethod.POST, "/api/v1/config/import", admin, yaml(IMPORT_LIMIT + 1), type));
        assertEquals(2, loaded.size(), "the handler did not run past the limit");
    }

    /** The server's body step finds the policy of the route that takes a request (no path is special to it). */
    @Test
    void policiesAreFoundByMethodAndPathTemplate() {
        BodyLimits b = new BodyLimits();
        String role = Role.ADMIN.id();
        b.learn(List.of(new RouteTable.Entry(HttpMethod.POST, "/api/v1/things/:name", role, BodyPolicy.large(100)),
                new RouteTable.Entry(HttpMethod.POST, "/api/v1/things/import", role, BodyPolicy.STREAMED),
                new RouteTable.Entry(HttpMethod.GET, "/api/v1/things/:name", role, BodyPolicy.JSON)));
        assertEquals(BodyPolicy.large(100), b.policy(HttpMethod.POST, "/api/v1/things/a"));
        assertEquals(BodyPolicy.large(100), b.policy(HttpMethod.POST, "/api/v1/things/a/"));
        assertEquals(BodyPolicy.STREAMED, b.policy(HttpMethod.POST, "/api/v1/things/import"), "the literal wins");
        assertEquals(BodyPolicy.JSON, b.policy(HttpMethod.GET, "/api/v1/things/import"));
        assertEquals(BodyPolicy.JSON, b.policy(HttpMethod.PUT, "/api/v1/things/a"), "no such route: the default");
        assertEquals(BodyPolicy.JSON, b.policy(HttpMethod.POST, "/api/v1/things/a/b"));
        assertEquals(BodyPolicy.JSON, b.policy(HttpMethod.POST, "/api/v1/things"));
    }
}
