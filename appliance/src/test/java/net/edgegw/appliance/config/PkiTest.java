package net.edgegw.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

class PkiTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T03:00:00Z"), ZoneOffset.UTC);
    static final Duration YEAR = Duration.ofDays(365);

    static CertificateRef ca() {
        return Pki.createCa("edge-ca", "edgegw test CA", Duration.ofDays(3650), CLOCK).value();
    }

    static X509Certificate cert(CertificateRef ref) {
        return Pki.parseCertificate(ref.certificatePem());
    }

    @Test
    void builtInCaIssuesGatewayCertificates() throws Exception {
        CertificateRef ca = ca();
        X509Certificate caCert = cert(ca);
        assertEquals(0, caCert.getBasicConstraints());
        caCert.verify(caCert.getPublicKey()); // self-signed
        CertificateRef gw = Pki.issue(ca, "gw-hq", "hq.example.net",
                List.of("hq.example.net", "192.0.2.1", "2001:db8::1", "ipsec@hq.example.net"), YEAR, CLOCK).value();
        X509Certificate c = cert(gw);
        c.verify(caCert.getPublicKey());
        assertEquals(CertificateRef.Kind.GATEWAY, gw.kind());
        assertEquals(-1, c.getBasicConstraints());
        assertTrue(c.getKeyUsage()[0], "digitalSignature");
        assertEquals(List.of(List.of(2, "hq.example.net"), List.of(7, "192.0.2.1"),
                List.of(7, "2001:db8:0:0:0:0:0:1"), List.of(1, "ipsec@hq.example.net")),
                c.getSubjectAlternativeNames().stream().map(l -> List.copyOf(l)).toList());
        assertTrue(c.getSubjectX500Principal().getName().contains("CN=hq.example.net"));
        assertTrue(Pki.keyMatches(c, Pki.parsePrivateKey(gw.privateKeyPem())));
        assertFalse(Pki.keyMatches(c, Pki.parsePrivateKey(ca.privateKeyPem())));
        assertEquals(Date.from(CLOCK.instant().plus(YEAR)), c.getNotAfter());
        // never outlives its CA
        CertificateRef longLived = Pki.issue(ca, "x", "x", List.of(), Duration.ofDays(99_999), CLOCK).value();
        assertEquals(caCert.getNotAfter(), cert(longLived).getNotAfter());
        assertFalse(gw.toString().contains("PRIVATE KEY"), "toString redacts the key");
    }

    @Test
    void certificateAuthenticationValidatesAndRoundTripsThroughTheConfig() {
        CertificateRef ca = ca();
        CertificateRef gw = Pki.issue(ca, "gw-hq", "hq.example.net", List.of("hq.example.net"), YEAR, CLOCK).value();
        Config base = Fixtures.example();
        Peer p = base.peers().get(0);
        Config c = base.withCertificates(List.of(ca, gw)).withPeers(List.of(new Peer(p.name(), p.address(),
                "hq.example.net", p.remoteId(), Peer.Auth.certificate("gw-hq", "edge-ca"), p.ikeProposals(),
                p.ikeLifetimeSeconds(), p.dpd(), p.natTraversal(), null)));
        assertEquals(List.of(), ConfigValidator.validate(c));
        // a gateway certificate with someone else's key is refused
        CertificateRef other = Pki.issue(ca, "other", "o", List.of(), YEAR, CLOCK).value();
        CertificateRef mixed = new CertificateRef("gw-hq", CertificateRef.Kind.GATEWAY, gw.certificatePem(),
                other.privateKeyPem());
        assertEquals(List.of(new Problem("certificates[gw-hq].privateKey", "does not belong to this certificate")),
                ConfigValidator.validate(c.withCertificates(List.of(ca, mixed))));
    }

    @Test
    void revokeAndCrl() throws Exception {
        CertificateRef ca = ca();
        CertificateRef gw = Pki.issue(ca, "gw", "gw", List.of(), YEAR, CLOCK).value();
        CertificateRef kept = Pki.issue(ca, "kept", "kept", List.of(), YEAR, CLOCK).value();
        Outcome<CertificateRef> revoked = Pki.revoke(ca, gw.certificatePem(), CLOCK);
        assertTrue(revoked.ok(), revoked.problems().toString());
        CertificateRef ca2 = revoked.value();
        assertEquals(List.of(new CertificateRef.Revoked(cert(gw).getSerialNumber().toString(16), CLOCK.instant())),
                ca2.revoked());
        Config withCa = Config.EMPTY.withCertificates(List.of(ca2));
        assertEquals(List.of(), ConfigValidator.validate(withCa));
        assertEquals(withCa, ConfigYaml.read(ConfigYaml.write(withCa, Fixtures.PLAIN), Fixtures.PLAIN).config());
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(
                new ByteArrayInputStream(Pki.crl(ca2, Duration.ofDays(7), CLOCK).value().getBytes(StandardCharsets.US_ASCII)));
        crl.verify(cert(ca).getPublicKey());
        assertTrue(crl.isRevoked(cert(gw)));
        assertFalse(crl.isRevoked(cert(kept)));
        assertEquals(Date.from(CLOCK.instant().plus(Duration.ofDays(7))), crl.getNextUpdate());
        assertEquals(List.of(new Problem("certificate", "serial " + cert(gw).getSerialNumber().toString(16)
                + " is already revoked")), Pki.revoke(ca2, gw.certificatePem(), CLOCK).problems());
        CertificateRef strangerCa = ca();
        assertEquals(List.of(new Problem("certificate", "not issued by certificates[edge-ca]")),
                Pki.revoke(strangerCa, gw.certificatePem(), CLOCK).problems());
        // a CA we only trust (no key) cannot issue or revoke
        CertificateRef trusted = Pki.importPem("ext-ca", ca.certificatePem(), null).value();
        assertEquals(CertificateRef.Kind.CA, trusted.kind());
        assertNull(trusted.privateKeyPem());
        assertEquals("certificates[ext-ca].privateKey",
                Pki.issue(trusted, "g", "g", List.of(), YEAR, CLOCK).problems().get(0).field());
    }

    @Test
    void csrForAnExternalCaThenImportTheAnswer() throws Exception {
        Outcome<Pki.CsrAndKey> out = Pki.csr("branch.example.net", List.of("branch.example.net", "198.51.100.7"));
        assertTrue(out.ok(), out.problems().toString());
        PKCS10CertificationRequest req;
        try (PEMParser p = new PEMParser(new StringReader(out.value().csrPem()))) {
            req = (PKCS10CertificationRequest) p.readObject();
        }
        JcaPKCS10CertificationRequest jreq = new JcaPKCS10CertificationRequest(req);
        assertTrue(req.isSignatureValid(new JcaContentVerifierProviderBuilder().build(jreq.getPublicKey())));
        assertEquals("CN=branch.example.net", req.getSubject().toString());
        Extensions ext = Extensions.getInstance(
                req.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0].getAttrValues().getObjectAt(0));
        GeneralNames sans = GeneralNames.fromExtensions(ext, org.bouncycastle.asn1.x509.Extension.subjectAlternativeName);
        assertEquals(GeneralName.dNSName, sans.getNames()[0].getTagNo());
        assertEquals(GeneralName.iPAddress, sans.getNames()[1].getTagNo());

        // the "external CA": our own CA's key, signing the CSR's public key with plain Bouncy Castle
        CertificateRef ext1 = ca();
        X509Certificate extCa = cert(ext1);
        X509Certificate signed = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                extCa, BigInteger.valueOf(4242), new Date(), Date.from(Instant.now().plus(YEAR)),
                X500Name.getInstance(req.getSubject()), jreq.getPublicKey())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(Pki.parsePrivateKey(ext1.privateKeyPem()))));
        String signedPem = "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(signed.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        Outcome<CertificateRef> imported = Pki.importPem("gw-branch", signedPem, out.value().privateKeyPem());
        assertTrue(imported.ok(), imported.problems().toString());
        assertEquals(CertificateRef.Kind.GATEWAY, imported.value().kind());
        assertEquals(signed, cert(imported.value()));
        // the wrong key, no key, and garbage are refused with the field
        assertEquals(List.of(new Problem("privateKey", "does not belong to this certificate")),
                Pki.importPem("g", signedPem, ext1.privateKeyPem()).problems());
        assertEquals(List.of(new Problem("privateKey", "a gateway certificate needs its private key")),
                Pki.importPem("g", signedPem, null).problems());
        assertEquals(List.of(new Problem("certificate", "not a PEM X.509 certificate")),
                Pki.importPem("g", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", null).problems());
        assertEquals(List.of(new Problem("privateKey", "not a PEM private key")),
                Pki.importPem("g", signedPem, Secret.of("nope")).problems());
    }

    @Test
    void pkcs12Import() throws Exception {
        CertificateRef ca = ca();
        CertificateRef gw = Pki.issue(ca, "gw", "gw.example.net", List.of("gw.example.net"), YEAR, CLOCK).value();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "p12-password".toCharArray();
        ks.setKeyEntry("gw", Pki.parsePrivateKey(gw.privateKeyPem()), pw,
                new java.security.cert.Certificate[] {cert(gw), cert(ca)});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ks.store(bytes, pw);
        Outcome<CertificateRef> in = Pki.importPkcs12("gw", bytes.toByteArray(), pw);
        assertTrue(in.ok(), in.problems().toString());
        assertEquals(cert(gw), cert(in.value()));
        assertEquals(Pki.parsePrivateKey(gw.privateKeyPem()), Pki.parsePrivateKey(in.value().privateKeyPem()));
        assertEquals("pkcs12", Pki.importPkcs12("gw", bytes.toByteArray(), "wrong".toCharArray())
                .problems().get(0).field());
        assertEquals("pkcs12", Pki.importPkcs12("gw", new byte[] {1, 2, 3}, pw).problems().get(0).field());
    }

    @Test
    void badNamesAreProblemsWithTheirField() {
        CertificateRef ca = ca();
        Outcome<CertificateRef> o = Pki.issue(ca, "gw", "", List.of("ok.example.net", "not a name!", "10.1.2"), YEAR,
                CLOCK);
        assertEquals(List.of(new Problem("commonName", "1..64 characters"),
                new Problem("subjectAltNames[1]", "'not a name!' is not an IP address, host name or user@host"),
                new Problem("subjectAltNames[2]", "'10.1.2' is not an IP address, host name or user@host")),
                o.problems());
        assertFalse(Pki.csr("x".repeat(65), List.of()).ok());
    }
}
