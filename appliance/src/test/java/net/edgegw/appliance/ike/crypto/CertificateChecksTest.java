package net.edgegw.appliance.ike.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import net.edgegw.appliance.ike.crypto.CertificateChecks.Result;
import net.edgegw.appliance.ike.crypto.TestCertificates.Issued;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertificateChecksTest {
    private static final Date NOW = Date.from(TestCertificates.NOW);
    private static Issued root;
    private static Issued intermediate;
    private static Issued leaf;
    private static Issued expired;

    @BeforeAll
    static void pki() throws Exception {
        root = TestCertificates.root("CN=Edge Root CA,O=edgegw test");
        intermediate = TestCertificates.intermediate("CN=Edge Intermediate CA,O=edgegw test", root);
        leaf = TestCertificates.leaf("CN=gw1.example.net,OU=Gateways,O=edgegw test", intermediate,
                TestCertificates.NOW.minus(Duration.ofDays(1)), TestCertificates.NOW.plus(Duration.ofDays(90)),
                TestCertificates.sans(new GeneralName(GeneralName.dNSName, "gw1.example.net"),
                        new GeneralName(GeneralName.iPAddress, "192.0.2.1"),
                        new GeneralName(GeneralName.iPAddress, "2001:db8::1"),
                        new GeneralName(GeneralName.rfc822Name, "ops@Example.NET")));
        expired = TestCertificates.leaf("CN=old.example.net,O=edgegw test", intermediate,
                TestCertificates.NOW.minus(Duration.ofDays(400)), TestCertificates.NOW.minus(Duration.ofDays(35)),
                null);
    }

    @Test
    void chainThroughAnIntermediateValidates() {
        Result r = CertificateChecks.validate(leaf.cert(), List.of(intermediate.cert()), List.of(root.cert()),
                List.of(), NOW);
        assertTrue(r.ok(), r.reason());
    }

    @Test
    void intermediatesMayComeInAnyOrderWithExtras() throws Exception {
        Issued stray = TestCertificates.root("CN=Stray,O=elsewhere");
        Result r = CertificateChecks.validate(leaf.cert(), List.of(stray.cert(), intermediate.cert()),
                List.of(root.cert()), List.of(), NOW);
        assertTrue(r.ok(), r.reason());
    }

    @Test
    void wrongRootIsRefused() throws Exception {
        Issued other = TestCertificates.root("CN=Other Root,O=elsewhere");
        Result r = CertificateChecks.validate(leaf.cert(), List.of(intermediate.cert()), List.of(other.cert()),
                List.of(), NOW);
        assertFalse(r.ok());
    }

    /** A root with the right name but another key: the signature check, not the name, decides. */
    @Test
    void impostorRootWithTheSameNameIsRefused() throws Exception {
        Issued impostor = TestCertificates.root("CN=Edge Root CA,O=edgegw test");
        Result r = CertificateChecks.validate(leaf.cert(), List.of(intermediate.cert()), List.of(impostor.cert()),
                List.of(), NOW);
        assertFalse(r.ok(), r.reason());
    }

    @Test
    void expiredLeafIsRefused() {
        Result r = CertificateChecks.validate(expired.cert(), List.of(intermediate.cert()), List.of(root.cert()),
                List.of(), NOW);
        assertFalse(r.ok());
        assertTrue(r.reason().contains("EXPIRED") || r.reason().toLowerCase().contains("expired"), r.reason());
    }

    @Test
    void leafWhoseKeyUsageForbidsSigningIsRefused() throws Exception {
        Issued encipherOnly = TestCertificates.leaf("CN=enc.example.net,O=edgegw test", intermediate,
                TestCertificates.NOW.minus(Duration.ofDays(1)), TestCertificates.NOW.plus(Duration.ofDays(9)), null,
                org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment);
        Result r = CertificateChecks.validate(encipherOnly.cert(), List.of(intermediate.cert()),
                List.of(root.cert()), List.of(), NOW);
        assertFalse(r.ok());
        assertTrue(r.reason().contains("KeyUsage"), r.reason());
    }

    @Test
    void missingIntermediateIsRefused() {
        Result r = CertificateChecks.validate(leaf.cert(), List.of(), List.of(root.cert()), List.of(), NOW);
        assertFalse(r.ok());
    }

    @Test
    void revokedLeafIsRefusedWhenCrlsAreGiven() throws Exception {
        var crl = TestCertificates.crl(intermediate, leaf.cert().getSerialNumber());
        Result r = CertificateChecks.validate(leaf.cert(), List.of(intermediate.cert()), List.of(root.cert()),
                List.of(crl), NOW);
        assertFalse(r.ok());
        assertTrue(r.reason().contains("REVOKED"), r.reason());
        var clean = TestCertificates.crl(intermediate, expired.cert().getSerialNumber());
        Result ok = CertificateChecks.validate(leaf.cert(), List.of(intermediate.cert()), List.of(root.cert()),
                List.of(clean), NOW);
        assertTrue(ok.ok(), ok.reason());
    }

    @Test
    void ipv4AndIpv6IdsMatchSubjectAltNames() throws Exception {
        X509Certificate c = leaf.cert();
        assertTrue(CertificateChecks.matchesId(c, CertificateChecks.ID_IPV4_ADDR,
                InetAddress.getByName("192.0.2.1").getAddress()).ok());
        assertFalse(CertificateChecks.matchesId(c, CertificateChecks.ID_IPV4_ADDR,
                InetAddress.getByName("192.0.2.2").getAddress()).ok());
        assertTrue(CertificateChecks.matchesId(c, CertificateChecks.ID_IPV6_ADDR,
                InetAddress.getByName("2001:db8::1").getAddress()).ok());
        assertFalse(CertificateChecks.matchesId(c, CertificateChecks.ID_IPV6_ADDR,
                InetAddress.getByName("2001:db8::2").getAddress()).ok());
        assertFalse(CertificateChecks.matchesId(c, CertificateChecks.ID_IPV6_ADDR, new byte[4]).ok(), "length");
    }

    @Test
    void fqdnIdMatchesDnsNameCaseInsensitively() {
        X509Certificate c = leaf.cert();
        assertTrue(CertificateChecks.matchesId(c, CertificateChecks.ID_FQDN, ascii("gw1.example.net")).ok());
        assertTrue(CertificateChecks.matchesId(c, CertificateChecks.ID_FQDN, ascii("GW1.Example.Net.")).ok());
        assertFalse(CertificateChecks.matchesId(c, CertificateChecks.ID_FQDN, ascii("gw2.example.net")).ok());
        assertFalse(CertificateChecks.matchesId(c, CertificateChecks.ID_FQDN, ascii("example.net")).ok());
        assertFalse(CertificateChecks.matchesId(c, CertificateChecks.ID_FQDN, ascii("gw1.example.net\u0000x")).ok());
    }

    @Test
    void rfc822IdMatchesMailboxWithCaseInsensitiveHost() {
        X509Certificate c = leaf.cert();
        assertTrue(CertificateChecks.matchesId(c, CertificateChecks.ID_RFC822_ADDR, ascii("ops@example.net")).ok());
        assertFalse(CertificateChecks.matchesId(c, CertificateChecks.ID_RFC822_ADDR, ascii("OPS@example.net")).ok());
        assertFalse(CertificateChecks.matchesId(c, CertificateChecks.ID_RFC822_ADDR, ascii("dev@example.net")).ok());
    }

    @Test
    void dnIdMatchesTheSubject() {
        X509Certificate c = leaf.cert();
        byte[] dn = c.getSubjectX500Principal().getEncoded();
        assertTrue(CertificateChecks.matchesId(c, CertificateChecks.ID_DER_ASN1_DN, dn).ok());
        byte[] issuer = c.getIssuerX500Principal().getEncoded();
        assertFalse(CertificateChecks.matchesId(c, CertificateChecks.ID_DER_ASN1_DN, issuer).ok());
        assertFalse(CertificateChecks.matchesId(c, CertificateChecks.ID_DER_ASN1_DN, new byte[] {0x30, 0x05}).ok(),
                "malformed DER");
    }

    @Test
    void keyIdMatchesOnlyTheConfiguredValue() {
        X509Certificate c = leaf.cert();
        byte[] keyId = ascii("opaque-key-id");
        assertFalse(CertificateChecks.matchesId(c, CertificateChecks.ID_KEY_ID, keyId).ok());
        assertTrue(CertificateChecks.matchesId(c, CertificateChecks.ID_KEY_ID, keyId, ascii("opaque-key-id")).ok());
        assertFalse(CertificateChecks.matchesId(c, CertificateChecks.ID_KEY_ID, keyId, ascii("other")).ok());
    }

    @Test
    void certificateWithoutSubjectAltNameMatchesNoAddressOrName() {
        X509Certificate c = expired.cert();
        assertFalse(CertificateChecks.matchesId(c, CertificateChecks.ID_FQDN, ascii("old.example.net")).ok());
        assertFalse(CertificateChecks.matchesId(c, CertificateChecks.ID_DER_ASN1_GN, new byte[] {1}).ok());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
