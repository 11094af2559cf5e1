package net.edgegw.appliance.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.edgegw.appliance.ike.message.TransformType;
import net.edgegw.dataplane.spd.TrafficSelector;
import org.junit.jupiter.api.Test;

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
        for (String want : List.of("line 3", "'colour'", "'remote' is required", "'psk' or 'psk.hex'")) {
            assertTrue(m.contains(want), want + " in: " + m);
        }
    }

    @Test
    void namesAreNeverLookedUp() {
        List<String> l = new java.util.ArrayList<>(SAMPLE);
        l.set(3, "remote = gw-b.example.test");
        assertThrows(IllegalArgumentException.class, () -> IkeGatewayConfig.parse(l));
    }
}
