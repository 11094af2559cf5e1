package net.edgegw.appliance.ike.sa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import net.edgegw.appliance.ike.crypto.ChildKeys;
import net.edgegw.dataplane.sa.Direction;
import net.edgegw.dataplane.sa.Sad;
import net.edgegw.dataplane.sa.SecurityAssociation;
import net.edgegw.dataplane.sa.Suite;
import net.edgegw.dataplane.spd.Policy;
import net.edgegw.dataplane.spd.Spd;
import net.edgegw.dataplane.spd.TrafficSelector;
import org.junit.jupiter.api.Test;

/** The real installer against the data plane's real SAD and SPD (no packets, no root). */
class DataplaneInstallerTest {

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i);
        }
        return b;
    }

    @Test
    void installsBothSasAndAPolicyThenRemovesThem() {
        Sad sad = new Sad(() -> 0L);
        Spd spd = new Spd();
        List<SecurityAssociation> assigned = new ArrayList<>();
        DataplaneInstaller inst = new DataplaneInstaller(sad, spd, assigned::add);
        IkeConfig cfg = IkeExchangeTest.config("a", IkeExchangeTest.A, IkeExchangeTest.B, "a", "b",
                IkeExchangeTest.PSK, "aes128gcm16-prfsha256-x25519", "aes256-sha256", "10.244.1.0/24", "10.96.1.0/24");
        IkeSa ike = new IkeSa(cfg, new IkeContext((m, to, n) -> { }, inst, new SecureRandom(), () -> 0L, s -> { }),
                true, 1, 2, new InetSocketAddress(IkeExchangeTest.B.getAddress(), 4500));
        ike.natDetected = true;
        ike.natT = true;
        ChildKeys k = new ChildKeys(bytes(32, 1), bytes(32, 2), bytes(32, 3), bytes(32, 4));
        ChildSa c = new ChildSa(0x1001, 0x2002, Suite.AES_CBC_256_HMAC_SHA256, false, k, true,
                List.of(TrafficSelector.cidr("10.244.1.0/24")), List.of(TrafficSelector.cidr("10.96.1.0/24")));
        inst.install(ike, c);

        SecurityAssociation in = sad.inbound(0x1001);
        SecurityAssociation out = sad.outbound(0x2002);
        assertEquals(List.of(in, out), assigned, "each SA got a worker");
        assertArrayEquals(bytes(32, 3), in.config.encKey(), "we initiated: inbound uses the responder's keys");
        assertArrayEquals(bytes(32, 4), in.config.authKey());
        assertArrayEquals(bytes(32, 1), out.config.encKey());
        assertArrayEquals(IkeExchangeTest.A.getAddress().getAddress(), out.config.src());
        assertArrayEquals(IkeExchangeTest.B.getAddress().getAddress(), out.config.dst());
        assertEquals(4500, out.config.encapSrcPort());
        assertEquals(4500, out.config.encapDstPort());
        Policy p = spd.list().get(0);
        assertSame(out, p.outboundSa());
        assertEquals(c.localTs, p.local());
        assertTrue(c.installed);

        inst.remove(ike, c);
        assertNull(sad.inbound(0x1001));
        assertNull(sad.outbound(0x2002));
        assertTrue(spd.list().isEmpty());
        inst.remove(ike, c); // idempotent
        assertEquals(Direction.INBOUND, in.direction());

        // all or nothing: an outbound SPI the SAD already has leaves no inbound SA behind
        inst.install(ike, c);
        ChildSa clash = new ChildSa(0x3003, 0x2002, Suite.AES_CBC_256_HMAC_SHA256, false, k, true, c.localTs, c.remoteTs);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> inst.install(ike, clash));
        assertNull(sad.inbound(0x3003));
        assertEquals(1, spd.list().size());
        assertTrue(inst.spiInUse(0x1001));
    }

    @Test
    void dataPlaneLifetimeEventsReachTheChildSa() {
        long[] now = {0};
        Sad sad = new Sad(() -> now[0]);
        DataplaneInstaller inst = new DataplaneInstaller(sad, new Spd(), sa -> { });
        inst.lifetimes(new net.edgegw.dataplane.sa.Lifetime(0, 0, 100), new net.edgegw.dataplane.sa.Lifetime(0, 0, 120));
        IkeConfig cfg = IkeExchangeTest.config("a", IkeExchangeTest.A, IkeExchangeTest.B, "a", "b",
                IkeExchangeTest.PSK, "aes128gcm16-prfsha256-x25519", "aes256-sha256", "10.244.1.0/24", "10.96.1.0/24");
        IkeSa ike = new IkeSa(cfg, new IkeContext((m, to, n) -> { }, inst, new SecureRandom(), () -> 0L, s -> { }),
                true, 1, 2, IkeExchangeTest.B);
        ChildKeys k = new ChildKeys(bytes(32, 1), bytes(32, 2), bytes(32, 3), bytes(32, 4));
        ChildSa c = new ChildSa(0x1001, 0x2002, Suite.AES_CBC_256_HMAC_SHA256, false, k, true,
                List.of(TrafficSelector.cidr("10.244.1.0/24")), List.of(TrafficSelector.cidr("10.96.1.0/24")));
        inst.install(ike, c);
        now[0] = 99_000_000_000L;
        inst.poll();
        assertTrue(!c.softExpired && !c.hardExpired, "before the soft lifetime");
        now[0] = 100_000_000_000L;
        inst.poll();
        assertTrue(c.softExpired, "soft lifetime: rekey");
        assertTrue(!c.hardExpired);
        now[0] = 121_000_000_000L;
        inst.poll();
        assertTrue(c.hardExpired, "hard lifetime: delete");
    }
}
