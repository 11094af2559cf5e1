package net.edgegw.mgmt.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import net.edgegw.mgmt.port.Problem;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The HTTPS identity of the admin panel: a self-signed ECDSA P-256 certificate made at first start (subject
 * alternative names localhost, 127.0.0.1, ::1 and the bind address), kept under {@code <dataDir>/tls} with mode 0600
 * and reused on every later start, so that a browser's exception for it stays valid. An admin may replace it by
 * an uploaded chain and key ({@link #check}, {@link #install}); the running server then switches to it
 * ({@link PanelTls}).
 */
public record TlsIdentity(Path keyFile, Path certFile) {
    static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
    private static final Duration VALIDITY = Duration.ofDays(825); // CA/Browser Forum's old upper bound

    public static TlsIdentity loadOrCreate(Path dataDir, String host, SecureRandom random) {
        Path dir = dataDir.resolve("tls");
        TlsIdentity id = new TlsIdentity(dir.resolve("key.pem"), dir.resolve("cert.pem"));
        try {
            if (Files.isRegularFile(id.keyFile) && Files.isRegularFile(id.certFile)) {
                Files.setPosixFilePermissions(id.keyFile, OWNER_RW); // tighten a copy restored with looser mode
                return id;
            }
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair kp = g.generateKeyPair();
            writePrivate(id.keyFile, pem(new JcaPKCS8Generator(kp.getPrivate(), null).generate()));
            writePrivate(id.certFile, pem(certificate(kp, host, random)));
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the HTTPS certificate under " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create the HTTPS certificate", e);
        }
    }

    /** What the panel serves, as the API shows it. */
    public record Details(String subject, String issuer, List<String> subjectAltNames, Instant notBefore,
                          Instant notAfter, String sha256, boolean selfSigned, String keyType, int chainLength) {
    }

    /** A checked replacement: the chain (leaf first) and its key, re-encoded as PEM (the key as PKCS#8). */
    public record Replacement(String certPem, String keyPem, Details details) {
    }

    /** The certificate now in {@link #certFile}. */
    public Details details() {
        try {
            List<X509Certificate> chain = chain(Files.readString(certFile, StandardCharsets.US_ASCII));
            if (chain.isEmpty()) {
                throw new IllegalStateException("no certificate in " + certFile);
            }
            return details(chain);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + certFile, e);
        } catch (CertificateException e) {
            throw new IllegalStateException("cannot parse " + certFile, e);
        }
    }

    /**
     * Checks an uploaded certificate chain (PEM, leaf first) and private key (PEM: PKCS#8, PKCS#1 or SEC1, not
     * encrypted): parsable, the key is the leaf's (a signature made with it verifies under the certificate),
     * valid at {@code now}, RSA of at least 2048 bits or EC P-256/P-384. Returns null and adds problems (fields
     * {@code certificatePem}, {@code privateKeyPem}) when it is not acceptable.
     */
    public static Replacement check(String certPem, String keyPem, Instant now, List<Problem> problems) {
        List<X509Certificate> chain;
        try {
            chain = chain(certPem);
        } catch (CertificateException e) {
            chain = List.of();
        }
        if (chain.isEmpty()) {
            problems.add(new Problem(CERT_FIELD, "must be a PEM certificate (-----BEGIN CERTIFICATE-----), leaf first"));
        }
        PrivateKey key = privateKey(keyPem, problems);
        if (chain.isEmpty()) {
            return null;
        }
        X509Certificate leaf = chain.get(0);
        try {
            leaf.checkValidity(Date.from(now));
        } catch (CertificateException e) {
            problems.add(new Problem(CERT_FIELD, "is not valid now (valid " + leaf.getNotBefore().toInstant()
                    + " to " + leaf.getNotAfter().toInstant() + ")"));
        }
        String keyType = keyType(leaf.getPublicKey());
        if (keyType == null) {
            problems.add(new Problem(CERT_FIELD, "must have an RSA key of at least 2048 bits or an EC P-256/P-384 key"));
        } else if (key != null && !matches(key, leaf)) {
            problems.add(new Problem(KEY_FIELD, "is not the private key of the certificate"));
        }
        if (!problems.isEmpty() || key == null) {
            return null;
        }
        try {
            StringBuilder out = new StringBuilder();
            for (X509Certificate c : chain) {
                out.append(pem(c));
            }
            return new Replacement(out.toString(), pem(new JcaPKCS8Generator(key, null).generate()), details(chain));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a checked replacement: each file through a 0600 temporary file renamed into place (the key first, so
     * the old certificate is never served with a half-written file; between the two renames a crash leaves the
     * new key with the old certificate, which the next upload repairs).
     */
    public void install(Replacement r) {
        try {
            writePrivate(keyFile, r.keyPem());
            writePrivate(certFile, r.certPem());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the HTTPS certificate to " + certFile.getParent(), e);
        }
    }

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    static final String CERT_FIELD = "certificatePem";
    static final String KEY_FIELD = "privateKeyPem";

    private static List<X509Certificate> chain(String pem) throws CertificateException {
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
            out.add((X509Certificate) c);
        }
        return out;
    }

    private static PrivateKey privateKey(String pem, List<Problem> problems) {
        Object o;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            o = parser.readObject();
        } catch (IOException | RuntimeException e) {
            o = null;
        }
        // Bouncy Castle's key factories: the JDK's refuses a SEC1 EC key whose curve is named only inside it.
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BC);
        try {
            PrivateKeyInfo info = o instanceof PEMKeyPair kp ? kp.getPrivateKeyInfo()
                    : o instanceof PrivateKeyInfo i ? i : null;
            if (info != null) {
                // ...then back into the JDK's own key classes (PKCS#8 with the curve named), which the JDK's
                // Signature and Netty's SSL engine take.
                PrivateKey bc = converter.getPrivateKey(info);
                String alg = bc instanceof ECPrivateKey ? "EC" : bc.getAlgorithm();
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(bc.getEncoded()));
            }
        } catch (PEMException | GeneralSecurityException e) {
            problems.add(new Problem(KEY_FIELD, "is not a usable private key"));
            return null;
        }
        problems.add(new Problem(KEY_FIELD, o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair
                ? "must not be encrypted" : "must be a PEM private key (PKCS#8, RSA or EC)"));
        return null;
    }

    /** "RSA 3072", "EC P-256", or null when the key is not one we serve. */
    private static String keyType(PublicKey k) {
        if (k instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            return bits >= 2048 ? "RSA " + bits : null;
        }
        if (k instanceof ECPublicKey ec) {
            for (String[] curve : new String[][] {{"secp256r1", "P-256"}, {"secp384r1", "P-384"}}) {
                if (sameCurve(ec.getParams(), curve[0])) {
                    return "EC " + curve[1];
                }
            }
        }
        return null;
    }

    private static boolean sameCurve(ECParameterSpec p, String name) {
        try {
            AlgorithmParameters a = AlgorithmParameters.getInstance("EC");
            a.init(new ECGenParameterSpec(name));
            ECParameterSpec named = a.getParameterSpec(ECParameterSpec.class);
            return named.getOrder().equals(p.getOrder()) && named.getCurve().equals(p.getCurve())
                    && named.getGenerator().equals(p.getGenerator());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The key is the certificate's if a signature made with it verifies under the certificate's public key. */
    private static boolean matches(PrivateKey key, X509Certificate cert) {
        String alg = key instanceof RSAPrivateKey ? "SHA256withRSA" : key instanceof ECPrivateKey ? "SHA256withECDSA"
                : null;
        if (alg == null) {
            return false;
        }
        try {
            byte[] probe = "edgegw key match".getBytes(StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance(alg);
            sign.initSign(key);
            sign.update(probe);
            byte[] sig = sign.sign();
            Signature verify = Signature.getInstance(alg);
            verify.initVerify(cert.getPublicKey());
            verify.update(probe);
            return verify.verify(sig);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key for an RSA certificate
        }
    }

    private static Details details(List<X509Certificate> chain) {
        X509Certificate c = chain.get(0);
        List<String> sans = new ArrayList<>();
        try {
            Collection<List<?>> names = c.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> n : names) {
                    int type = (Integer) n.get(0);
                    String prefix = type == 2 ? "DNS:" : type == 7 ? "IP:" : type == 1 ? "email:" : type == 6 ? "URI:"
                            : type + ":";
                    sans.add(prefix + n.get(1));
                }
            }
            String sha256 = HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
            return new Details(c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(),
                    List.copyOf(sans), c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), sha256,
                    selfSigned(c), Objects.requireNonNullElse(keyType(c.getPublicKey()), "other"), chain.size());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot describe the certificate", e);
        }
    }

    private static boolean selfSigned(X509Certificate c) {
        if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            return false;
        }
        try {
            c.verify(c.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static X509CertificateHolder certificate(KeyPair kp, String host, SecureRandom random)
            throws IOException, OperatorCreationException {
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=edgegw admin panel,O=edgegw");
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, random).abs(),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), subject, kp.getPublic());
        List<GeneralName> names = new ArrayList<>(List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.iPAddress, "::1")));
        if (!host.equals("127.0.0.1") && !host.equals("::1") && !host.equals("localhost")
                && !host.equals("0.0.0.0") && !host.equals("::")) {
            boolean ip = host.matches("[0-9.]+") || host.contains(":");
            names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
        }
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        b.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(names.toArray(new GeneralName[0])));
        return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
    }

    static String pem(Object o) throws IOException {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            w.writeObject(o);
        }
        return s.toString();
    }

    /** Writes through a temporary file created 0600 and renamed into place: never readable by others, never half. */
    private static void writePrivate(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_RW));
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
