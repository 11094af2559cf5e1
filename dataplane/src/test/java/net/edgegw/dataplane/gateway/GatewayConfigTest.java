package net.edgegw.dataplane.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.edgegw.dataplane.sa.Direction;
import net.edgegw.dataplane.sa.Suite;
import net.edgegw.dataplane.spd.Action;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {
    static final String KEY = "00112233445566778899aabbccddeeff01020304";

    @Test
    void parsesTheDocumentedFormat() {
        GatewayConfig c = GatewayConfig.parse(List.of(
                "# comment",
                "tun.name = gw0",
                "tun.address = 10.255.0.1/32",
                "local = 192.0.2.1   # outer",
                "workers = 3",
                "route = 10.96.1.0/24",
                "route = 10.96.2.0/24",
                "sa = out spi=0x1001 suite=aes128gcm16 enc=" + KEY + " src=192.0.2.1 dst=192.0.2.2 encap=4500:4500"
                        + " local=10.244.1.0/24 remote=10.96.1.0/24,10.96.2.0/24",
                "sa = in spi=4098 suite=aes128gcm16 enc=" + KEY + " src=192.0.2.2 dst=192.0.2.1 encap=4500 esn window=2048",
                "policy = p1 local=10.244.1.0/24 remote=10.96.1.0/24 action=protect sa=0x1001",
                "policy = p2 remote=10.0.0.0/8 action=discard"));
        assertEquals("gw0", c.tunName());
        assertEquals(3, c.workers());
        assertEquals(1500, c.linkMtu());
        assertEquals(4500, c.port());
        assertTrue(c.mssClamp());
        assertEquals(List.of("10.96.1.0/24", "10.96.2.0/24"), c.routes());
        assertEquals(2, c.sas().size());
        assertEquals(Direction.OUTBOUND, c.sas().get(0).direction());
        assertEquals(Suite.AES_GCM_16_128, c.sas().get(0).suite());
        assertEquals(2, c.sas().get(0).remoteTs().size());
        assertEquals(0x1002, c.sas().get(1).spi());
        assertTrue(c.sas().get(1).esn());
        assertEquals(4500, c.sas().get(1).encapDstPort());
        assertEquals(Action.DISCARD, c.policies().get(1).action());
        assertEquals(0x1001, c.policies().get(0).saSpi());
    }

    @Test
    void reportsEveryProblemWithItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.parse(List.of(
                "bogus = 1",
                "sa = sideways spi=0x1001",
                "policy = p action=protect")));
        String m = e.getMessage();
        assertTrue(m.contains("line 1") && m.contains("line 2") && m.contains("line 3") && m.contains("'local'"), m);
    }

    @Test
    void refusesTheRetiredUdpSocketsKeyAndSaysWhy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.parse(List.of(
                "local = 192.0.2.1",
                "udp.sockets = 2")));
        String m = e.getMessage();
        assertTrue(m.contains("line 2") && m.contains("'udp.sockets' is no longer supported") && m.contains("workers"), m);
    }
}
