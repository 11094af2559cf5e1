package net.edgegw.appliance.ike.sa;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * What certificate authentication needs for one peer: our certificate and its private key (plus any intermediates
 * we send after it), the CAs the peer's chain must end at, and the wall clock the validity dates are checked
 * against.
 *
 * @param cert          our end-entity certificate, sent as the first CERT payload
 * @param key           its private key: signs our AUTH (RFC 7427 method 14, or RFC 4754 for an ECDSA peer that did
 *                      not announce SIGNATURE_HASH_ALGORITHMS)
 * @param intermediates certificates sent after ours, leaf side first (may be empty)
 * @param trustAnchors  the configured CAs: the peer's chain must validate up to one of them (PKIX), and their key
 *                      hashes are our CERTREQ
 * @param clock         validity dates are checked at {@code clock.instant()}
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-3.7">RFC 7296 §3.6, §3.7</a>
 */
public record CertCredentials(X509Certificate cert, PrivateKey key, List<X509Certificate> intermediates,
                              List<X509Certificate> trustAnchors, Clock clock) {
    /** SHA-1 output: one CA entry of an X.509 CERTREQ (RFC 7296 §3.7). */
    public static final int CA_HASH_LEN = 20;

    public CertCredentials {
        intermediates = List.copyOf(intermediates);
        trustAnchors = List.copyOf(trustAnchors);
        if (cert == null || key == null || trustAnchors.isEmpty()) {
            throw new IllegalArgumentException("certificate authentication needs a certificate, its key and a CA");
        }
    }

    /**
     * The Certification Authority field of our CERTREQ: the concatenated SHA-1 hashes of each trusted CA's
     * SubjectPublicKeyInfo (RFC 7296 §3.7, encoding 4).
     */
    public byte[] certReqData() {
        byte[] out = new byte[CA_HASH_LEN * trustAnchors.size()];
        for (int i = 0; i < trustAnchors.size(); i++) {
            System.arraycopy(keyHash(trustAnchors.get(i)), 0, out, i * CA_HASH_LEN, CA_HASH_LEN);
        }
        return out;
    }

    /** Whether a peer's CERTREQ data names the CA that issued our certificate (or names none we can read). */
    public boolean requestedBy(byte[] certReqData) {
        X509Certificate top = intermediates.isEmpty() ? cert : intermediates.get(intermediates.size() - 1);
        for (X509Certificate ca : trustAnchors) {
            if (!ca.getSubjectX500Principal().equals(top.getIssuerX500Principal())) {
                continue;
            }
            byte[] h = keyHash(ca);
            for (int off = 0; off + CA_HASH_LEN <= certReqData.length; off += CA_HASH_LEN) {
                if (MessageDigest.isEqual(h, java.util.Arrays.copyOfRange(certReqData, off, off + CA_HASH_LEN))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** SHA-1 of the certificate's DER SubjectPublicKeyInfo. */
    static byte[] keyHash(X509Certificate ca) {
        try {
            byte[] spki = SubjectPublicKeyInfo.getInstance(ca.getPublicKey().getEncoded()).getEncoded();
            return MessageDigest.getInstance("SHA-1").digest(spki);
        } catch (java.io.IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 over a JDK public key encoding", e);
        }
    }

    /** The private key never appears in logs. */
    @Override
    public String toString() {
        return "cert " + cert.getSubjectX500Principal() + " CAs " + trustAnchors.size();
    }
}
