package net.edgegw.appliance.ike.crypto;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates and keys made on the spot with bcpkix for the PKIX and identity tests. */
final class TestCertificates {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final AtomicLong SERIAL = new AtomicLong(1000);
    private static final int CA = KeyUsage.keyCertSign | KeyUsage.cRLSign;

    private TestCertificates() {}

    /** A key pair and the certificate that binds it. */
    record Issued(KeyPair keys, X509Certificate cert) {}

    static KeyPair ecKey() throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
        kpg.initialize(new ECGenParameterSpec("secp256r1"));
        return kpg.generateKeyPair();
    }

    static Issued root(String dn) throws Exception {
        KeyPair kp = ecKey();
        return new Issued(kp, build(dn, dn, kp, kp.getPrivate(), CA, NOW.minus(Duration.ofDays(30)),
                NOW.plus(Duration.ofDays(3650)), null));
    }

    static Issued intermediate(String dn, Issued issuer) throws Exception {
        KeyPair kp = ecKey();
        return new Issued(kp, build(dn, issuer.cert.getSubjectX500Principal().getName(), kp,
                issuer.keys.getPrivate(), CA, NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(1000)), null));
    }

    static Issued leaf(String dn, Issued issuer, Instant notBefore, Instant notAfter, GeneralNames sans)
            throws Exception {
        return leaf(dn, issuer, notBefore, notAfter, sans, KeyUsage.digitalSignature);
    }

    static Issued leaf(String dn, Issued issuer, Instant notBefore, Instant notAfter, GeneralNames sans,
            int keyUsage) throws Exception {
        KeyPair kp = ecKey();
        return new Issued(kp, build(dn, issuer.cert.getSubjectX500Principal().getName(), kp,
                issuer.keys.getPrivate(), keyUsage, notBefore, notAfter, sans));
    }

    static X509CRL crl(Issued issuer, BigInteger... revoked) throws Exception {
        X509v2CRLBuilder b = new X509v2CRLBuilder(
                org.bouncycastle.asn1.x500.X500Name.getInstance(issuer.cert.getSubjectX500Principal().getEncoded()),
                Date.from(NOW.minus(Duration.ofDays(1))));
        b.setNextUpdate(Date.from(NOW.plus(Duration.ofDays(7))));
        for (BigInteger s : revoked) {
            b.addCRLEntry(s, Date.from(NOW.minus(Duration.ofDays(1))), CRLReason.keyCompromise);
        }
        return new JcaX509CRLConverter().getCRL(b.build(signer(issuer.keys.getPrivate())));
    }

    private static X509Certificate build(String subject, String issuer, KeyPair subjectKeys, PrivateKey issuerKey,
            int keyUsage, Instant notBefore, Instant notAfter, GeneralNames sans) throws Exception {
        boolean ca = keyUsage == CA;
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Principal(issuer),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                new X500Principal(subject), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        if (sans != null) {
            b.addExtension(Extension.subjectAlternativeName, false, sans);
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(signer(issuerKey)));
    }

    private static ContentSigner signer(PrivateKey key) throws Exception {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    }

    static GeneralNames sans(GeneralName... names) {
        return new GeneralNames(names);
    }
}
