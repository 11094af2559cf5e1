package net.edgegw.appliance.lifecycle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The daemon ({@link Main}) as a child JVM on a data directory and an ephemeral port, its stdout and stderr read
 * line by line as one stream; stopped by SIGTERM to its PID ({@link Process#destroy}), killed by PID if it must be.
 */
public final class DaemonProcess implements AutoCloseable {
    private static final Pattern TOKEN = Pattern.compile("first-boot setup token: (\\S+)");
    private static final Pattern READY = Pattern.compile("edgegw ready: .*https://127\\.0\\.0\\.1:(\\d+)");

    final Process process;
    final List<String> output = new ArrayList<>();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread pump;
    private final Path dataDir;
    String setupToken;
    int port;
    private HttpClient http;

    DaemonProcess(Path dataDir, String... args) throws IOException {
        this(dataDir, java.util.Map.of(), args);
    }

    DaemonProcess(Path dataDir, java.util.Map<String, String> env, String... args) throws IOException {
        this.dataDir = dataDir;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--data-dir", dataDir.toString(), "--mgmt-port", "0",
                "--data-plane", "off")); // as root it would otherwise start the example's tunnels in this namespace
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("NOTIFY_SOCKET");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true); // one pipe: lines arrive in the order they were written
        process = pb.start();
        pump = pump(process.getInputStream());
    }

    private Thread pump(InputStream in) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process went away
            }
        }, "daemon-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for the ready line (noting the setup token and the port); fails with the output so far if none. */
    DaemonProcess awaitReady(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line == null) {
                if (!process.isAlive() && lines.isEmpty()) {
                    throw new AssertionError("daemon exited with " + process.exitValue() + ":\n" + text());
                }
                continue;
            }
            output.add(line);
            Matcher m = TOKEN.matcher(line);
            if (m.find()) {
                setupToken = m.group(1);
            }
            m = READY.matcher(line);
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
                return this;
            }
        }
        throw new AssertionError("daemon not ready within " + timeout + ":\n" + text());
    }

    /** Waits for the process to exit and returns its code; every output line is then in {@link #output}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("daemon still running after " + timeout + ":\n" + text());
        }
        // the pump reads until the pipe's end (the process is gone): then every line is in the queue, however late
        // a loaded machine lets the pump run
        pump.join(TimeUnit.SECONDS.toMillis(30));
        lines.drainTo(output);
        return process.exitValue();
    }

    /** SIGTERM to the PID, as systemd does. */
    void terminate() {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
    }

    String text() {
        lines.drainTo(output);
        return String.join("\n", output);
    }

    /** An HTTPS client trusting only the certificate the admin panel made in {@code dataDir}. */
    public static HttpClient trusting(Path dataDir) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dataDir.resolve("tls/cert.pem"))) {
            trust.setCertificateEntry("daemon", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** An HTTPS request to the daemon, trusting only the certificate it made in its data directory. */
    HttpResponse<String> call(String method, String path, String body, String... headers) throws Exception {
        if (http == null) {
            http = trusting(dataDir);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL to this PID
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
