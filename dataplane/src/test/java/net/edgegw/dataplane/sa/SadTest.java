package net.edgegw.dataplane.sa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SAD (RFC 4301 §4.4.2): SPI lookup per direction, install/remove, lifetimes (§4.4.2.1) on a manual clock,
 * and the outbound sequence counter (RFC 4303 §3.3.3).
 */
class SadTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private record Event(SecurityAssociation sa, SaEvent event) {}

    private long now = 1_000 * SECOND; // an arbitrary origin: SAs measure their age from install
    private Sad sad;
    private final List<Event> events = new ArrayList<>();

    @BeforeEach
    void setUp() {
        sad = new Sad(() -> now);
        sad.listener((sa, ev) -> events.add(new Event(sa, ev)));
    }

    private static SaConfig.Builder cfg(int spi, Direction dir) {
        return SaConfigTest.valid().spi(spi).direction(dir);
    }

    private List<SaEvent> drain(SecurityAssociation sa) {
        List<SaEvent> l = new ArrayList<>();
        for (Event e : events) {
            assertSame(sa, e.sa());
            l.add(e.event());
        }
        events.clear();
        return l;
    }

    // ---- lookup ------------------------------------------------------------------------------------------------

    @Test
    void sameSpiOncePerDirection() {
        SecurityAssociation in = sad.install(cfg(0x1234, Direction.INBOUND).build());
        SecurityAssociation out = sad.install(cfg(0x1234, Direction.OUTBOUND).build());
        assertNotSame(in, out);
        assertSame(in, sad.inbound(0x1234));
        assertSame(out, sad.outbound(0x1234));
        assertEquals(Direction.INBOUND, in.direction());
        assertNotNull(in.replay, "inbound SAs carry a replay window");
        assertNull(out.replay);
        assertNull(sad.inbound(0x1235));
        assertNull(sad.outbound(0x1233));
        assertEquals(2, sad.list().size());
    }

    @Test
    void duplicateSpiInOneDirectionIsRefused() {
        SecurityAssociation first = sad.install(cfg(0x1234, Direction.INBOUND).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sad.install(cfg(0x1234, Direction.INBOUND).suite(Suite.AES_GCM_16_256)
                        .encKey(SaConfigTest.key(36, 0)).build()));
        assertTrue(e.getMessage().contains("0x00001234"), e.getMessage());
        assertSame(first, sad.inbound(0x1234), "the installed SA stays");
        assertEquals(1, sad.list().size());
    }

    @Test
    void removeUnpublishesAndKills() {
        SecurityAssociation in = sad.install(cfg(0x1234, Direction.INBOUND).build());
        SecurityAssociation out = sad.install(cfg(0x1234, Direction.OUTBOUND).build());
        assertTrue(in.usable());
        assertSame(in, sad.remove(Direction.INBOUND, 0x1234));
        assertNull(sad.inbound(0x1234));
        assertFalse(in.usable(), "a worker still holding the SA must drop its packets");
        assertSame(out, sad.outbound(0x1234), "the other direction is untouched");
        assertTrue(out.usable());
        assertNull(sad.remove(Direction.INBOUND, 0x1234), "second remove");
        assertNull(sad.remove(Direction.OUTBOUND, 0x9999));
        // The SPI can be reused after removal.
        SecurityAssociation again = sad.install(cfg(0x1234, Direction.INBOUND).build());
        assertSame(again, sad.inbound(0x1234));
        assertTrue(again.usable());
    }

    @Test
    void thousandsOfRandomSpisAreAllFound() {
        SplittableRandom rnd = new SplittableRandom(4301);
        Set<Integer> spis = new LinkedHashSet<>();
        while (spis.size() < 5000) {
            int spi = rnd.nextInt();
            if (Integer.compareUnsigned(spi, 256) >= 0) {
                spis.add(spi);
            }
        }
        // Consecutive SPIs as well, as SPI allocators tend to hand out.
        for (int i = 0; i < 300; i++) {
            spis.add(0xc0000000 + i);
        }
        // The cheapest suite to key: this test is about the table, which grows from 8 slots to 16384.
        SaConfig.Builder b = cfg(0, Direction.INBOUND).suite(Suite.AES_GMAC_128).replayWindow(64);
        Map<Integer, SecurityAssociation> installed = new HashMap<>();
        for (int spi : spis) {
            installed.put(spi, sad.install(b.spi(spi).build()));
        }
        for (Map.Entry<Integer, SecurityAssociation> e : installed.entrySet()) {
            assertSame(e.getValue(), sad.inbound(e.getKey()), () -> Integer.toHexString(e.getKey()));
            assertNull(sad.outbound(e.getKey()));
        }
        int absent = 0;
        while (absent < 20000) {
            int probe = rnd.nextInt();
            if (!spis.contains(probe)) {
                assertNull(sad.inbound(probe));
                absent++;
            }
        }
        assertEquals(spis.size(), sad.list().size());
        // Remove some: the rest must still be reachable past the holes.
        List<Integer> removed = new ArrayList<>();
        for (int spi : spis) {
            if (removed.size() < 300 && rnd.nextInt(10) == 0) {
                assertSame(installed.get(spi), sad.remove(Direction.INBOUND, spi));
                removed.add(spi);
            }
        }
        for (int spi : spis) {
            if (removed.contains(spi)) {
                assertNull(sad.inbound(spi));
            } else {
                assertSame(installed.get(spi), sad.inbound(spi), () -> Integer.toHexString(spi));
            }
        }
        assertEquals(spis.size() - removed.size(), sad.list().size());
    }

    @Test
    void destinationMatches() {
        SecurityAssociation sa = sad.install(cfg(0x1000, Direction.INBOUND).dst("198.51.100.2").build());
        byte[] pkt = new byte[40];
        pkt[16] = (byte) 198;
        pkt[17] = 51;
        pkt[18] = 100;
        pkt[19] = 2;
        assertTrue(Sad.destinationMatches(sa, pkt, 16, 4));
        pkt[19] = 3;
        assertFalse(Sad.destinationMatches(sa, pkt, 16, 4));
        assertFalse(Sad.destinationMatches(sa, pkt, 12, 4), "other bytes");
        assertFalse(Sad.destinationMatches(sa, new byte[40], 0, 16), "address family differs");

        SecurityAssociation v6 = sad.install(cfg(0x1001, Direction.INBOUND).src("2001:db8::1").dst("2001:db8::2").build());
        byte[] p6 = new byte[64];
        System.arraycopy(v6.config.dst(), 0, p6, 24, 16);
        assertTrue(Sad.destinationMatches(v6, p6, 24, 16));
        p6[24 + 15] = 3;
        assertFalse(Sad.destinationMatches(v6, p6, 24, 16));
        p6[24 + 15] = 2;
        p6[24] = 0x30; // difference in the first byte, not only the last
        assertFalse(Sad.destinationMatches(v6, p6, 24, 16));
    }

    @Test
    void allZeroDestinationIsAWildcardOfItsFamily() {
        SecurityAssociation any4 = sad.install(cfg(0x1000, Direction.INBOUND).dst("0.0.0.0").build());
        SecurityAssociation any6 = sad.install(cfg(0x1001, Direction.INBOUND).src("::1").dst("::").build());
        byte[] pkt = new byte[64];
        for (int i = 0; i < pkt.length; i++) {
            pkt[i] = (byte) (i * 7 + 1);
        }
        assertTrue(Sad.destinationMatches(any4, pkt, 16, 4));
        assertTrue(Sad.destinationMatches(any4, pkt, 3, 4));
        assertFalse(Sad.destinationMatches(any4, pkt, 24, 16), "an IPv4 wildcard does not cover IPv6");
        assertTrue(Sad.destinationMatches(any6, pkt, 24, 16));
        assertFalse(Sad.destinationMatches(any6, pkt, 16, 4));
    }

    // ---- lifetimes (RFC 4301 §4.4.2.1) ---------------------------------------------------------------------------

    @Test
    void softAndHardByPackets() {
        SecurityAssociation sa = sad.install(cfg(0x1000, Direction.INBOUND)
                .soft(new Lifetime(0, 3, 0)).hard(new Lifetime(0, 5, 0)).build());
        assertTrue(sa.account(100));
        assertTrue(sa.account(100));
        sad.poll();
        assertEquals(List.of(), drain(sa));
        assertTrue(sa.account(100)); // 3rd packet: soft
        assertTrue(sa.usable());
        sad.poll();
        sad.poll();
        assertEquals(List.of(SaEvent.SOFT_EXPIRED), drain(sa));
        assertTrue(sa.account(100));
        sad.poll();
        assertEquals(List.of(), drain(sa), "soft is told once");
        assertTrue(sa.account(100), "the 5th packet is within a 5-packet lifetime");
        assertFalse(sa.usable());
        assertFalse(sa.account(100), "the 6th is not");
        for (int i = 0; i < 5; i++) {
            sad.poll();
        }
        assertEquals(List.of(SaEvent.HARD_EXPIRED), drain(sa));
        assertEquals(6, sa.counters.packets);
        assertEquals(600, sa.counters.bytes);
    }

    @Test
    void softAndHardByBytes() {
        SecurityAssociation sa = sad.install(cfg(0x1000, Direction.INBOUND)
                .soft(new Lifetime(1000, 0, 0)).hard(new Lifetime(2000, 0, 0)).build());
        assertTrue(sa.account(400));
        assertTrue(sa.account(400));
        sad.poll();
        assertEquals(List.of(), drain(sa));
        assertTrue(sa.account(400)); // 1200 >= 1000
        sad.poll();
        assertEquals(List.of(SaEvent.SOFT_EXPIRED), drain(sa));
        assertTrue(sa.account(400)); // 1600
        assertTrue(sa.usable());
        assertTrue(sa.account(400), "exactly at the byte limit is still within it");
        assertFalse(sa.usable());
        assertFalse(sa.account(1));
        sad.poll();
        sad.poll();
        assertEquals(List.of(SaEvent.HARD_EXPIRED), drain(sa));
    }

    @Test
    void packetCrossingTheHardByteLimitIsRefused() {
        SecurityAssociation sa = sad.install(cfg(0x1000, Direction.INBOUND)
                .soft(new Lifetime(1000, 0, 0)).hard(new Lifetime(2000, 0, 0)).build());
        assertTrue(sa.account(700));
        assertTrue(sa.account(700)); // 1400: soft
        assertTrue(sa.usable());
        assertFalse(sa.account(700), "2100 > 2000: this packet must not pass");
        assertFalse(sa.usable());
        sad.poll();
        assertEquals(List.of(SaEvent.SOFT_EXPIRED, SaEvent.HARD_EXPIRED), drain(sa));
    }

    @Test
    void hardLimitWithoutASoftLimit() {
        // Manual keying often sets only a hard lifetime; it must be enforced on its own.
        SecurityAssociation byPackets = sad.install(cfg(0x1000, Direction.INBOUND).hard(new Lifetime(0, 3, 0)).build());
        assertTrue(byPackets.account(10));
        assertTrue(byPackets.account(10));
        assertTrue(byPackets.account(10));
        assertFalse(byPackets.usable(), "3 packets used up a 3-packet hard lifetime");
        assertFalse(byPackets.account(10));
        sad.poll();
        assertEquals(List.of(SaEvent.HARD_EXPIRED), drain(byPackets));

        SecurityAssociation byBytes = sad.install(cfg(0x1001, Direction.INBOUND).hard(new Lifetime(1000, 0, 0)).build());
        assertTrue(byBytes.account(600));
        assertFalse(byBytes.account(600), "1200 > 1000");
        assertFalse(byBytes.usable());
    }

    @Test
    void hardByteLimitWhileOnlyTheSoftPacketLimitIsSet() {
        SecurityAssociation sa = sad.install(cfg(0x1000, Direction.INBOUND)
                .soft(new Lifetime(0, 1000, 0)).hard(new Lifetime(1000, 0, 0)).build());
        assertTrue(sa.account(600));
        assertFalse(sa.account(600), "the byte hard limit does not wait for the packet soft limit");
        assertFalse(sa.usable());
    }

    @Test
    void softAndHardBySeconds() {
        SecurityAssociation sa = sad.install(cfg(0x1000, Direction.OUTBOUND)
                .soft(new Lifetime(0, 0, 10)).hard(new Lifetime(0, 0, 20)).build());
        now += 10 * SECOND - 1;
        sad.poll();
        assertEquals(List.of(), drain(sa));
        now += 1;
        sad.poll();
        assertEquals(List.of(SaEvent.SOFT_EXPIRED), drain(sa));
        now += 5 * SECOND;
        sad.poll();
        sad.poll();
        assertEquals(List.of(), drain(sa));
        assertTrue(sa.usable());
        now += 5 * SECOND;
        sad.poll();
        assertFalse(sa.usable());
        assertEquals(List.of(SaEvent.HARD_EXPIRED), drain(sa));
        for (int i = 0; i < 10; i++) {
            now += 3600 * SECOND;
            sad.poll();
        }
        assertEquals(List.of(), drain(sa));
    }

    @Test
    void secondsAreCountedFromInstall() {
        now += 1_000_000 * SECOND;
        SecurityAssociation sa = sad.install(cfg(0x1000, Direction.OUTBOUND).hard(new Lifetime(0, 0, 60)).build());
        now += 59 * SECOND;
        sad.poll();
        assertTrue(sa.usable());
        assertEquals(List.of(), drain(sa));
        now += SECOND;
        sad.poll();
        assertFalse(sa.usable());
    }

    @Test
    void jumpingPastBothTimeLimitsAtOnceTellsBoth() {
        SecurityAssociation sa = sad.install(cfg(0x1000, Direction.OUTBOUND)
                .soft(new Lifetime(0, 0, 10)).hard(new Lifetime(0, 0, 20)).build());
        now += 30 * SECOND;
        sad.poll();
        sad.poll();
        assertEquals(List.of(SaEvent.SOFT_EXPIRED, SaEvent.HARD_EXPIRED), drain(sa));
    }

    @Test
    void veryLongTimeLifetimeDoesNotExpireAtOnce() {
        // 10^10 s (~317 years) times 10^9 ns does not fit in a long: such a lifetime means "practically never".
        SecurityAssociation sa = sad.install(cfg(0x1000, Direction.OUTBOUND)
                .soft(new Lifetime(0, 0, 9_000_000_000L)).hard(new Lifetime(0, 0, Long.MAX_VALUE)).build());
        now += 3600 * SECOND;
        sad.poll();
        assertTrue(sa.usable());
        assertEquals(List.of(), drain(sa));
    }

    @Test
    void eventsOfSeveralSasStaySeparate() {
        SecurityAssociation a = sad.install(cfg(0x1000, Direction.INBOUND).soft(new Lifetime(0, 1, 0)).build());
        SecurityAssociation b = sad.install(cfg(0x1000, Direction.OUTBOUND).soft(new Lifetime(0, 0, 5)).build());
        assertTrue(a.account(1));
        sad.poll();
        assertEquals(List.of(new Event(a, SaEvent.SOFT_EXPIRED)), List.copyOf(events));
        events.clear();
        now += 5 * SECOND;
        sad.poll();
        // a's time lifetime is unlimited: only b is due.
        assertEquals(List.of(new Event(b, SaEvent.SOFT_EXPIRED)), List.copyOf(events));
    }

    @Test
    void lifetimeRejectsNegativeLimits() {
        assertThrows(IllegalArgumentException.class, () -> new Lifetime(-1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Lifetime(0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Lifetime(0, 0, -1));
    }

    // ---- outbound sequence numbers (RFC 4303 §3.3.3) --------------------------------------------------------------

    @Test
    void firstSequenceNumberIsOne() {
        SecurityAssociation sa = sad.install(cfg(0x1000, Direction.OUTBOUND).build());
        assertEquals(0, sa.seq());
        assertEquals(1, sa.nextSeq());
        assertEquals(2, sa.nextSeq());
        assertEquals(2, sa.seq());
    }

    @Test
    void withoutEsnTheCounterStopsInsteadOfCycling() {
        SecurityAssociation sa = sad.install(cfg(0x1000, Direction.OUTBOUND).initialSeq(0xfffffffeL).build());
        assertEquals(0xffffffffL, sa.nextSeq());
        sad.poll();
        assertEquals(List.of(), drain(sa), "2^32 - 1 itself is still a valid number");
        assertEquals(-1, sa.nextSeq());
        assertEquals(-1, sa.nextSeq(), "and it stays stopped, never wrapping to 0");
        assertEquals(0xffffffffL, sa.seq());
        sad.poll();
        sad.poll();
        assertEquals(List.of(SaEvent.SEQ_EXHAUSTED), drain(sa));
        assertEquals(-1, sa.nextSeq());
        sad.poll();
        assertEquals(List.of(), drain(sa), "told once");
    }

    @Test
    void withEsnTheCounterCarriesIntoTheHighHalf() {
        SecurityAssociation sa = sad.install(cfg(0x1000, Direction.OUTBOUND).esn(true).initialSeq(0xfffffffeL).build());
        assertEquals(0xffffffffL, sa.nextSeq());
        assertEquals(0x100000000L, sa.nextSeq());
        assertEquals(0x100000001L, sa.nextSeq());
        sad.poll();
        assertEquals(List.of(), drain(sa));
    }
}
