package net.edgegw.mgmt.port;

import java.util.List;
import java.util.Optional;

/**
 * The certificates of the configuration: CAs (ours, with a key, or ones we only trust) and our gateway
 * certificates. Every change is one configuration revision, validated as a whole like {@link ConfigStore#commit}
 * (a backend without a PKI refuses them: the defaults); private keys are made on the device and never leave it
 * (only certificates and CSRs come out).
 */
public interface CertificateStore {
    List<CertificateInfo> list();

    Optional<CertificateInfo> get(String name);

    /** The certificate as PEM (never the key). */
    Optional<String> pem(String name);

    /** A PKCS#10 request (PEM) for the key of gateway certificate {@code name}, if the device holds that key. */
    Optional<String> csr(String name);

    /** A new CA with a key made on the device (ECDSA P-256), valid for {@code days}. */
    default CommitResult createCa(String name, String commonName, int days, String author, String source) {
        return refused();
    }

    /**
     * A gateway certificate issued by our CA {@code ca} for a key made on the device.
     *
     * @param subjectAltNames DNS names, IP addresses or e-mail addresses
     * @param keyType         {@code ecdsa-p256}, {@code rsa-2048} or {@code ed25519}
     */
    default CommitResult issue(String name, String ca, String commonName, List<String> subjectAltNames, int days,
                               String keyType, String author, String source) {
        return refused();
    }

    /**
     * Makes a key on the device and keeps it as gateway certificate {@code name} (self-signed until the signed
     * certificate is uploaded with {@link #acceptSigned}); {@link #csr} then gives the request.
     */
    default CommitResult request(String name, String commonName, List<String> subjectAltNames, String author,
                                 String source) {
        return refused();
    }

    /** The certificate a CA signed for the key of {@code name} replaces its self-signed one. */
    default CommitResult acceptSigned(String name, String certificatePem, String author, String source) {
        return refused();
    }

    /** A PEM certificate (a CA without a key, or ours with {@code privateKeyPem}, PKCS#8 or OpenSSL form). */
    default CommitResult importPem(String name, CertificateInfo.Kind kind, String certificatePem, Secret privateKeyPem,
                                     String author, String source) {
        return refused();
    }

    /** A PKCS#12 bundle: its key and first certificate become gateway certificate {@code name}. */
    default CommitResult importPkcs12(String name, byte[] pkcs12, char[] password, String author, String source) {
        return refused();
    }

    /** Refused (problem on {@code name}) while a peer refers to it. */
    default CommitResult delete(String name, String author, String source) {
        return refused();
    }

    /** What a backend without a PKI (or without settings) answers to every change. */
    static CommitResult refused() {
        return new CommitResult.Rejected(List.of(new Problem("name", "this backend cannot make this change")));
    }

    /** No certificates: for backends that keep none. */
    CertificateStore NONE = new CertificateStore() {
        @Override
        public List<CertificateInfo> list() {
            return List.of();
        }

        @Override
        public Optional<CertificateInfo> get(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<String> pem(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<String> csr(String name) {
            return Optional.empty();
        }
    };
}
