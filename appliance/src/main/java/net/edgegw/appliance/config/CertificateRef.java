package net.edgegw.appliance.config;

import java.time.Instant;
import java.util.List;

/**
 * A certificate the configuration refers to by name: a CA that peers' certificates must chain to (with its private
 * key when it is the built-in CA, which then also keeps its revocations), or one of our own gateway certificates
 * with its private key. Private keys are {@link Secret}s, sealed at rest. {@link Pki}
 * creates and imports these.
 *
 * @param certificatePem the X.509 certificate, PEM
 * @param privateKeyPem  the private key, PEM (PKCS#8 or a traditional OpenSSL form); null for CAs we only trust
 * @param revoked        certificates this CA has revoked (built-in CA only), for its CRL
 */
public record CertificateRef(String name, Kind kind, String certificatePem, Secret privateKeyPem,
                             List<Revoked> revoked) {

    public CertificateRef {
        revoked = List.copyOf(revoked == null ? List.of() : revoked);
    }

    public CertificateRef(String name, Kind kind, String certificatePem, Secret privateKeyPem) {
        this(name, kind, certificatePem, privateKeyPem, List.of());
    }

    public enum Kind { CA, GATEWAY }

    /** A revoked certificate: its serial number (hex, as the CRL lists it) and when it was revoked. */
    public record Revoked(String serial, Instant time) {}
}
