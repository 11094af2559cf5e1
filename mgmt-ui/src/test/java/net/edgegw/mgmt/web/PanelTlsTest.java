package net.edgegw.mgmt.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.vertx.core.json.JsonObject;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import net.edgegw.mgmt.port.InMemoryBackend;
import net.edgegw.mgmt.testing.RunningServer;
import net.edgegw.mgmt.testing.RunningServer.Creds;
import net.edgegw.mgmt.testing.RunningServer.Reply;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The panel's HTTPS certificate replaced by upload: a certificate made here (Bouncy Castle) is served to the next
 * fresh TLS connection without a restart; bad uploads are 422 per field and the served certificate stays.
 */
class PanelTlsTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static RunningServer s;
    private static Creds admin;
    private static Creds viewer;

    @BeforeAll
    static void start() {
        s = RunningServer.start();
        s.setUp();
        Creds session = s.adminSession();
        s.createUser(session, "vera", "viewer");
        viewer = s.session("vera", "vera-password-1");
        admin = Creds.bearer(s.createToken(session, "admin"));
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    private static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits, RANDOM);
        return g.generateKeyPair();
    }

    private static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve), RANDOM);
        return g.generateKeyPair();
    }

    private static X509Certificate selfSigned(KeyPair kp, String cn, Instant from, Instant to) throws Exception {
        X500Name name = new X500Name("CN=" + cn + ",O=edgegw test");
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(64, RANDOM), Date.from(from),
                Date.from(to), name, kp.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "gw.example.test"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        String alg = kp.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        X509CertificateHolder h = b.build(new JcaContentSignerBuilder(alg).build(kp.getPrivate()));
        return new JcaX509CertificateConverter().getCertificate(h);
    }

    private static X509Certificate valid(KeyPair kp, String cn) throws Exception {
        Instant now = Instant.now();
        return selfSigned(kp, cn, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)));
    }

    private static String pem(Object o) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }

    private static String keyPem(KeyPair kp) throws Exception {
        return pem(new JcaPKCS8Generator(kp.getPrivate(), null).generate());
    }

    /** An SEC1 EC key naming its curve, as {@code openssl ecparam -genkey} writes it. */
    private static String sec1(KeyPair kp, ASN1ObjectIdentifier curve) throws Exception {
        ECPrivateKey k = (ECPrivateKey) kp.getPrivate();
        byte[] der = new org.bouncycastle.asn1.sec.ECPrivateKey(k.getParams().getOrder().bitLength(), k.getS(), curve)
                .getEncoded();
        StringWriter w = new StringWriter();
        try (PemWriter p = new PemWriter(w)) {
            p.writeObject(new PemObject("EC PRIVATE KEY", der));
        }
        return w.toString();
    }

    private static Reply upload(String cert, String key) {
        return s.call(HttpMethod.PUT, "/api/v1/system/tls", admin, new JsonObject().put("certificatePem", cert)
                .put("privateKeyPem", key));
    }

    /** The leaf certificate a brand-new TLS connection (no session resumption: a fresh context) is given. */
    private static X509Certificate served() throws Exception {
        return served(s.server.port());
    }

    private static X509Certificate served(int port) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), RANDOM); // any certificate
        try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            Certificate[] chain = socket.getSession().getPeerCertificates();
            return (X509Certificate) chain[0];
        }
    }

    private static String fingerprint(X509Certificate c) throws Exception {
        return HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
    }

    private static void assertRefused(Reply r, String field) {
        assertEquals(422, r.status(), r.body());
        assertEquals(field, r.json().getJsonArray("errors").getJsonObject(0).getString("field"), r.body());
    }

    @Test
    void uploadedCertificateIsServedAgainAfterARestart() throws Exception {
        Path dir = Files.createTempDirectory("edgegw-mgmt-tls-restart");
        InMemoryBackend backend = new InMemoryBackend();
        try {
            KeyPair kp = ec("secp256r1");
            X509Certificate cert = valid(kp, "restart.example.test");
            try (RunningServer first = RunningServer.restart(backend, dir)) {
                first.setUp();
                Creds session = first.adminSession();
                Reply put = first.call(HttpMethod.PUT, "/api/v1/system/tls", session, new JsonObject()
                        .put("certificatePem", pem(cert)).put("privateKeyPem", keyPem(kp)));
                assertEquals(200, put.status(), put.body());
            }
            try (RunningServer second = RunningServer.restart(backend, dir)) {
                assertEquals(fingerprint(cert), fingerprint(served(second.server.port())),
                        "the written files are what the next start serves");
            }
        } finally {
            RunningServer.deleteTree(dir);
        }
    }

    @Test
    void uploadedCertificateIsServedToTheNextConnectionAndBadUploadsChangeNothing() throws Exception {
        Reply before = s.get("/api/v1/system/tls", viewer);
        assertEquals(200, before.status(), before.body());
        assertTrue(before.json().getBoolean("selfSigned"));
        assertEquals(fingerprint(served()), before.json().getString("sha256"), "the API describes what is served");
        assertTrue(before.json().getJsonArray("subjectAltNames").contains("IP:127.0.0.1"), before.body());

        KeyPair kp = rsa(2048);
        X509Certificate cert = valid(kp, "panel.example.test");
        Reply viewerPut = s.call(HttpMethod.PUT, "/api/v1/system/tls", viewer, new JsonObject()
                .put("certificatePem", pem(cert)).put("privateKeyPem", keyPem(kp)));
        assertEquals(403, viewerPut.status(), "viewers cannot replace it");
        Reply put = upload(pem(cert), pem(kp.getPrivate())); // "RSA PRIVATE KEY" (PKCS#1)
        assertEquals(200, put.status(), put.body());
        assertEquals(fingerprint(cert), put.json().getString("sha256"));
        assertEquals("RSA 2048", put.json().getString("keyType"));
        assertFalse(put.body().contains("PRIVATE KEY"), "the key is never echoed");
        assertEquals(fingerprint(cert), fingerprint(served()), "a fresh connection sees the new certificate");
        assertEquals(fingerprint(cert), s.get("/api/v1/system/tls", viewer).json().getString("sha256"));
        Path certFile = s.dataDir.resolve("tls/cert.pem");
        Path keyFile = s.dataDir.resolve("tls/key.pem");
        assertArrayEquals(cert.getEncoded(), ((X509Certificate) java.security.cert.CertificateFactory
                .getInstance("X.509").generateCertificate(Files.newInputStream(certFile))).getEncoded());
        assertTrue(Files.readString(keyFile).startsWith("-----BEGIN PRIVATE KEY-----"), "stored as PKCS#8");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(certFile)));
        String uploaded = fingerprint(cert);
        assertTrue(s.backend.recent(20).stream().anyMatch(e -> e.action().equals("system.tls.replace")
                && e.detail().contains(uploaded)));
        byte[] keyBytes = Files.readAllBytes(keyFile);

        // Refusals: 422 on the right field, the served certificate and the files unchanged.
        assertRefused(upload(pem(cert), keyPem(rsa(2048))), "privateKeyPem");
        assertRefused(upload("-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n", keyPem(kp)),
                "certificatePem");
        assertRefused(upload(pem(cert), "not a key"), "privateKeyPem");
        Instant now = Instant.now();
        assertRefused(upload(pem(selfSigned(kp, "old", now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(1)))),
                keyPem(kp)), "certificatePem");
        KeyPair weak = rsa(1024);
        assertRefused(upload(pem(valid(weak, "weak")), keyPem(weak)), "certificatePem");
        KeyPair k1 = ec("secp521r1"); // P-521: not one of the two curves served
        assertRefused(upload(pem(valid(k1, "p521")), keyPem(k1)), "certificatePem");
        Reply missing = s.call(HttpMethod.PUT, "/api/v1/system/tls", admin, new JsonObject()
                .put("certificatePem", pem(cert)));
        assertTrue(missing.status() == 400 || missing.status() == 422, missing.body());
        assertEquals(fingerprint(cert), fingerprint(served()), "the old certificate is still served");
        assertArrayEquals(keyBytes, Files.readAllBytes(keyFile));
        assertTrue(s.backend.recent(20).stream().anyMatch(e -> e.action().equals("system.tls.refused")));

        // An EC P-384 chain (leaf + its issuer) with a SEC1 key ("EC PRIVATE KEY", as openssl writes) is accepted.
        KeyPair caKp = ec("secp384r1");
        X509Certificate ca = valid(caKp, "test ca");
        KeyPair leafKp = ec("secp384r1");
        Instant n = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=test ca,O=edgegw test"),
                BigInteger.TEN, Date.from(n.minus(Duration.ofHours(1))), Date.from(n.plus(Duration.ofDays(9))),
                new X500Name("CN=leaf"), leafKp.getPublic());
        X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA384withECDSA").build(caKp.getPrivate())));
        Reply chain = upload(pem(leaf) + pem(ca), sec1(leafKp, SECObjectIdentifiers.secp384r1));
        assertEquals(200, chain.status(), chain.body());
        assertFalse(chain.json().getBoolean("selfSigned"));
        assertEquals(2, chain.json().getInteger("chainLength"));
        assertEquals("EC P-384", chain.json().getString("keyType"));
        assertEquals(fingerprint(leaf), fingerprint(served()));
    }
}
