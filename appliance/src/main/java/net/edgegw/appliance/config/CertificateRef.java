package net.edgegw.appliance.config;

/**
 * A certificate the configuration refers to by name: a CA that peers' certificates must chain to, or one of our
 * own gateway certificates with its private key (a {@link Secret}, encrypted at rest).
 *
 * @param certificatePem the X.509 certificate, PEM
 * @param privateKeyPem  the private key, PEM (PKCS#8 or a traditional OpenSSL form); null for CAs we only trust
 */
public record CertificateRef(String name, Kind kind, String certificatePem, Secret privateKeyPem) {

    public enum Kind { CA, GATEWAY }
}
