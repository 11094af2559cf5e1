package net.edgegw.appliance.mgmt;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import net.edgegw.appliance.config.CertificateRef;
import net.edgegw.appliance.config.Config;
import net.edgegw.appliance.config.Peer;
import net.edgegw.appliance.config.Pki;
import net.edgegw.mgmt.port.CertificateInfo;
import net.edgegw.mgmt.port.CertificateStore;

/**
 * The management port's {@link CertificateStore} over the configuration's {@link CertificateRef}s: reads parse the
 * committed PEM; changes are made with {@link Pki} and committed through {@link StoreBackend} as one revision each.
 */
final class StoreCertificates implements CertificateStore {
    private final StoreBackend backend;

    StoreCertificates(StoreBackend backend) {
        this.backend = backend;
    }

    @Override
    public List<CertificateInfo> list() {
        Config cfg = backend.current();
        return cfg.certificates().stream().map(c -> info(cfg, c)).toList();
    }

    @Override
    public Optional<CertificateInfo> get(String name) {
        Config cfg = backend.current();
        return cfg.certificate(name).map(c -> info(cfg, c));
    }

    @Override
    public Optional<String> pem(String name) {
        return backend.current().certificate(name).map(CertificateRef::certificatePem);
    }

    @Override
    public Optional<String> csr(String name) {
        return Optional.empty();
    }

    static CertificateInfo info(Config cfg, CertificateRef c) {
        X509Certificate x = Pki.parseCertificate(c.certificatePem());
        List<String> usedBy = cfg.peers().stream().filter(p -> uses(p, c.name())).map(Peer::name).toList();
        CertificateInfo.Kind kind = c.kind() == CertificateRef.Kind.CA ? CertificateInfo.Kind.CA
                : CertificateInfo.Kind.GATEWAY;
        return new CertificateInfo(c.name(), kind, x.getSubjectX500Principal().getName(),
                x.getIssuerX500Principal().getName(), x.getSerialNumber().toString(16),
                x.getNotBefore().toInstant(), x.getNotAfter().toInstant(), subjectAltNames(x),
                c.privateKeyPem() != null, x.getSubjectX500Principal().equals(x.getIssuerX500Principal()), usedBy);
    }

    static boolean uses(Peer p, String certificate) {
        Peer.Auth a = p.auth();
        return a != null && a.method() == Peer.AuthMethod.CERTIFICATE
                && (certificate.equals(a.certificate()) || certificate.equals(a.ca()));
    }

    /** RFC 5280 §4.2.1.6 names as {@code DNS:..}, {@code IP:..}, {@code email:..}, {@code URI:..}, {@code DN:..}. */
    private static List<String> subjectAltNames(X509Certificate x) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> names = x.getSubjectAlternativeNames();
            if (names == null) {
                return out;
            }
            for (List<?> n : names) {
                String type = switch ((Integer) n.get(0)) {
                    case 1 -> "email";
                    case 2 -> "DNS";
                    case 4 -> "DN";
                    case 6 -> "URI";
                    case 7 -> "IP";
                    default -> "other";
                };
                out.add(type + ":" + (n.get(1) instanceof String s ? s : "?"));
            }
        } catch (CertificateParsingException e) {
            out.add("unreadable");
        }
        return out;
    }
}
