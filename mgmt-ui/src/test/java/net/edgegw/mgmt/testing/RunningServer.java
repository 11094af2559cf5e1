package net.edgegw.mgmt.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import java.util.stream.Stream;
import net.edgegw.mgmt.port.Backend;
import net.edgegw.mgmt.port.InMemoryBackend;
import net.edgegw.mgmt.web.ManagementServer;

/**
 * A real management server on an ephemeral loopback port with the in-memory backend and a temporary data
 * directory (Argon2id at a cheap cost unless a test asks for the real one), plus a blocking HTTPS client
 * (trusting the self-signed certificate) that keeps cookies explicit.
 */
public final class RunningServer implements AutoCloseable {
    public static final String ADMIN = "root";
    public static final String ADMIN_PASSWORD = "correct horse battery staple";

    /** The in-memory backend, or null when the test passed another {@link Backend}. */
    public final InMemoryBackend backend;
    public final Path dataDir;
    public final ManagementServer server;
    public final List<String> console = new CopyOnWriteArrayList<>();
    private final Vertx clientVertx = Vertx.vertx();
    private final WebClient client;
    private final boolean ownDir;

    private RunningServer(Backend backend, Path dataDir, boolean ownDir,
                          UnaryOperator<ManagementServer.Options> tweak) {
        this.backend = backend instanceof InMemoryBackend m ? m : null;
        this.dataDir = dataDir;
        this.ownDir = ownDir;
        this.server = ManagementServer.start(backend, tweak.apply(new ManagementServer.Options()
                .dataDir(dataDir).bind("127.0.0.1", 0).console(console::add).passwordHashing(1024, 1)));
        this.client = WebClient.create(clientVertx, new WebClientOptions().setSsl(true).setTrustAll(true)
                .setVerifyHost(false).setDefaultHost("127.0.0.1").setDefaultPort(server.port())
                .setFollowRedirects(false));
    }

    public static RunningServer start() {
        return start(UnaryOperator.identity());
    }

    public static RunningServer start(UnaryOperator<ManagementServer.Options> tweak) {
        try {
            return new RunningServer(new InMemoryBackend(), Files.createTempDirectory("edgegw-mgmt-test"), true, tweak);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server on a given data directory and backend, which it leaves in place (restart tests). */
    public static RunningServer restart(Backend backend, Path dataDir) {
        return restart(backend, dataDir, UnaryOperator.identity());
    }

    /** As {@link #restart(Backend, Path)}, with options changed by {@code tweak}. */
    public static RunningServer restart(Backend backend, Path dataDir, UnaryOperator<ManagementServer.Options> tweak) {
        return new RunningServer(backend, dataDir, false, tweak);
    }

    public String url() {
        return "https://127.0.0.1:" + server.port();
    }

    /** The setup token from the console line, or null if none was printed. */
    public String setupToken() {
        for (String line : console) {
            if (line.startsWith("edgegw: first-boot setup token: ")) {
                return line.substring("edgegw: first-boot setup token: ".length()).split(" ")[0];
            }
        }
        return null;
    }

    /** One answer: status, headers, body. */
    public record Reply(int status, MultiMap headers, String body) {
        public JsonObject json() {
            return new JsonObject(body);
        }

        public io.vertx.core.json.JsonArray array() {
            return new io.vertx.core.json.JsonArray(body);
        }
    }

    /** Credentials to send: a session cookie (+ CSRF token), or a bearer token, or nothing. */
    public record Creds(String cookie, String csrf, String bearer) {
        public static final Creds NONE = new Creds(null, null, null);

        public static Creds bearer(String token) {
            return new Creds(null, null, token);
        }

        public Creds withoutCsrf() {
            return new Creds(cookie, null, bearer);
        }
    }

    public Reply call(HttpMethod method, String path, Creds creds, Object body) {
        return call(method, path, creds, body, Map.of());
    }

    public Reply call(HttpMethod method, String path, Creds creds, Object body, Map<String, String> headers) {
        HttpRequest<Buffer> req = client.request(method, path).timeout(20_000);
        if (creds.cookie() != null) {
            req.putHeader("Cookie", creds.cookie());
        }
        if (creds.csrf() != null) {
            req.putHeader("X-CSRF-Token", creds.csrf());
        }
        if (creds.bearer() != null) {
            req.putHeader("Authorization", "Bearer " + creds.bearer());
        }
        headers.forEach(req::putHeader);
        try {
            HttpResponse<Buffer> r;
            if (body == null) {
                r = req.send().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } else {
                if (!headers.containsKey("Content-Type")) {
                    req.putHeader("Content-Type", "application/json");
                }
                Buffer b = body instanceof Buffer buf ? buf : Buffer.buffer(body.toString());
                r = req.sendBuffer(b).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            return new Reply(r.statusCode(), r.headers(), r.bodyAsString() == null ? "" : r.bodyAsString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    public Reply get(String path, Creds creds) {
        return call(HttpMethod.GET, path, creds, null);
    }

    /**
     * GET {@code path} read as it arrives (server-sent events): each line goes to {@code line} when it comes in,
     * before the next; returns the whole answer once the server ends it.
     */
    public Reply stream(String path, Creds creds, Consumer<String> line) {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null); // self-signed
            HttpClient http = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(20)).build();
            java.net.http.HttpRequest.Builder req = java.net.http.HttpRequest.newBuilder(URI.create(url() + path))
                    .timeout(Duration.ofSeconds(30));
            if (creds.cookie() != null) {
                req.header("Cookie", creds.cookie());
            }
            if (creds.bearer() != null) {
                req.header("Authorization", "Bearer " + creds.bearer());
            }
            java.net.http.HttpResponse<Stream<String>> r = http.send(req.build(),
                    java.net.http.HttpResponse.BodyHandlers.ofLines());
            StringBuilder body = new StringBuilder();
            try (Stream<String> lines = r.body()) {
                lines.forEach(l -> {
                    body.append(l).append('\n');
                    line.accept(l);
                });
            }
            MultiMap headers = MultiMap.caseInsensitiveMultiMap();
            r.headers().map().forEach(headers::add);
            return new Reply(r.statusCode(), headers, body.toString());
        } catch (Exception e) {
            throw new IllegalStateException("GET " + path + " (streamed) failed", e);
        }
    }

    /** Creates the first admin through first-boot setup. */
    public void setUp() {
        Reply r = call(HttpMethod.POST, "/api/v1/setup", Creds.NONE, new JsonObject().put("token", setupToken())
                .put("username", ADMIN).put("password", ADMIN_PASSWORD));
        assertEquals(201, r.status(), r.body());
    }

    public Reply login(String user, String password) {
        return call(HttpMethod.POST, "/api/v1/session", Creds.NONE,
                new JsonObject().put("username", user).put("password", password));
    }

    /** Logs in and returns the session cookie and CSRF token. */
    public Creds session(String user, String password) {
        Reply r = login(user, password);
        assertEquals(200, r.status(), r.body());
        String setCookie = r.headers().get("Set-Cookie");
        assertNotNull(setCookie);
        return new Creds(setCookie.split(";", 2)[0], r.json().getString("csrfToken"), null);
    }

    public Creds adminSession() {
        return session(ADMIN, ADMIN_PASSWORD);
    }

    /** Creates a user with {@code role} (as admin) whose password is {@code name + "-password-1"}. */
    public void createUser(Creds admin, String name, String role) {
        Reply r = call(HttpMethod.POST, "/api/v1/users", admin, new JsonObject().put("name", name).put("role", role)
                .put("password", name + "-password-1"));
        assertEquals(201, r.status(), r.body());
    }

    /** Creates an API token with {@code role} and returns its secret. */
    public String createToken(Creds admin, String role) {
        Reply r = call(HttpMethod.POST, "/api/v1/tokens", admin, new JsonObject().put("name", role + " token")
                .put("role", role));
        assertEquals(201, r.status(), r.body());
        return r.json().getString("secret");
    }

    @Override
    public void close() {
        server.close();
        client.close();
        clientVertx.close();
        if (ownDir) {
            deleteTree(dataDir);
        }
    }

    public static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
