package net.edgegw.appliance.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import net.edgegw.dataplane.spd.TrafficSelector;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The appliance's certificates, all through Bouncy Castle and the JDK: a built-in CA (create, issue gateway
 * certificates, revoke, CRL), import of PEM and PKCS#12, and CSRs for an external CA. Results are
 * {@link CertificateRef} values that go into the configuration through a normal commit, so a CA's revocations and
 * every private key live (sealed) in the store like any other setting.
 *
 * <p>Keys are ECDSA P-256 (RFC 7427 signature authentication in IKEv2); certificates follow RFC 5280 with the
 * IKE profile of RFC 4945 §5.1 (identities in subjectAltName, digitalSignature key usage). Bad input (a malformed
 * SAN, a PEM that does not parse, a key that does not match) comes back as problems, never as an exception.
 */
public final class Pki {
    // Our own choices.
    static final String CURVE = "secp256r1";
    static final Duration BACKDATE = Duration.ofMinutes(5); // notBefore slack for peers with slow clocks
    static final int SERIAL_BITS = 127;                     // RFC 5280 §4.1.2.2: positive, at most 20 octets

    private static final SecureRandom RANDOM = new SecureRandom();

    private Pki() {}

    /** A new self-signed CA with its private key, ready to issue gateway certificates. */
    public static Outcome<CertificateRef> createCa(String name, String commonName, Duration validity, Clock clock) {
        Outcome<X500Name> subject = subject(commonName);
        if (!subject.ok()) {
            return Outcome.rejected(subject.problems());
        }
        try {
            KeyPair kp = newKeyPair();
            Instant now = clock.instant();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject.value(), serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject.value(), kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0)); // issues end entities only
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            X509Certificate cert = sign(b, kp.getPrivate());
            return Outcome.of(new CertificateRef(name, CertificateRef.Kind.CA, pem(cert),
                    Secret.of(pem(kp.getPrivate()))));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("creating a CA with the JDK's EC provider", e);
        }
    }

    /**
     * A gateway certificate with a fresh key pair, issued by the built-in CA {@code ca}. {@code subjectAltNames}
     * are the IKE identities it proves: IP literals, FQDNs, or user@fqdn e-mail identities.
     */
    public static Outcome<CertificateRef> issue(CertificateRef ca, String name, String commonName,
                                                List<String> subjectAltNames, Duration validity, Clock clock) {
        return issue(ca, name, commonName, subjectAltNames, validity, clock, KeyType.ECDSA_P256);
    }

    /** The key pair a gateway certificate binds: ECDSA P-256 (our default), RSA-2048 or Ed25519 (RFC 7427 peers). */
    public enum KeyType { ECDSA_P256, RSA_2048, ED25519 }

    /** {@link #issue(CertificateRef, String, String, List, Duration, Clock)} with a fresh key of {@code keyType}. */
    public static Outcome<CertificateRef> issue(CertificateRef ca, String name, String commonName,
                                                List<String> subjectAltNames, Duration validity, Clock clock,
                                                KeyType keyType) {
        Outcome<CaKeys> keys = caKeys(ca);
        Outcome<X500Name> subject = subject(commonName);
        Outcome<GeneralNames> sans = generalNames(subjectAltNames);
        List<Problem> problems = new ArrayList<>(keys.problems());
        problems.addAll(subject.problems());
        problems.addAll(sans.problems());
        if (!problems.isEmpty()) {
            return Outcome.rejected(problems);
        }
        try {
            KeyPair kp = newKeyPair(keyType);
            Instant now = clock.instant();
            X509Certificate caCert = keys.value().cert();
            Instant notAfter = now.plus(validity);
            if (notAfter.isAfter(caCert.getNotAfter().toInstant())) {
                notAfter = caCert.getNotAfter().toInstant(); // never outlive the issuer
            }
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(notAfter), subject.value(), kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            // RFC 4945 §5.1.3.12 lets IKE ignore EKU; serverAuth+clientAuth keep other stacks (and strongSwan) happy
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            if (sans.value().getNames().length > 0) {
                b.addExtension(Extension.subjectAlternativeName, false, sans.value());
            }
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            X509Certificate cert = sign(b, keys.value().key());
            return Outcome.of(new CertificateRef(name, CertificateRef.Kind.GATEWAY, pem(cert),
                    Secret.of(pem(kp.getPrivate()))));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("issuing a certificate", e);
        }
    }

    /** The CA with {@code certificatePem}'s serial added to its revocations (it must be a certificate it issued). */
    public static Outcome<CertificateRef> revoke(CertificateRef ca, String certificatePem, Clock clock) {
        Outcome<CaKeys> keys = caKeys(ca);
        if (!keys.ok()) {
            return Outcome.rejected(keys.problems());
        }
        X509Certificate cert = parseCertificate(certificatePem);
        if (cert == null) {
            return Outcome.rejected("certificate", "not a PEM X.509 certificate");
        }
        if (!issuedBy(cert, keys.value().cert())) {
            return Outcome.rejected("certificate", "not issued by certificates[" + ca.name() + "]");
        }
        String serial = cert.getSerialNumber().toString(16);
        if (ca.revoked().stream().anyMatch(r -> r.serial().equals(serial))) {
            return Outcome.rejected("certificate", "serial " + serial + " is already revoked");
        }
        List<CertificateRef.Revoked> revoked = new ArrayList<>(ca.revoked());
        revoked.add(new CertificateRef.Revoked(serial, clock.instant()));
        return Outcome.of(new CertificateRef(ca.name(), ca.kind(), ca.certificatePem(), ca.privateKeyPem(), revoked));
    }

    /** The CA's current CRL (RFC 5280 §5), PEM; the CRL number is the issue time in seconds, so it only grows. */
    public static Outcome<String> crl(CertificateRef ca, Duration nextUpdate, Clock clock) {
        Outcome<CaKeys> keys = caKeys(ca);
        if (!keys.ok()) {
            return Outcome.rejected(keys.problems());
        }
        try {
            Instant now = clock.instant();
            X509Certificate caCert = keys.value().cert();
            X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(caCert.getSubjectX500Principal()
                    .getEncoded()), Date.from(now));
            b.setNextUpdate(Date.from(now.plus(nextUpdate)));
            for (CertificateRef.Revoked r : ca.revoked()) {
                b.addCRLEntry(new BigInteger(r.serial(), 16), Date.from(r.time()), CRLReason.unspecified);
            }
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.getEpochSecond())));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCert));
            X509CRL crl = new JcaX509CRLConverter().getCRL(b.build(signer(keys.value().key())));
            return Outcome.of(pem(crl));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("signing a CRL", e);
        }
    }

    /** A certificate signing request for an external CA, and the new private key to import the answer with. */
    public record CsrAndKey(String csrPem, Secret privateKeyPem) {}

    public static Outcome<CsrAndKey> csr(String commonName, List<String> subjectAltNames) {
        Outcome<CertificateRef> key = request("csr", commonName, subjectAltNames, Clock.systemUTC());
        if (!key.ok()) {
            return Outcome.rejected(key.problems());
        }
        Outcome<String> csr = csrFor(key.value());
        return csr.ok() ? Outcome.of(new CsrAndKey(csr.value(), key.value().privateKeyPem()))
                : Outcome.rejected(csr.problems());
    }

    /**
     * A key made on the device for a certificate an external CA will sign: kept as a self-signed gateway
     * certificate (subject {@code commonName}, {@code subjectAltNames}) until the signed one replaces it
     * ({@link #importPem} with the same key); {@link #csrFor} gives its request at any time.
     */
    public static Outcome<CertificateRef> request(String name, String commonName, List<String> subjectAltNames,
                                                  Clock clock) {
        Outcome<X500Name> subject = subject(commonName);
        Outcome<GeneralNames> sans = generalNames(subjectAltNames);
        if (!subject.ok() || !sans.ok()) {
            List<Problem> p = new ArrayList<>(subject.problems());
            p.addAll(sans.problems());
            return Outcome.rejected(p);
        }
        try {
            KeyPair kp = newKeyPair();
            Instant now = clock.instant();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject.value(), serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(Duration.ofDays(90))), subject.value(),
                    kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            if (sans.value().getNames().length > 0) {
                b.addExtension(Extension.subjectAlternativeName, false, sans.value());
            }
            X509Certificate cert = sign(b, kp.getPrivate());
            return Outcome.of(new CertificateRef(name, CertificateRef.Kind.GATEWAY, pem(cert),
                    Secret.of(pem(kp.getPrivate()))));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("making a key for a CSR", e);
        }
    }

    /** A PKCS#10 request (PEM) for the key of {@code c}, with its certificate's subject and subjectAltNames. */
    public static Outcome<String> csrFor(CertificateRef c) {
        X509Certificate cert = parseCertificate(c.certificatePem());
        PrivateKey key = c.privateKeyPem() == null ? null : parsePrivateKey(c.privateKeyPem());
        if (cert == null || key == null) {
            return Outcome.rejected("privateKey", "the device holds no private key for this certificate");
        }
        try {
            JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(
                    X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()), cert.getPublicKey());
            Extension san = new org.bouncycastle.cert.X509CertificateHolder(cert.getEncoded()).getExtension(
                    Extension.subjectAlternativeName);
            if (san != null) {
                ExtensionsGenerator eg = new ExtensionsGenerator();
                eg.addExtension(san);
                b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, eg.generate());
            }
            return Outcome.of(pem(b.build(signer(key))));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("building a CSR", e);
        }
    }

    /**
     * A certificate from PEM: a CA if it says so (basicConstraints), else a gateway certificate, which needs its
     * private key ({@code privateKeyPem}, e.g. the one {@link #csr} made) and must match it.
     */
    public static Outcome<CertificateRef> importPem(String name, String certificatePem, Secret privateKeyPem) {
        X509Certificate cert = parseCertificate(certificatePem);
        if (cert == null) {
            return Outcome.rejected("certificate", "not a PEM X.509 certificate");
        }
        boolean ca = cert.getBasicConstraints() >= 0;
        if (privateKeyPem == null) {
            return ca ? Outcome.of(new CertificateRef(name, CertificateRef.Kind.CA, pem(cert), null))
                    : Outcome.rejected("privateKey", "a gateway certificate needs its private key");
        }
        PrivateKey key = parsePrivateKey(privateKeyPem);
        if (key == null) {
            return Outcome.rejected("privateKey", "not a PEM private key");
        }
        if (!keyMatches(cert, key)) {
            return Outcome.rejected("privateKey", "does not belong to this certificate");
        }
        return Outcome.of(new CertificateRef(name, ca ? CertificateRef.Kind.CA : CertificateRef.Kind.GATEWAY,
                pem(cert), Secret.of(pem(key))));
    }

    /** The first key entry of a PKCS#12 file (certificate + private key), through the JDK's KeyStore. */
    public static Outcome<CertificateRef> importPkcs12(String name, byte[] pkcs12, char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(new ByteArrayInputStream(pkcs12), password);
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias) && ks.getKey(alias, password) instanceof PrivateKey key
                        && ks.getCertificate(alias) instanceof X509Certificate cert) {
                    return importPem(name, pem(cert), Secret.of(pem(key)));
                }
            }
            return Outcome.rejected("pkcs12", "no private key entry in the PKCS#12 file");
        } catch (IOException e) {
            return Outcome.rejected("pkcs12", "cannot read the PKCS#12 file (wrong password or not PKCS#12)");
        } catch (GeneralSecurityException e) {
            return Outcome.rejected("pkcs12", "cannot read the PKCS#12 file: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------- parsing and checks

    /** The certificate in a PEM text, or null. */
    public static X509Certificate parseCertificate(String pem) {
        if (pem == null) {
            return null;
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    /** The private key in a PEM text (PKCS#8 or traditional OpenSSL), or null. */
    public static PrivateKey parsePrivateKey(Secret pem) {
        try (PEMParser p = new PEMParser(new StringReader(pem.reveal()))) {
            Object o = p.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair kp) {
                return conv.getKeyPair(kp).getPrivate();
            }
            if (o instanceof PrivateKeyInfo info) {
                return conv.getPrivateKey(info);
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** True if the private key signs what the certificate's public key verifies. */
    public static boolean keyMatches(X509Certificate cert, PrivateKey key) {
        try {
            byte[] probe = new byte[32];
            RANDOM.nextBytes(probe);
            Signature s = Signature.getInstance(algorithm(key));
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(algorithm(key));
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    static boolean issuedBy(X509Certificate cert, X509Certificate ca) {
        try {
            cert.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private record CaKeys(X509Certificate cert, PrivateKey key) {}

    private static Outcome<CaKeys> caKeys(CertificateRef ca) {
        String field = "certificates[" + ca.name() + "]";
        if (ca.kind() != CertificateRef.Kind.CA) {
            return Outcome.rejected(field, "not a CA");
        }
        X509Certificate cert = parseCertificate(ca.certificatePem());
        if (cert == null) {
            return Outcome.rejected(field + ".certificate", "not a PEM X.509 certificate");
        }
        if (ca.privateKeyPem() == null) {
            return Outcome.rejected(field + ".privateKey", "an imported CA we only trust cannot issue or revoke");
        }
        PrivateKey key = parsePrivateKey(ca.privateKeyPem());
        if (key == null || !keyMatches(cert, key)) {
            return Outcome.rejected(field + ".privateKey", "not the CA certificate's private key");
        }
        return Outcome.of(new CaKeys(cert, key));
    }

    private static Outcome<X500Name> subject(String commonName) {
        if (commonName == null || commonName.isBlank() || commonName.length() > 64) { // RFC 5280 ub-common-name
            return Outcome.rejected("commonName", "1..64 characters");
        }
        return Outcome.of(new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build());
    }

    /** IP literals as iPAddress, user@host as rfc822Name, anything else that is a host name as dNSName. */
    private static Outcome<GeneralNames> generalNames(List<String> names) {
        List<GeneralName> out = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i) == null ? "" : names.get(i).trim();
            String field = "subjectAltNames[" + i + "]";
            if (isIp(n)) {
                out.add(new GeneralName(GeneralName.iPAddress, n));
            } else if (n.matches("[^@\\s]+@[A-Za-z0-9.-]+")) {
                out.add(new GeneralName(GeneralName.rfc822Name, n));
            } else if (ConfigValidator.isHostName(n)) {
                out.add(new GeneralName(GeneralName.dNSName, n));
            } else {
                problems.add(new Problem(field,
                        "'" + n + "' is not an IP address, host name or user@host"));
            }
        }
        return problems.isEmpty() ? Outcome.of(new GeneralNames(out.toArray(new GeneralName[0])))
                : Outcome.rejected(problems);
    }

    private static boolean isIp(String s) {
        try {
            TrafficSelector.parseAddress(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        return newKeyPair(KeyType.ECDSA_P256);
    }

    private static KeyPair newKeyPair(KeyType type) throws GeneralSecurityException {
        KeyPairGenerator g;
        switch (type) {
            case RSA_2048 -> {
                g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048, RANDOM);
            }
            case ED25519 -> g = KeyPairGenerator.getInstance("Ed25519");
            default -> {
                g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec(CURVE), RANDOM);
            }
        }
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(SERIAL_BITS, RANDOM).setBit(SERIAL_BITS - 1); // positive, fixed length
    }

    private static String algorithm(PrivateKey key) {
        if (key instanceof ECKey ec) {
            int bits = ec.getParams().getOrder().bitLength();
            return bits > 384 ? "SHA512withECDSA" : bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
        }
        return key.getAlgorithm().equals("EdDSA") || key.getAlgorithm().equals("Ed25519") ? "Ed25519"
                : "SHA256with" + key.getAlgorithm();
    }

    private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return new JcaContentSignerBuilder(algorithm(key)).build(key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(b.build(signer(key)));
    }

    private static String pem(Object o) {
        try {
            StringWriter sw = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
                w.writeObject(o instanceof PrivateKey k ? new JcaPKCS8Generator(k, null) : o);
            }
            return sw.toString();
        } catch (IOException e) {
            throw new IllegalStateException("PEM into a StringWriter", e);
        }
    }
}
