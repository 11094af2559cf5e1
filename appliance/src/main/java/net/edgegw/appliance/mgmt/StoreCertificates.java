package net.edgegw.appliance.mgmt;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import net.edgegw.appliance.config.CertificateRef;
import net.edgegw.appliance.config.Config;
import net.edgegw.appliance.config.Outcome;
import net.edgegw.appliance.config.Peer;
import net.edgegw.appliance.config.Pki;
import net.edgegw.appliance.config.Secret;
import net.edgegw.mgmt.port.CommitResult;
import net.edgegw.mgmt.port.CertificateInfo;
import net.edgegw.mgmt.port.CertificateStore;

/**
 * The management port's {@link CertificateStore} over the configuration's {@link CertificateRef}s: reads parse the
 * committed PEM; changes are made with {@link Pki} and committed through {@link StoreBackend} as one revision each.
 */
final class StoreCertificates implements CertificateStore {
    private final StoreBackend backend;
    private final Clock clock;

    StoreCertificates(StoreBackend backend, Clock clock) {
        this.backend = backend;
        this.clock = clock;
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
        return backend.current().certificate(name).filter(c -> c.kind() == CertificateRef.Kind.GATEWAY)
                .map(Pki::csrFor).filter(Outcome::ok).map(Outcome::value);
    }

    @Override
    public CommitResult createCa(String name, String commonName, int days, String author, String source) {
        return add(name, () -> Pki.createCa(name, commonName, Duration.ofDays(days), clock), author,
                "create CA " + name, source);
    }

    @Override
    public CommitResult issue(String name, String ca, String commonName, List<String> subjectAltNames, int days,
                              String keyType, String author, String source) {
        Pki.KeyType type = switch (keyType) {
            case "rsa-2048" -> Pki.KeyType.RSA_2048;
            case "ed25519" -> Pki.KeyType.ED25519;
            default -> Pki.KeyType.ECDSA_P256;
        };
        return backend.commit(cfg -> {
            Optional<CertificateRef> issuer = cfg.certificate(ca);
            if (issuer.isEmpty() || issuer.get().kind() != CertificateRef.Kind.CA
                    || issuer.get().privateKeyPem() == null) {
                return Outcome.rejected("ca", "no CA named '" + ca + "' whose key the device holds");
            }
            return added(cfg, name, Pki.issue(issuer.get(), name, commonName, subjectAltNames, Duration.ofDays(days),
                    clock, type));
        }, author, "issue certificate " + name + " from " + ca, source);
    }

    @Override
    public CommitResult request(String name, String commonName, List<String> subjectAltNames, String author,
                                String source) {
        return add(name, () -> Pki.request(name, commonName, subjectAltNames, clock), author,
                "key and CSR for certificate " + name, source);
    }

    @Override
    public CommitResult acceptSigned(String name, String certificatePem, String author, String source) {
        return backend.commit(cfg -> {
            Optional<CertificateRef> old = cfg.certificate(name);
            if (old.isEmpty() || old.get().privateKeyPem() == null) {
                return Outcome.rejected("name", "no certificate named '" + name + "' whose key the device holds");
            }
            Outcome<CertificateRef> signed = Pki.importPem(name, certificatePem, old.get().privateKeyPem());
            if (!signed.ok()) {
                return Outcome.rejected(signed.problems().stream().map(p -> p.field().equals("privateKey")
                        ? new net.edgegw.appliance.config.Problem("certificate",
                        "is not for the key of '" + name + "' (" + p.message() + ")") : p).toList());
            }
            return Outcome.of(cfg.withCertificates(cfg.certificates().stream()
                    .map(c -> c.name().equals(name) ? signed.value() : c).toList()));
        }, author, "signed certificate for " + name, source);
    }

    @Override
    public CommitResult importPem(String name, CertificateInfo.Kind kind, String certificatePem,
                                  net.edgegw.mgmt.port.Secret privateKeyPem, String author, String source) {
        return add(name, () -> {
            Outcome<CertificateRef> in = Pki.importPem(name, certificatePem,
                    privateKeyPem == null ? null : Secret.of(privateKeyPem.reveal()));
            if (in.ok() && kind != null && !in.value().kind().name().equals(kind.name())) {
                return Outcome.rejected("kind", kind == CertificateInfo.Kind.CA
                        ? "the certificate is not a CA certificate (no basicConstraints cA)"
                        : "a CA certificate cannot be a gateway certificate");
            }
            return in;
        }, author, "import certificate " + name, source);
    }

    @Override
    public CommitResult importPkcs12(String name, byte[] pkcs12, char[] password, String author, String source) {
        return add(name, () -> Pki.importPkcs12(name, pkcs12, password), author, "import PKCS#12 " + name, source);
    }

    @Override
    public CommitResult delete(String name, String author, String source) {
        return backend.commit(cfg -> {
            if (cfg.certificate(name).isEmpty()) {
                return Outcome.rejected("name", "no certificate named '" + name + "'");
            }
            List<String> users = cfg.peers().stream().filter(p -> uses(p, name)).map(Peer::name).toList();
            if (!users.isEmpty()) {
                return Outcome.rejected("name", "used by peer(s) " + String.join(", ", users));
            }
            return Outcome.of(cfg.withCertificates(cfg.certificates().stream()
                    .filter(c -> !c.name().equals(name)).toList()));
        }, author, "delete certificate " + name, source);
    }

    private CommitResult add(String name, Supplier<Outcome<CertificateRef>> make, String author, String comment,
                             String source) {
        return backend.commit(cfg -> added(cfg, name, cfg.certificate(name).isPresent()
                ? Outcome.rejected("name", "is taken") : make.get()), author, comment, source);
    }

    private static Outcome<Config> added(Config cfg, String name, Outcome<CertificateRef> made) {
        if (!made.ok()) {
            return Outcome.rejected(made.problems());
        }
        if (cfg.certificate(name).isPresent()) {
            return Outcome.rejected("name", "is taken");
        }
        List<CertificateRef> all = new ArrayList<>(cfg.certificates());
        all.add(made.value());
        return Outcome.of(cfg.withCertificates(all));
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
