package net.edgegw.mgmt.port;

import java.time.Instant;
import java.util.List;

/**
 * What the API shows of one certificate of the configuration (never its private key).
 *
 * @param kind            {@link Kind#CA}: peers' certificates must chain to it (and, with its key, we issue from it);
 *                        {@link Kind#GATEWAY}: one of ours, with its private key on the device
 * @param serial          hex, as RFC 5280 §4.1.2.2 numbers it
 * @param subjectAltNames each as {@code DNS:name}, {@code IP:addr}, {@code email:addr}, ...
 * @param hasKey          whether the device holds its private key
 * @param selfSigned      subject and issuer are the same key; a self-signed gateway certificate is one made for a
 *                        certificate signing request, awaiting the CA-signed certificate
 * @param usedBy          names of the peers that refer to it
 */
public record CertificateInfo(String name, Kind kind, String subject, String issuer, String serial,
                              Instant notBefore, Instant notAfter, List<String> subjectAltNames, boolean hasKey,
                              boolean selfSigned, List<String> usedBy) {
    public CertificateInfo {
        subjectAltNames = List.copyOf(subjectAltNames);
        usedBy = List.copyOf(usedBy);
    }

    public enum Kind { CA, GATEWAY }
}
