package net.edgegw.mgmt.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * {@code gatewayctl}: the REST API ({@code /api/v1}) from a shell, with an API token ({@code Authorization: Bearer}).
 * Every failure the server reports (RFC 9457 problem+json) is printed with its per-field errors and exits 1; a
 * usage mistake exits 2.
 */
public final class GatewayCtl {
    static final String USAGE = """
            usage: gatewayctl [--url URL] [--token TOKEN] [--insecure | --cacert PEM] [--json] COMMAND
              status                                  tunnels and config summary
              list   clusters|peers|connections
              show   clusters|peers|connections NAME
              delete clusters|peers|connections NAME
              revisions                               configuration history, newest first
              rollback N                              restore revision N as a new revision
              restart CONNECTION                      re-establish a tunnel (operator)
              export [FILE]                           the configuration as YAML, secrets left out (stdout)
              import FILE                             FILE (YAML) becomes the whole configuration: what it
                                                      leaves out is removed (stored PSKs/keys of items it
                                                      names without them are kept)
              apply FILE                              the items FILE names replace or join those of the same
                                                      name; the rest is kept (zero-touch additions)
              tokens list | create NAME ROLE | revoke ID   API tokens (create prints the secret once; the
                                                      server mints tokens for a logged-in user only, so
                                                      create logs in as $GATEWAYCTL_USER with
                                                      $GATEWAYCTL_PASSWORD and logs out again)
              initiate|terminate CONNECTION           bring a tunnel up now / delete its SAs and keep it down (operator)
              rekey CONNECTION [ike|child|both]       rekey its IKE SA and/or CHILD SAs, default both (operator)
              logs [--level L] [--grep TEXT] [--limit N]  recent log records, L error|warning|info|debug|trace (operator)
              ping CONNECTION TARGET [--count N] [--source ADDR]  ping through the tunnel from the gateway (operator)
            URL and TOKEN default to $GATEWAYCTL_URL and $GATEWAYCTL_TOKEN; --insecure accepts any certificate
            (the appliance's self-signed one), --cacert trusts the PEM certificate(s) in the file.
            """;
    private static final Set<String> KINDS = Set.of("clusters", "peers", "connections");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final PrintStream out;
    private final PrintStream err;
    private String url;
    private String token;
    private String user;
    private String password;
    private boolean insecure;
    private Path cacert;
    private boolean json;

    private GatewayCtl(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs one command and returns the exit status: 0 done, 1 refused or failed, 2 usage. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        GatewayCtl ctl = new GatewayCtl(out, err);
        ctl.url = env.get("GATEWAYCTL_URL");
        ctl.token = env.get("GATEWAYCTL_TOKEN");
        ctl.user = env.get("GATEWAYCTL_USER");
        ctl.password = env.get("GATEWAYCTL_PASSWORD");
        List<String> words = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--url" -> ctl.url = value(args, ++i, "--url");
                    case "--token" -> ctl.token = value(args, ++i, "--token");
                    case "--cacert" -> ctl.cacert = Path.of(value(args, ++i, "--cacert"));
                    case "--insecure", "-k" -> ctl.insecure = true;
                    case "--json" -> ctl.json = true;
                    case "--help", "-h" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    default -> {
                        if (args[i].startsWith("--") && words.isEmpty()) { // after the command: its own options
                            throw new Usage("unknown option " + args[i]);
                        }
                        words.add(args[i]);
                    }
                }
            }
            if (ctl.url == null || ctl.url.isBlank()) {
                throw new Usage("no server: --url or GATEWAYCTL_URL");
            }
            if (ctl.token == null || ctl.token.isBlank()) {
                throw new Usage("no API token: --token or GATEWAYCTL_TOKEN");
            }
            if (ctl.insecure && ctl.cacert != null) {
                throw new Usage("--insecure and --cacert exclude each other");
            }
            return ctl.command(words);
        } catch (Usage e) {
            err.println("gatewayctl: " + e.getMessage() + " (gatewayctl --help)");
            return 2;
        } catch (Failed e) {
            err.println("gatewayctl: " + e.getMessage());
            return 1;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new Usage(option + " needs a value");
        }
        return args[i];
    }

    private int command(List<String> w) {
        if (w.isEmpty()) {
            throw new Usage("no command");
        }
        String cmd = w.get(0);
        switch (cmd) {
            case "status" -> {
                args(w, 1);
                status((JsonObject) call("GET", "/status"));
            }
            case "list" -> {
                args(w, 2);
                table((JsonArray) call("GET", "/" + kind(w.get(1))));
            }
            case "show" -> {
                args(w, 3);
                out.println(((JsonObject) call("GET", "/" + kind(w.get(1)) + "/" + segment(w.get(2))))
                        .encodePrettily());
            }
            case "delete" -> {
                args(w, 3);
                call("DELETE", "/" + kind(w.get(1)) + "/" + segment(w.get(2)));
                out.println("deleted " + w.get(1) + "/" + w.get(2));
            }
            case "revisions" -> {
                args(w, 1);
                revisions((JsonArray) call("GET", "/revisions"));
            }
            case "rollback" -> {
                args(w, 2);
                if (!w.get(1).matches("r?\\d{1,18}")) {
                    throw new Usage("rollback needs a revision number, not '" + w.get(1) + "'");
                }
                JsonObject r = (JsonObject) call("POST", "/revisions/" + w.get(1).replace("r", "") + "/rollback");
                printOr(r, () -> out.println("rolled back to r" + w.get(1).replace("r", "") + ": now r"
                        + r.getLong("number")));
            }
            case "restart" -> {
                args(w, 2);
                JsonObject r = (JsonObject) call("POST", "/status/tunnels/" + segment(w.get(1)) + "/restart");
                printOr(r, () -> out.println("restart of " + w.get(1) + " requested"));
            }
            case "export" -> {
                if (w.size() > 2) {
                    throw new Usage("export takes at most 1 argument");
                }
                String yaml = send("GET", "/config/export", null, null);
                if (w.size() == 2) {
                    write(Path.of(w.get(1)), yaml);
                    err.println("exported to " + w.get(1) + " (secrets left out)");
                } else {
                    out.print(yaml);
                }
            }
            case "import", "apply" -> {
                args(w, 2);
                JsonObject r = (JsonObject) decode(send("POST", "/config/import?mode="
                        + (cmd.equals("import") ? "replace" : "merge"), "application/yaml", read(Path.of(w.get(1)))));
                printOr(r, () -> out.println((cmd.equals("import") ? "imported " : "applied ") + w.get(1)
                        + ": now r" + r.getLong("revision")));
            }
            case "tokens" -> tokens(w);
            case "initiate", "terminate", "rekey", "logs", "ping" -> ops(w);
            default -> throw new Usage("unknown command '" + cmd + "'");
        }
        return 0;
    }

    private void tokens(List<String> w) {
        String sub = w.size() < 2 ? "" : w.get(1);
        switch (sub) {
            case "list" -> {
                args(w, 2);
                JsonArray all = (JsonArray) call("GET", "/tokens");
                JsonArray rows = new JsonArray();
                for (int i = 0; i < all.size(); i++) {
                    JsonObject t = all.getJsonObject(i);
                    rows.add(new JsonObject().put("id", t.getString("id")).put("name", t.getString("name"))
                            .put("owner", t.getString("owner")).put("role", t.getString("role"))
                            .put("created", t.getValue("created")));
                }
                printOr(all, () -> columns(rows));
            }
            case "create" -> {
                args(w, 4);
                JsonObject t = createTokenAsUser(w.get(2), w.get(3));
                printOr(t, () -> {
                    out.println(t.getString("secret"));
                    err.println("token " + t.getString("id") + " (" + t.getString("role")
                            + "): the secret above is shown only now");
                });
            }
            case "revoke" -> {
                args(w, 3);
                call("DELETE", "/tokens/" + segment(w.get(2)));
                out.println("revoked token " + w.get(2));
            }
            default -> throw new Usage("tokens takes list, create NAME ROLE or revoke ID");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Failed("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Failed("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** The operator's commands: tunnel actions, the log tail, ping through a tunnel. */
    private void ops(List<String> w) {
        String cmd = w.get(0);
        Map<String, String> opt = new java.util.LinkedHashMap<>();
        List<String> pos = new ArrayList<>();
        for (int i = 1; i < w.size(); i++) {
            if (w.get(i).startsWith("--")) {
                opt.put(w.get(i), value(w.toArray(String[]::new), ++i, w.get(i - 1)));
            } else {
                pos.add(w.get(i));
            }
        }
        Set<String> allowed = switch (cmd) {
            case "logs" -> Set.of("--level", "--grep", "--limit");
            case "ping" -> Set.of("--count", "--source");
            default -> Set.of();
        };
        for (String o : opt.keySet()) {
            if (!allowed.contains(o)) {
                throw new Usage(cmd + " has no option " + o);
            }
        }
        int want = switch (cmd) {
            case "logs" -> 0;
            case "ping" -> 2;
            case "rekey" -> pos.size() == 2 ? 2 : 1;
            default -> 1;
        };
        if (pos.size() != want) {
            throw new Usage(cmd + " takes " + want + " argument" + (want == 1 ? "" : "s"));
        }
        switch (cmd) {
            case "logs" -> {
                StringBuilder q = new StringBuilder("/logs?limit=" + segment(opt.getOrDefault("--limit", "200")));
                if (opt.containsKey("--level")) {
                    q.append("&level=").append(segment(opt.get("--level")));
                }
                if (opt.containsKey("--grep")) {
                    q.append("&q=").append(segment(opt.get("--grep")));
                }
                JsonArray recs = (JsonArray) call("GET", q.toString());
                printOr(recs, () -> {
                    for (int i = 0; i < recs.size(); i++) {
                        JsonObject r = recs.getJsonObject(i);
                        String logger = r.getString("logger");
                        out.println(r.getString("at") + " " + r.getString("level") + " "
                                + logger.substring(logger.lastIndexOf('.') + 1) + ": " + r.getString("message"));
                    }
                });
            }
            case "ping" -> {
                JsonObject body = new JsonObject().put("connection", pos.get(0)).put("target", pos.get(1));
                if (opt.containsKey("--count")) {
                    if (!opt.get("--count").matches("\\d{1,2}")) {
                        throw new Usage("--count needs a number 1..10");
                    }
                    body.put("count", Integer.parseInt(opt.get("--count")));
                }
                if (opt.containsKey("--source")) {
                    body.put("source", opt.get("--source"));
                }
                JsonObject r = (JsonObject) send("POST", "/diagnostics/ping", body);
                printOr(r, () -> {
                    r.getJsonArray("output").forEach(out::println);
                    out.println(r.getInteger("received") + "/" + r.getInteger("sent") + " replies from "
                            + r.getString("target") + " (source " + r.getString("source") + ")");
                });
                if (r.getInteger("received", 0) == 0) {
                    throw new Failed("no reply from " + pos.get(1));
                }
            }
            default -> {
                String scope = cmd.equals("rekey") && pos.size() == 2 ? pos.get(1) : "both";
                if (!Set.of("ike", "child", "both").contains(scope)) {
                    throw new Usage("rekey scope is ike, child or both, not '" + scope + "'");
                }
                JsonObject r = (JsonObject) send("POST", "/status/tunnels/" + segment(pos.get(0)) + "/" + cmd,
                        cmd.equals("rekey") ? new JsonObject().put("scope", scope) : null);
                printOr(r, () -> out.println(cmd + " " + pos.get(0) + ": " + r.getString("detail")));
            }
        }
    }

    private static void args(List<String> w, int n) {
        if (w.size() != n) {
            throw new Usage(w.get(0) + " takes " + (n - 1) + " argument" + (n == 2 ? "" : "s"));
        }
    }

    private static String kind(String k) {
        if (!KINDS.contains(k)) {
            throw new Usage("'" + k + "' is not one of clusters, peers, connections");
        }
        return k;
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private void printOr(Object body, Runnable human) {
        if (json) {
            out.println(Json.encodePrettily(body));
        } else {
            human.run();
        }
    }

    private void status(JsonObject s) {
        printOr(s, () -> {
            out.println("revision r" + s.getLong("revision") + ", " + s.getInteger("clusters") + " clusters, "
                    + s.getInteger("peers") + " peers");
            JsonArray tunnels = s.getJsonArray("tunnels");
            JsonArray rows = new JsonArray();
            for (int i = 0; i < tunnels.size(); i++) {
                JsonObject t = tunnels.getJsonObject(i);
                rows.add(new JsonObject().put("tunnel", t.getString("name")).put("state", t.getString("state"))
                        .put("bytesIn", t.getLong("bytesIn")).put("bytesOut", t.getLong("bytesOut"))
                        .put("packets", t.getLong("packetsIn") + "/" + t.getLong("packetsOut"))
                        .put("drops", t.getLong("drops")));
            }
            columns(rows);
        });
    }

    private void revisions(JsonArray revs) {
        JsonArray rows = new JsonArray();
        for (int i = 0; i < revs.size(); i++) {
            JsonObject r = revs.getJsonObject(i);
            rows.add(new JsonObject().put("rev", "r" + r.getLong("number")).put("at", r.getValue("at"))
                    .put("author", r.getString("author")).put("source", r.getString("source"))
                    .put("comment", r.getString("comment")));
        }
        printOr(revs, () -> columns(rows));
    }

    private void table(JsonArray items) {
        printOr(items, () -> columns(items));
    }

    /** Aligned columns named by the first object's keys; an empty list prints "(none)". */
    private void columns(JsonArray rows) {
        if (rows.isEmpty()) {
            out.println("(none)");
            return;
        }
        List<String> keys = new ArrayList<>(rows.getJsonObject(0).fieldNames());
        int[] width = new int[keys.size()];
        List<String[]> lines = new ArrayList<>();
        lines.add(keys.stream().map(k -> k.toUpperCase(java.util.Locale.ROOT)).toArray(String[]::new));
        for (int i = 0; i < rows.size(); i++) {
            JsonObject r = rows.getJsonObject(i);
            lines.add(keys.stream().map(k -> r.getValue(k) == null ? "-" : String.valueOf(r.getValue(k)))
                    .toArray(String[]::new));
        }
        for (String[] line : lines) {
            for (int c = 0; c < line.length; c++) {
                width[c] = Math.max(width[c], line[c].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < line.length; c++) {
                b.append(c == line.length - 1 ? line[c] : String.format("%-" + width[c] + "s  ", line[c]));
            }
            out.println(b.toString().stripTrailing());
        }
    }

    /** One API call; the decoded JSON body (null for 204), or {@link Failed} with the server's problem. */
    private Object call(String method, String path) {
        return decode(send(method, path, null, null));
    }

    private static Object decode(String body) {
        try {
            return body.isBlank() ? null : Json.decodeValue(body);
        } catch (DecodeException e) {
            throw new Failed("the server's answer is not JSON");
        }
    }

    /**
     * The server mints API tokens only for a logged-in session (a leaked token cannot mint its successor): logs in
     * as {@code $GATEWAYCTL_USER}, creates the token with the session's cookie and CSRF token, logs out.
     */
    private JsonObject createTokenAsUser(String name, String role) {
        if (user == null || user.isBlank() || password == null || password.isEmpty()) {
            throw new Usage("tokens create logs in as a user: set GATEWAYCTL_USER and GATEWAYCTL_PASSWORD");
        }
        HttpResponse<String> login = exchange("POST", "/session", "application/json",
                new JsonObject().put("username", user).put("password", password).encode(), Map.of());
        String cookie = login.headers().firstValue("set-cookie").map(c -> c.split(";", 2)[0])
                .orElseThrow(() -> new Failed("the server set no session cookie"));
        String csrf = ((JsonObject) decode(login.body())).getString("csrfToken");
        Map<String, String> session = Map.of("Cookie", cookie, "X-CSRF-Token", csrf == null ? "" : csrf);
        try {
            return (JsonObject) decode(exchange("POST", "/tokens", "application/json",
                    new JsonObject().put("name", name).put("role", role).encode(), session).body());
        } finally {
            exchange("DELETE", "/session", null, null, session);
        }
    }

    /** {@link #call} with a JSON body (null: none): the decoded answer. */
    private Object send(String method, String path, JsonObject payload) {
        return decode(send(method, path, payload == null ? null : "application/json",
                payload == null ? null : payload.encode()));
    }

    /** One API call with an optional body; the answer's text, or {@link Failed} with the server's problem. */
    private String send(String method, String path, String contentType, String body) {
        return exchange(method, path, contentType, body, Map.of("Authorization", "Bearer " + token)).body();
    }

    /** One call with the given credentials' headers; a 2xx answer, or {@link Failed} with the server's problem. */
    private HttpResponse<String> exchange(String method, String path, String contentType, String body,
                                          Map<String, String> credentials) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + "/api/v1" + path))
                .timeout(TIMEOUT).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        credentials.forEach(rb::header);
        if (contentType != null) {
            rb.header("Content-Type", contentType);
        }
        HttpRequest req = rb.build();
        HttpResponse<String> res;
        try {
            res = client().send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failed(method + " " + req.uri() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted");
        }
        String text = res.body() == null ? "" : res.body();
        if (res.statusCode() / 100 != 2) {
            Object decoded;
            try {
                decoded = text.isBlank() ? null : Json.decodeValue(text);
            } catch (DecodeException e) {
                decoded = null;
            }
            throw new Failed(problem(res.statusCode(), decoded, text));
        }
        return res;
    }

    /** "404 Not Found: no peer 'x'" plus one line per bad field (RFC 9457 with the API's {@code errors}). */
    static String problem(int status, Object decoded, String body) {
        if (!(decoded instanceof JsonObject p)) {
            return "HTTP " + status + (body.isBlank() ? "" : ": " + body.strip());
        }
        StringBuilder b = new StringBuilder().append(status);
        if (p.getString("title") != null) {
            b.append(' ').append(p.getString("title"));
        }
        if (p.getString("detail") != null) {
            b.append(": ").append(p.getString("detail"));
        }
        JsonArray errors = p.getJsonArray("errors", new JsonArray());
        for (int i = 0; i < errors.size(); i++) {
            JsonObject e = errors.getJsonObject(i);
            b.append("\n  ").append(e.getString("field")).append(": ").append(e.getString("message"));
        }
        return b.toString();
    }

    private HttpClient client() {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(TIMEOUT);
        try {
            if (insecure) {
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
                // TrustAll is an X509ExtendedTrustManager, so the JDK leaves the host name check to it: none.
                b.sslContext(ssl);
            } else if (cacert != null) {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                try (InputStream in = Files.newInputStream(cacert)) {
                    int n = 0;
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        ks.setCertificateEntry("ca" + n++, c);
                    }
                    if (n == 0) {
                        throw new Failed("no certificate in " + cacert);
                    }
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(null, tmf.getTrustManagers(), new SecureRandom());
                b.sslContext(ssl);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new Failed("TLS setup: " + e.getMessage());
        }
        return b.build();
    }

    /** --insecure: any certificate, any host name (the operator asked for it by name). */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket s) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket s) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine e) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine e) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private static final class Usage extends RuntimeException {
        Usage(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message, null, false, false);
        }
    }
}
