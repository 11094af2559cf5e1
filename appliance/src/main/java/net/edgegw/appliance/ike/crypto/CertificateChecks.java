package net.edgegw.appliance.ike.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Certificate checks for certificate-based IKE authentication: PKIX validation of the peer's end-entity
 * certificate (from its CERT payloads) against configured trust anchors, and whether the certificate names
 * the identity the peer claimed in its ID payload (RFC 4945 §3.1, RFC 7296 §3.5).
 *
 * <p>Expected failures (expired, untrusted, revoked, wrong name) come back as a {@link Result} with a reason;
 * nothing here throws for peer input.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4945#section-3.1">RFC 4945 §3.1</a>
 */
public final class CertificateChecks {
    // RFC 7296 §3.5 ID Type values.
    public static final int ID_IPV4_ADDR = 1;
    public static final int ID_FQDN = 2;
    public static final int ID_RFC822_ADDR = 3;
    public static final int ID_IPV6_ADDR = 5;
    public static final int ID_DER_ASN1_DN = 9;
    public static final int ID_DER_ASN1_GN = 10;
    public static final int ID_KEY_ID = 11;

    private static final int MAX_CHAIN = 8; // our limit on intermediates followed from the leaf

    private CertificateChecks() {}

    /** Outcome of a check: {@code ok}, or why not. */
    public record Result(boolean ok, String reason) {
        static final Result OK = new Result(true, "ok");

        static Result fail(String reason) {
            return new Result(false, reason);
        }
    }

    /**
     * Validates {@code endEntity} up to one of {@code trustAnchors} through {@code intermediates} (any order, as
     * the peer's CERT payloads came), at time {@code at}.
     *
     * <p>Revocation: off when {@code crls} is empty; otherwise the given CRLs are consulted, no fetching (no
     * CRL distribution points, no OCSP), and a certificate whose issuer has no CRL in the set passes
     * (PKIXRevocationChecker SOFT_FAIL) — a listed serial always fails. The end-entity's KeyUsage, if present,
     * must allow signing (RFC 4945 §5.1.3.2); ExtendedKeyUsage is not checked.
     */
    public static Result validate(X509Certificate endEntity, List<X509Certificate> intermediates,
            Collection<X509Certificate> trustAnchors, Collection<X509CRL> crls, Date at) {
        if (endEntity == null || trustAnchors.isEmpty()) {
            return Result.fail(endEntity == null ? "no end-entity certificate" : "no trust anchors configured");
        }
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate a : trustAnchors) {
                anchors.add(new TrustAnchor(a, null));
            }
            CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(order(endEntity, intermediates,
                    trustAnchors));
            PKIXParameters params = new PKIXParameters(anchors);
            params.setDate(at);
            CertPathValidator validator = CertPathValidator.getInstance("PKIX");
            if (crls == null || crls.isEmpty()) {
                params.setRevocationEnabled(false);
            } else {
                params.setRevocationEnabled(true);
                params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
                PKIXRevocationChecker rc = (PKIXRevocationChecker) validator.getRevocationChecker();
                rc.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
                        PKIXRevocationChecker.Option.NO_FALLBACK, PKIXRevocationChecker.Option.SOFT_FAIL));
                params.addCertPathChecker(rc);
            }
            validator.validate(path, params);
            // RFC 4945 §5.1.3.2: a KeyUsage extension, if present, must allow digitalSignature or nonRepudiation.
            boolean[] ku = endEntity.getKeyUsage();
            if (ku != null && !(ku[0] || ku.length > 1 && ku[1])) {
                return Result.fail("end-entity KeyUsage allows neither digitalSignature nor nonRepudiation");
            }
            return Result.OK;
        } catch (CertPathValidatorException e) {
            String where = e.getIndex() >= 0 ? " (certificate " + e.getIndex() + " from the leaf)" : "";
            return Result.fail(e.getReason() + ": " + e.getMessage() + where);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Result.fail("certificate path not usable: " + e.getMessage());
        }
    }

    /** Leaf first, then each issuer found among the intermediates, until a trust anchor's subject issued it. */
    private static List<X509Certificate> order(X509Certificate leaf, List<X509Certificate> intermediates,
            Collection<X509Certificate> anchors) {
        Set<X500Principal> anchorNames = new HashSet<>();
        for (X509Certificate a : anchors) {
            anchorNames.add(a.getSubjectX500Principal());
        }
        List<X509Certificate> chain = new ArrayList<>();
        List<X509Certificate> pool = new ArrayList<>(intermediates);
        X509Certificate cur = leaf;
        chain.add(cur);
        while (!anchorNames.contains(cur.getIssuerX500Principal()) && chain.size() <= MAX_CHAIN) {
            X509Certificate next = null;
            for (X509Certificate c : pool) {
                if (c.getSubjectX500Principal().equals(cur.getIssuerX500Principal())) {
                    next = c;
                    break;
                }
            }
            if (next == null) {
                break; // the validator reports the missing issuer
            }
            pool.remove(next);
            chain.add(next);
            cur = next;
        }
        return chain;
    }

    /** {@link #matchesId(X509Certificate, int, byte[], byte[])} with no configured KEY_ID. */
    public static Result matchesId(X509Certificate cert, int idType, byte[] idData) {
        return matchesId(cert, idType, idData, null);
    }

    /**
     * Whether {@code cert} names the peer's ID payload identity: IP addresses, FQDNs and RFC 822 addresses
     * against the subjectAltName entries of that kind; ID_DER_ASN1_DN against the subject DN (RFC 5280 §7.1
     * comparison, via {@link X500Principal#equals}); ID_KEY_ID only against {@code configuredKeyId} (it names
     * nothing in a certificate).
     */
    public static Result matchesId(X509Certificate cert, int idType, byte[] idData, byte[] configuredKeyId) {
        if (cert == null || idData == null) {
            return Result.fail("no certificate or no identity");
        }
        try {
            return switch (idType) {
                case ID_IPV4_ADDR, ID_IPV6_ADDR -> {
                    int want = idType == ID_IPV4_ADDR ? 4 : 16;
                    if (idData.length != want) {
                        yield Result.fail("ID of type " + idType + " must be " + want + " octets");
                    }
                    yield anySan(cert, GeneralName.iPAddress, idData, null);
                }
                case ID_FQDN -> anySan(cert, GeneralName.dNSName, null, stripDot(ascii(idData)));
                case ID_RFC822_ADDR -> anySan(cert, GeneralName.rfc822Name, null, ascii(idData));
                case ID_DER_ASN1_DN -> new X500Principal(idData).equals(cert.getSubjectX500Principal())
                        ? Result.OK : Result.fail("subject " + cert.getSubjectX500Principal() + " is not the ID's DN");
                case ID_KEY_ID -> configuredKeyId != null && MessageDigest.isEqual(configuredKeyId, idData)
                        ? Result.OK : Result.fail("ID_KEY_ID is not the configured one");
                default -> Result.fail("ID type " + idType + " cannot be matched to a certificate");
            };
        } catch (IllegalArgumentException | IOException e) {
            return Result.fail("malformed identity or subjectAltName: " + e.getMessage());
        }
    }

    private static Result anySan(X509Certificate cert, int tag, byte[] octets, String name) throws IOException {
        byte[] ext = cert.getExtensionValue(Extension.subjectAlternativeName.getId());
        if (ext == null) {
            return Result.fail("certificate has no subjectAltName");
        }
        GeneralNames names = GeneralNames.getInstance(
                ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(ext).getOctets()));
        for (GeneralName gn : names.getNames()) {
            if (gn.getTagNo() != tag) {
                continue;
            }
            if (octets != null
                    && MessageDigest.isEqual(octets, ASN1OctetString.getInstance(gn.getName()).getOctets())) {
                return Result.OK;
            }
            if (name != null) {
                String san = ASN1IA5String.getInstance(gn.getName()).getString();
                if (tag == GeneralName.dNSName ? stripDot(san).equalsIgnoreCase(name) : mailboxEquals(san, name)) {
                    return Result.OK;
                }
            }
        }
        return Result.fail("no subjectAltName of type " + tag + " matches the ID");
    }

    /** RFC 5280 §7.5: the local part compares exactly, the host part case-insensitively. */
    private static boolean mailboxEquals(String a, String b) {
        int ia = a.lastIndexOf('@');
        int ib = b.lastIndexOf('@');
        if (ia < 0 || ib < 0) {
            return false;
        }
        return a.substring(0, ia).equals(b.substring(0, ib))
                && a.substring(ia + 1).toLowerCase(Locale.ROOT).equals(b.substring(ib + 1).toLowerCase(Locale.ROOT));
    }

    private static String ascii(byte[] b) {
        for (byte x : b) {
            if (x <= 0x20 || x == 0x7f) { // negative (non-ASCII), controls and spaces have no place in these IDs
                throw new IllegalArgumentException("identity is not printable ASCII");
            }
        }
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
