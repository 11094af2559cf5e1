package net.edgegw.mgmt.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import net.edgegw.mgmt.port.Problem;

/**
 * The admin panel's HTTPS certificate at run time: what it is, and its replacement by an upload. A replacement is
 * checked ({@link TlsIdentity#check}), handed to the running server ({@code HttpServer.updateSSLOptions}: new
 * connections get it, open ones keep theirs), and only then written to the data directory; if the server refuses
 * it (422) or it cannot be written (the server goes back to the old files), nothing has changed.
 */
public final class PanelTls {
    private static final Logger LOG = Logger.getLogger(PanelTls.class.getName());

    private final TlsIdentity identity;
    private final Clock clock;
    private volatile HttpServer server;

    PanelTls(TlsIdentity identity, Clock clock) {
        this.identity = identity;
        this.clock = clock;
    }

    /** The server whose certificate is switched; set once it listens. */
    void serving(HttpServer s) {
        server = s;
    }

    /** Options naming the files, as at start. */
    PemKeyCertOptions fromFiles() {
        return new PemKeyCertOptions().setKeyPath(identity.keyFile().toString())
                .setCertPath(identity.certFile().toString());
    }

    public TlsIdentity.Details current() {
        return identity.details();
    }

    /**
     * Replaces the certificate and key, or throws a 422 {@link HttpProblem} naming the fields, changing nothing.
     * One replacement at a time.
     */
    public synchronized TlsIdentity.Details replace(String certPem, String keyPem) {
        List<Problem> problems = new ArrayList<>();
        TlsIdentity.Replacement r = TlsIdentity.check(certPem, keyPem, clock.instant(), problems);
        if (r == null) {
            throw HttpProblem.invalid(problems);
        }
        HttpServer s = server;
        if (s != null) {
            try {
                switchTo(s, new PemKeyCertOptions().setKeyValue(Buffer.buffer(r.keyPem()))
                        .setCertValue(Buffer.buffer(r.certPem())));
            } catch (Exception e) {
                throw HttpProblem.invalid(List.of(new Problem(TlsIdentity.CERT_FIELD,
                        "the TLS stack refused the certificate and key: " + e.getMessage())));
            }
        }
        try {
            identity.install(r);
        } catch (RuntimeException e) {
            if (s != null) {
                try {
                    switchTo(s, fromFiles());
                } catch (Exception back) {
                    e.addSuppressed(back);
                }
            }
            throw e;
        }
        LOG.info("admin panel certificate replaced: " + r.details().subject() + " SHA-256 " + r.details().sha256());
        return r.details();
    }

    private static void switchTo(HttpServer s, PemKeyCertOptions keyCert) throws Exception {
        // force: reload even if the options compare equal (same paths, new content)
        if (!s.updateSSLOptions(new SSLOptions().setKeyCertOptions(keyCert), true).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the server did not take the new options");
        }
    }
}
