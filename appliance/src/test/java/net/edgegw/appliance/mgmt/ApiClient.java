package net.edgegw.appliance.mgmt;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import net.edgegw.mgmt.auth.Secrets;
import net.edgegw.mgmt.port.ApiToken;
import net.edgegw.mgmt.port.Backend;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.port.User;
import net.edgegw.mgmt.web.ManagementServer;

/**
 * The real management server over a backend, on an ephemeral loopback port, and an HTTPS client holding an admin
 * API token (made directly in the backend's user directory) that trusts only the server's own certificate.
 */
final class ApiClient implements AutoCloseable {
    static final String TOKEN = "egw_test-admin-token-0123456789";

    private final ManagementServer server;
    private final HttpClient http;

    ApiClient(Backend backend, Path dataDir) throws Exception {
        Instant now = Instant.now();
        backend.users().createFirst(new User("admin", Role.ADMIN, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
                now));
        backend.users().addToken(new ApiToken("t-admin", "test", "admin", Role.ADMIN, Secrets.sha256Hex(TOKEN), now));
        server = ManagementServer.start(backend, dataDir.resolve("panel"), "127.0.0.1", 0);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dataDir.resolve("panel/tls/cert.pem"))) {
            trust.setCertificateEntry("panel", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
    }

    String url() {
        return "https://127.0.0.1:" + server.port();
    }

    HttpResponse<String> call(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> json(String method, String path, String body) throws Exception {
        return call(method, path, "application/json", body);
    }

    @Override
    public void close() {
        server.close();
    }
}
