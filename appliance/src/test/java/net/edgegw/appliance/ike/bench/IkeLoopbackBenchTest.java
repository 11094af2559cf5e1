package net.edgegw.appliance.ike.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** bench/ike.sh's harness, small: 50 tunnels between two IKE engines over loopback UDP all come up. No timing. */
class IkeLoopbackBenchTest {
    @Test
    @Timeout(90)
    void fiftyTunnelsComeUp() throws Exception {
        IkeLoopbackBench.Result r = IkeLoopbackBench.run(50, 16, "aes128gcm16-prfsha256-x25519", 60_000);
        assertEquals(50, r.up(), "tunnels up");
        assertTrue(r.summary().startsWith("SUMMARY ike tunnels=50 setups_per_s="), r.summary());
    }
}
