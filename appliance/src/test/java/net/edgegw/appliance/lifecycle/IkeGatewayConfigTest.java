package net.edgegw.appliance.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.edgegw.appliance.config.CertificateRef;
import net.edgegw.appliance.config.Pki;
import net.edgegw.appliance.ike.message.TransformType;
import net.edgegw.dataplane.spd.TrafficSelector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IkeGatewayConfigTest {
    static final List<String> SAMPLE = List.of(
            "# gw-a",
            "name = gw-a",
            "local = 192.0.2.1",
            "remote = 192.0.2.2",
            "local.id = gw-a.example.test",
            "remote.id = gw-b.example.test",
            "psk = secret-psk   # comment",
            "ike.proposals = aes256-sha256-modp2048, aes128gcm16-prfsha256-x25519",
            "esp.proposals = aes128gcm16",
            "local.ts = 10.244.1.0/24, 10.244.2.0/24",
            "remote.ts = 10.96.1.0/24",
            "start = wait",
            "tun.address = 10.255.0.1/32");

    @Test
    void sampleParsesIntoIkeAndDataPlaneConfig() {
        IkeGatewayConfig c = IkeGatewayConfig.parse(SAMPLE);
        assertEquals("gw-a", c.ike().name());
        assertEquals(500, c.ike().local().getPort());
        assertEquals("secret-psk", new String(c.ike().psk(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(2, c.ike().ikeProposals().size());
        assertEquals(256, c.ike().ikeProposals().get(0).first(TransformType.ENCR).keyLength());
        assertEquals(List.of(TrafficSelector.cidr("10.244.1.0/24"), TrafficSelector.cidr("10.244.2.0/24")),
                c.ike().localTs());
        assertFalse(c.initiate());
        assertTrue(c.ike().forceEncap(), "ESP always in UDP: the data plane receives it on the NAT-T socket");
        assertEquals(List.of("10.96.1.0/24"), c.dataplane().routes());
        assertEquals(4500, c.dataplane().port());
        assertEquals(500, c.dataplane().ikePort());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IkeGatewayConfig.parse(List.of("local = 192.0.2.1", "colour = blue", "no equals sign")));
        String m = e.getMessage();
        for (String want : List.of("line 3", "'colour'", "'remote' is required",
                "'psk', 'psk.hex' or 'local.cert'")) {
            assertTrue(m.contains(want), want + " in: " + m);
        }
    }

    @Test
    void namesAreNeverLookedUp() {
        List<String> l = new java.util.ArrayList<>(SAMPLE);
        l.set(3, "remote = gw-b.example.test");
        assertThrows(IllegalArgumentException.class, () -> IkeGatewayConfig.parse(l));
    }

    /** Certificates instead of the PSK: PEM files written from the built-in CA, typed IDs, keepalive interval. */
    @Test
    void certificateAuthenticationFromPemFiles(@TempDir Path dir) throws Exception {
        Clock now = Clock.systemUTC();
        CertificateRef ca = Pki.createCa("ca", "Test CA", Duration.ofDays(30), now).value();
        CertificateRef gw = Pki.issue(ca, "gw-a", "gw-a", List.of("gw-a.example.test"), Duration.ofDays(30), now,
                Pki.KeyType.RSA_2048).value();
        Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
        Files.writeString(dir.resolve("gw-a.pem"), gw.certificatePem());
        Files.writeString(dir.resolve("gw-a.key"), gw.privateKeyPem().reveal());
        List<String> l = new ArrayList<>(SAMPLE);
        l.remove("psk = secret-psk   # comment");
        l.set(4, "local.id = fqdn:gw-a.example.test");
        l.set(5, "remote.id = asn1dn:C=CH, O=Cloud, CN=gw-b");
        l.addAll(List.of("local.cert = " + dir.resolve("gw-a.pem"), "local.key = " + dir.resolve("gw-a.key"),
                "ca.cert = " + dir.resolve("ca.pem"), "nat.keepalive = 5"));
        IkeGatewayConfig c = IkeGatewayConfig.parse(l);
        assertEquals("RSA", c.ike().certs().key().getAlgorithm());
        assertEquals(1, c.ike().certs().trustAnchors().size());
        assertEquals(5, c.ike().natKeepaliveSeconds());

        // the key of another certificate, a CA file that is missing: both reported
        CertificateRef other = Pki.issue(ca, "x", "x", List.of("x.example.test"), Duration.ofDays(1), now).value();
        Files.writeString(dir.resolve("gw-a.key"), other.privateKeyPem().reveal());
        l.set(l.size() - 2, "ca.cert = " + dir.resolve("missing.pem"));
        String m = assertThrows(IllegalArgumentException.class, () -> IkeGatewayConfig.parse(l)).getMessage();
        assertTrue(m.contains("'ca.cert': cannot read"), m);
        l.set(l.size() - 2, "ca.cert = " + dir.resolve("ca.pem"));
        m = assertThrows(IllegalArgumentException.class, () -> IkeGatewayConfig.parse(l)).getMessage();
        assertTrue(m.contains("does not belong to the certificate"), m);
    }
}
