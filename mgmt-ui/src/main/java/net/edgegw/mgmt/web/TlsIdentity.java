package net.edgegw.mgmt.web;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
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
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The HTTPS identity of the admin panel: a self-signed ECDSA P-256 certificate made at first start (subject
 * alternative names localhost, 127.0.0.1, ::1 and the bind address), kept under {@code <dataDir>/tls} with mode 0600
 * and reused on every later start, so that a browser's exception for it stays valid.
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

    private static String pem(Object o) throws IOException {
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
