package net.edgegw.mgmt.web;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.logging.Logger;
import net.edgegw.mgmt.api.Api;
import net.edgegw.mgmt.auth.Argon2id;
import net.edgegw.mgmt.auth.Authenticator;
import net.edgegw.mgmt.auth.LoginThrottle;
import net.edgegw.mgmt.auth.Secrets;
import net.edgegw.mgmt.auth.SessionStore;
import net.edgegw.mgmt.auth.SetupGate;
import net.edgegw.mgmt.port.ApiToken;
import net.edgegw.mgmt.port.AuditEvent;
import net.edgegw.mgmt.port.Backend;
import net.edgegw.mgmt.port.InMemoryBackend;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.port.User;

/**
 * The HTTPS admin panel and REST API of the appliance. HTTPS only, with a self-signed certificate kept in the data
 * directory. No default password: with no user in the directory, the first admin is created either from a password
 * file given at start (unattended installs), or through {@code /setup} with a one-time token printed on the
 * console.
 *
 * <p>Handlers, in order: security headers on everything; on {@code /api/*} the body limit its route declared
 * ({@link BodyPolicy}, before any parsing) and
 * authentication (bearer token or session cookie + CSRF header); per route, its role gate, validation against
 * its OpenAPI operation ({@link OpenApiValidator}) and handler; one failure handler rendering RFC 9457 problems;
 * the static panel from {@code webroot} for the rest.
 */
public final class ManagementServer implements AutoCloseable {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8443;
    public static final String FIRST_ADMIN = "admin";
    /** A provisioned API token: {@code egw_} and at least 32 URL-safe characters (≥ 190 bits if random). */
    static final Pattern PROVISIONED_TOKEN = Pattern.compile("egw_[A-Za-z0-9_-]{32,512}");
    private static final Logger LOG = Logger.getLogger(ManagementServer.class.getName());

    private final Vertx vertx;
    private final HttpServer server;
    private final Router router;

    private ManagementServer(Vertx vertx, HttpServer server, Router router) {
        this.vertx = vertx;
        this.server = server;
        this.router = router;
    }

    /** How the server starts; the defaults are the appliance's. */
    public static final class Options {
        Path dataDir = Path.of("data");
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        Path adminPasswordFile;
        Path apiTokenFile;
        Consumer<String> console = line -> {
            System.out.println(line);
            System.out.flush();
        };
        Clock clock = Clock.systemUTC();
        int argon2MemoryKib = Argon2id.DEFAULT_MEMORY_KIB;
        int argon2Iterations = Argon2id.DEFAULT_ITERATIONS;
        int maxLoginFailures = 5;
        Duration loginWindow = Duration.ofMinutes(15);

        public Options dataDir(Path dir) {
            dataDir = dir;
            return this;
        }

        public Options bind(String host, int port) {
            this.host = host;
            this.port = port;
            return this;
        }

        /** A file holding the first admin's password, read once at a first start (no user yet), else ignored. */
        public Options adminPasswordFile(Path file) {
            adminPasswordFile = file;
            return this;
        }

        /**
         * A file holding an API token secret ({@code egw_} + at least 32 characters) registered, hashed, as an
         * admin token of the first admin at a first start (with {@link #adminPasswordFile}), else ignored.
         */
        public Options apiTokenFile(Path file) {
            apiTokenFile = file;
            return this;
        }

        /** Where the first-boot setup token line goes (stdout by default). */
        public Options console(Consumer<String> sink) {
            console = sink;
            return this;
        }

        public Options clock(Clock c) {
            clock = c;
            return this;
        }

        /** Argon2id cost for new hashes (existing hashes keep theirs); the defaults suit the appliance. */
        public Options passwordHashing(int memoryKib, int iterations) {
            argon2MemoryKib = memoryKib;
            argon2Iterations = iterations;
            return this;
        }

        /** Failed logins per account and per address within {@code window} before logins are refused. */
        public Options loginThrottle(int maxFailures, Duration window) {
            maxLoginFailures = maxFailures;
            loginWindow = window;
            return this;
        }
    }

    public static ManagementServer start(Backend backend, Path dataDir, String host, int port) {
        return start(backend, new Options().dataDir(dataDir).bind(host, port));
    }

    /** Starts the server and waits until it listens; throws if it cannot. */
    public static ManagementServer start(Backend backend, Options o) {
        SecureRandom random = new SecureRandom();
        Secrets secrets = new Secrets(random);
        Argon2id hasher = new Argon2id(o.argon2MemoryKib, o.argon2Iterations, Argon2id.DEFAULT_PARALLELISM, random);
        SetupGate setup = new SetupGate();
        String setupToken = firstBoot(backend, o, hasher, setup, secrets);
        TlsIdentity tls = TlsIdentity.loadOrCreate(o.dataDir, o.host, random);
        PanelTls panelTls = new PanelTls(tls, o.clock);

        Vertx vertx = Vertx.vertx();
        try {
            SessionStore sessions = new SessionStore(o.clock, secrets, Duration.ofMinutes(30), Duration.ofHours(12));
            Router router = router(vertx, backend, new Api(backend, o.clock, hasher, sessions,
                    new LoginThrottle(o.clock, o.maxLoginFailures, o.loginWindow), setup, secrets, panelTls), sessions);
            HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                            .setSsl(true)
                            .setKeyCertOptions(panelTls.fromFiles())
                            .setHost(o.host).setPort(o.port))
                    .requestHandler(router)
                    .listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            panelTls.serving(server);
            if (setupToken != null) {
                o.console.accept("edgegw: first-boot setup token: " + setupToken + "  (open https://"
                        + displayHost(o.host) + ":" + server.actualPort() + "/setup)");
            }
            LOG.info("admin panel on https://" + displayHost(o.host) + ":" + server.actualPort());
            return new ManagementServer(vertx, server, router);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("cannot start the admin panel on " + o.host + ":" + o.port, e);
        }
    }

    private static String displayHost(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** Returns the setup token to print, or null when there is nothing to set up. */
    private static String firstBoot(Backend backend, Options o, Argon2id hasher, SetupGate setup, Secrets secrets) {
        if (!backend.users().list().isEmpty()) {
            for (Path ignored : new Path[] {o.adminPasswordFile, o.apiTokenFile}) {
                if (ignored != null) {
                    LOG.info("provisioning file " + ignored + " ignored: a user exists already");
                }
            }
            return null;
        }
        if (o.adminPasswordFile == null) {
            if (o.apiTokenFile != null) {
                throw new IllegalArgumentException("an API token file (" + o.apiTokenFile
                        + ") needs an admin password file: the token belongs to the first admin");
            }
            return setup.open(secrets);
        }
        String secret = readProvisioning(o.adminPasswordFile, "admin password");
        String hash;
        if (secret.startsWith("$argon2")) {
            if (!Argon2id.wellFormed(secret)) {
                throw new IllegalArgumentException("the admin password file " + o.adminPasswordFile
                        + " holds no usable Argon2id hash ($argon2id$v=19$m=..,t=..,p=..$salt$hash)");
            }
            hash = secret;
        } else if (secret.length() < 12) {
            throw new IllegalArgumentException("the admin password in " + o.adminPasswordFile
                    + " must be at least 12 characters");
        } else {
            hash = hasher.hash(secret);
        }
        String token = o.apiTokenFile == null ? null : readProvisioning(o.apiTokenFile, "API token");
        if (token != null && !PROVISIONED_TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("the API token in " + o.apiTokenFile
                    + " must be 'egw_' and at least 32 more letters, digits, '-' or '_'");
        }
        if (backend.users().createFirst(new User(FIRST_ADMIN, Role.ADMIN, hash, o.clock.instant()))) {
            backend.audit().append(new AuditEvent(o.clock.instant(), "-", "setup", "users/" + FIRST_ADMIN,
                    "local", "first admin created from " + o.adminPasswordFile
                    + (secret.equals(hash) ? " (Argon2id hash)" : "")));
            if (token != null) {
                ApiToken t = new ApiToken(secrets.nextId(), "provisioned", FIRST_ADMIN, Role.ADMIN,
                        Secrets.sha256Hex(token), o.clock.instant());
                backend.users().addToken(t);
                backend.audit().append(new AuditEvent(o.clock.instant(), "-", "token.create", "tokens/" + t.id(),
                        "local", "provisioned, role admin, from " + o.apiTokenFile));
            }
        }
        return null;
    }

    /** A provisioning file's content, stripped; its content is never logged. */
    private static String readProvisioning(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the " + what + " file " + file, e);
        }
    }

    static Router router(Vertx vertx, Backend backend, Api api, SessionStore sessions) {
        Router router = Router.router(vertx);
        ProblemHandler problems = new ProblemHandler();
        Authenticator authenticator = new Authenticator(backend.users(), sessions);
        router.route().handler(new SecurityHeaders());
        String openapi = resource("openapi.json");
        OpenApiValidator validator = new OpenApiValidator(new JsonObject(openapi));
        router.route().handler(ctx -> {
            ctx.put(OpenApiValidator.KEY, validator);
            ctx.next();
        });
        // Bodies are limited before parsing, as each route declared (learnt below, once the API is mounted).
        BodyLimits bodies = new BodyLimits();
        router.route("/api/*").handler(bodies);
        router.route("/api/*").blockingHandler(authenticator, false);
        router.route("/metrics*").blockingHandler(authenticator, false);
        router.get("/api/openapi.json").putMetadata(RouteTable.ROLE, RouteTable.PUBLIC)
                .handler(ctx -> ctx.response().putHeader("Content-Type", "application/json").end(openapi));
        api.mount(vertx, router);
        bodies.learn(RouteTable.walk(router));
        // The panel is one page: /setup and /login are views of it.
        Buffer index = Buffer.buffer(resource("webroot/index.html"));
        for (String page : new String[] {"/setup", "/login"}) {
            router.get(page).handler(ctx -> page(ctx, index));
        }
        router.route("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html")
                .setDefaultContentEncoding("UTF-8").setCachingEnabled(false).setDirectoryListing(false));
        router.route().failureHandler(problems);
        for (int status : new int[] {400, 401, 403, 404, 405, 413, 415, 500}) {
            router.errorHandler(status, problems);
        }
        return router;
    }

    private static void page(RoutingContext ctx, Buffer index) {
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(index);
    }

    private static String resource(String name) {
        try (InputStream in = ManagementServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    /** The router, for tests that enumerate its routes ({@link RouteTable#walk}). */
    public Router router() {
        return router;
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warning("admin panel did not stop cleanly: " + e);
        }
    }

    /**
     * Standalone run with the in-memory backend: {@code --data-dir DIR --host H --port P
     * --admin-password-file F} (or env {@code EDGEGW_ADMIN_PASSWORD_FILE}).
     */
    public static void main(String[] args) throws InterruptedException {
        Options o = new Options();
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        String pw = System.getenv("EDGEGW_ADMIN_PASSWORD_FILE");
        String tokenFile = System.getenv("EDGEGW_API_TOKEN_FILE");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--data-dir" -> o.dataDir(Path.of(args[i + 1]));
                case "--host" -> host = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--admin-password-file" -> pw = args[i + 1];
                case "--api-token-file" -> tokenFile = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (pw != null && !pw.isEmpty()) {
            o.adminPasswordFile(Path.of(pw));
        }
        if (tokenFile != null && !tokenFile.isEmpty()) {
            o.apiTokenFile(Path.of(tokenFile));
        }
        ManagementServer s = start(new InMemoryBackend(), o.bind(host, port));
        Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        Thread.currentThread().join();
    }
}
