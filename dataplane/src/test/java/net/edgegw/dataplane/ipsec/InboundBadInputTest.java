package net.edgegw.dataplane.ipsec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.edgegw.dataplane.packet.NetworkOrder;
import net.edgegw.dataplane.packet.Packet;
import net.edgegw.dataplane.packet.TestPackets;
import net.edgegw.dataplane.sa.Mode;
import net.edgegw.dataplane.sa.Suite;
import net.edgegw.dataplane.spd.TrafficSelector;
import net.edgegw.dataplane.stats.Drop;
import net.edgegw.dataplane.testing.SaPair;
import org.junit.jupiter.api.Test;

/**
 * Bad input on the wire: every malformed, forged, replayed or unwanted packet is dropped with its named reason and
 * counted; nothing throws; and no bad packet costs a good one (the window does not move for forgeries, so the
 * genuine packet is still accepted afterwards).
 */
class InboundBadInputTest {
    private static final String ONPREM = "10.244.1.5";
    private static final String CLOUD = "10.96.1.7";

    private static SaPair gcmPair() {
        return new SaPair(Suite.AES_GCM_16_128, Mode.TUNNEL, "192.0.2.1", "192.0.2.2", true, false);
    }

    /** One protected packet as its UDP payload (the ESP part), as the NAT-T socket would receive it. */
    private static byte[] espPayload(SaPair pair, byte[] inner) {
        Packet p = Packet.forMtu(1500).set(inner, 0, inner.length, Packet.DEFAULT_HEADROOM);
        assertSame(Outbound.Verdict.PROTECTED, pair.outbound.protect(pair.out, p));
        byte[] wire = p.toArray();
        return Arrays.copyOfRange(wire, 28, wire.length); // minus IPv4 (20) + UDP (8)
    }

    private static Inbound.Verdict receive(SaPair pair, byte[] udpPayload, int len) {
        Packet p = Packet.forMtu(1600).set(udpPayload, 0, len, Packet.DEFAULT_HEADROOM);
        return pair.inbound.fromUdp(p, null);
    }

    @Test
    void everyTruncationIsDroppedAndTheWholePacketStillArrives() {
        SaPair pair = gcmPair();
        byte[] inner = TestPackets.udp(ONPREM, CLOUD, 200);
        byte[] esp = espPayload(pair, inner);
        Set<Drop> allowed = EnumSet.of(Drop.RUNT, Drop.INTEG, Drop.BAD_ENCAP, Drop.NAT_KEEPALIVE);
        for (int len = 0; len < esp.length; len++) {
            assertSame(Inbound.Verdict.DROP, receive(pair, esp, len), "length " + len);
            assertTrue(allowed.contains(pair.inbound.lastDrop()), "length " + len + ": " + pair.inbound.lastDrop());
        }
        assertEquals(0, pair.in.replay.top(), "forged/truncated packets must not move the window");
        Packet p = Packet.forMtu(1600).set(esp, 0, esp.length, Packet.DEFAULT_HEADROOM);
        assertSame(Inbound.Verdict.FORWARD, pair.inbound.fromUdp(p, null));
        assertArrayEquals(inner, p.toArray());
        assertEquals(esp.length, pair.inbound.drops().total(), "each truncated packet counted once");
    }

    @Test
    void everySingleBitFlipIsRejectedWithoutCostingTheGenuinePacket() {
        SaPair pair = gcmPair();
        byte[] inner = TestPackets.udp(ONPREM, CLOUD, 120);
        byte[] esp = espPayload(pair, inner);
        for (int i = 0; i < esp.length; i++) {
            byte[] bad = esp.clone();
            bad[i] ^= (byte) (1 << (i % 8));
            assertSame(Inbound.Verdict.DROP, receive(pair, bad, bad.length), "flip at " + i);
            Drop d = pair.inbound.lastDrop();
            if (i < 4) {
                assertEquals(Drop.NO_SA, d, "SPI byte " + i);
            } else {
                assertTrue(d == Drop.INTEG || d == Drop.REPLAY, "byte " + i + ": " + d);
            }
        }
        assertTrue(pair.in.counters.authFailures >= esp.length - 8, "ICV failures counted on the SA");
        assertSame(Inbound.Verdict.FORWARD, receive(pair, esp, esp.length));
        assertSame(Inbound.Verdict.DROP, receive(pair, esp, esp.length), "the same packet twice");
        assertEquals(Drop.REPLAY, pair.inbound.lastDrop());
        assertEquals(1, pair.in.counters.replayDrops);
    }

    @Test
    void unknownSpiIsCounted() {
        SaPair pair = gcmPair();
        byte[] esp = espPayload(pair, TestPackets.udp(ONPREM, CLOUD, 100));
        NetworkOrder.put32(esp, 0, 0x0badf00d);
        assertSame(Inbound.Verdict.DROP, receive(pair, esp, esp.length));
        assertEquals(Drop.NO_SA, pair.inbound.lastDrop());
        assertEquals(1, pair.inbound.drops().get(Drop.NO_SA));
    }

    @Test
    void natKeepaliveIkeMarkerAndShortGarbageAreSeparated() {
        SaPair pair = gcmPair();
        assertSame(Inbound.Verdict.DROP, receive(pair, new byte[] {(byte) 0xff}, 1));
        assertEquals(Drop.NAT_KEEPALIVE, pair.inbound.lastDrop());
        assertSame(Inbound.Verdict.DROP, receive(pair, new byte[] {1, 2}, 2));
        assertEquals(Drop.BAD_ENCAP, pair.inbound.lastDrop());

        byte[] ike = new byte[4 + 28];
        ike[4] = 0x11; // first byte of an IKE SPI behind the four-zero non-ESP marker
        Packet p = Packet.forMtu(1500).set(ike, 0, ike.length, Packet.DEFAULT_HEADROOM);
        assertSame(Inbound.Verdict.IKE, pair.inbound.fromUdp(p, null));
        assertEquals(Packet.DEFAULT_HEADROOM + 4, pair.inbound.ikeOffset());
        assertEquals(28, pair.inbound.ikeLength());
    }

    /** Builds an ESP packet with an arbitrary plaintext (trailer included) under the pair's AES-GCM key. */
    private static byte[] sealRaw(SaPair pair, byte[] plaintext, int seq) throws Exception {
        byte[] key = pair.inConfig.encKey();
        byte[] nonce = new byte[12];
        System.arraycopy(key, 16, nonce, 0, 4);
        NetworkOrder.put64(nonce, 4, seq);
        byte[] head = new byte[16];
        NetworkOrder.put32(head, 0, pair.in.spi);
        NetworkOrder.put32(head, 4, seq);
        NetworkOrder.put64(head, 8, seq);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, 0, 16, "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD(head, 0, 8);
        byte[] ct = c.doFinal(plaintext);
        byte[] out = Arrays.copyOf(head, 16 + ct.length);
        System.arraycopy(ct, 0, out, 16, ct.length);
        return out;
    }

    private static byte[] withTrailer(byte[] inner, byte[] padding, int padLen, int nextHeader) {
        byte[] pt = Arrays.copyOf(inner, inner.length + padding.length + 2);
        System.arraycopy(padding, 0, pt, inner.length, padding.length);
        pt[pt.length - 2] = (byte) padLen;
        pt[pt.length - 1] = (byte) nextHeader;
        return pt;
    }

    @Test
    void authenticButMalformedPlaintextIsDroppedByReason() throws Exception {
        SaPair pair = gcmPair();
        byte[] inner = TestPackets.udp(ONPREM, CLOUD, 64);
        int seq = 1;
        // Pad length larger than the payload.
        byte[] esp = sealRaw(pair, withTrailer(inner, new byte[0], 250, 4), seq++);
        assertSame(Inbound.Verdict.DROP, receive(pair, esp, esp.length));
        assertEquals(Drop.BAD_PADDING, pair.inbound.lastDrop());
        // Padding bytes not 1, 2, 3 (RFC 4303 §2.4).
        esp = sealRaw(pair, withTrailer(inner, new byte[] {1, 9}, 2, 4), seq++);
        assertSame(Inbound.Verdict.DROP, receive(pair, esp, esp.length));
        assertEquals(Drop.BAD_PADDING, pair.inbound.lastDrop());
        // Dummy packet, next header 59 (RFC 4303 §2.6).
        esp = sealRaw(pair, withTrailer(new byte[] {0x42, 0x42}, new byte[0], 0, 59), seq++);
        assertSame(Inbound.Verdict.DROP, receive(pair, esp, esp.length));
        assertEquals(Drop.DUMMY, pair.inbound.lastDrop());
        // Next header says IPv4 but the payload is not an IPv4 packet.
        esp = sealRaw(pair, withTrailer(new byte[] {0x60, 0, 0, 0, 0, 0}, new byte[0], 0, 4), seq++);
        assertSame(Inbound.Verdict.DROP, receive(pair, esp, esp.length));
        assertEquals(Drop.BAD_IP_HEADER, pair.inbound.lastDrop());
        // A correct packet afterwards still goes through.
        esp = sealRaw(pair, withTrailer(inner, new byte[] {1, 2}, 2, 4), seq);
        assertSame(Inbound.Verdict.FORWARD, receive(pair, esp, esp.length), () -> "" + pair.inbound.lastDrop());
    }

    @Test
    void innerPacketOutsideTheSelectorsIsAPolicyDrop() {
        List<TrafficSelector> onprem = List.of(TrafficSelector.cidr("10.244.0.0/16"));
        List<TrafficSelector> cloud = List.of(TrafficSelector.cidr("10.96.0.0/16"));
        SaPair pair = new SaPair(Suite.AES_GCM_16_128, Mode.TUNNEL, "192.0.2.1", "192.0.2.2", true, false, 0, onprem, cloud);
        byte[] ok = espPayload(pair, TestPackets.udp(ONPREM, CLOUD, 100));
        byte[] spoofed = espPayload(pair, TestPackets.udp("172.16.9.9", CLOUD, 100));
        assertSame(Inbound.Verdict.FORWARD, receive(pair, ok, ok.length));
        assertSame(Inbound.Verdict.DROP, receive(pair, spoofed, spoofed.length));
        assertEquals(Drop.POLICY, pair.inbound.lastDrop());
        assertEquals(1, pair.in.counters.policyDrops);
    }

    @Test
    void outboundRefusesWhatDoesNotFit() {
        SaPair pair = gcmPair();
        byte[] big = TestPackets.udp(ONPREM, CLOUD, 65535);
        Packet p = new Packet(Packet.DEFAULT_HEADROOM + 65535 + Packet.DEFAULT_TAILROOM)
                .set(big, 0, big.length, Packet.DEFAULT_HEADROOM);
        assertSame(Outbound.Verdict.DROP, pair.outbound.protect(pair.out, p));
        assertEquals(Drop.OVERSIZE, pair.outbound.lastDrop());

        byte[] inner = TestPackets.udp(ONPREM, CLOUD, 100);
        Packet noRoom = new Packet(inner.length + 300).set(inner, 0, inner.length, 10);
        assertSame(Outbound.Verdict.DROP, pair.outbound.protect(pair.out, noRoom));
        assertEquals(Drop.NO_BUFFER, pair.outbound.lastDrop());

        Packet garbage = Packet.forMtu(1500).set(new byte[] {0x12, 0x34}, 0, 2, Packet.DEFAULT_HEADROOM);
        assertSame(Outbound.Verdict.DROP, pair.outbound.protect(pair.out, garbage));
        assertEquals(Drop.BAD_IP_HEADER, pair.outbound.lastDrop());
    }

    @Test
    void sequenceNumberNeverCycles() {
        SaPair pair = new SaPair(Suite.AES_GCM_16_128, Mode.TUNNEL, "192.0.2.1", "192.0.2.2", true, false,
                0xfffffffeL, List.of(), List.of());
        byte[] inner = TestPackets.udp(ONPREM, CLOUD, 100);
        Packet p = Packet.forMtu(1500).set(inner, 0, inner.length, Packet.DEFAULT_HEADROOM);
        assertSame(Outbound.Verdict.PROTECTED, pair.outbound.protect(pair.out, p));
        assertEquals(0xffffffffL, pair.out.seq());
        for (int i = 0; i < 3; i++) {
            p.set(inner, 0, inner.length, Packet.DEFAULT_HEADROOM);
            assertSame(Outbound.Verdict.DROP, pair.outbound.protect(pair.out, p));
            assertEquals(Drop.SEQ_CYCLED, pair.outbound.lastDrop());
        }
        assertEquals(0xffffffffL, pair.out.seq(), "stays at the limit, never wraps to 0");
    }

    @Test
    void randomGarbageNeverThrowsAndIsAlwaysCounted() {
        SaPair pair = gcmPair();
        byte[] valid = espPayload(pair, TestPackets.udp(ONPREM, CLOUD, 300));
        Random r = new Random(4303);
        int n = 100_000;
        int forwarded = 0;
        for (int i = 0; i < n; i++) {
            int len = r.nextInt(1600);
            byte[] junk = new byte[len];
            r.nextBytes(junk);
            if (len >= 8 && r.nextBoolean()) {
                System.arraycopy(valid, 0, junk, 0, 8); // right SPI and sequence number, wrong rest
            }
            Packet p = Packet.forMtu(1600).set(junk, 0, len, Packet.DEFAULT_HEADROOM);
            Inbound.Verdict v = (i & 1) == 0 ? pair.inbound.fromUdp(p, null) : pair.inbound.fromIp(p);
            if (v == Inbound.Verdict.FORWARD) {
                forwarded++;
            }
            assertNotSame(null, v);
        }
        assertEquals(0, forwarded, "random bytes never pass as a packet");
        long ike = n - pair.inbound.drops().total();
        assertTrue(ike >= 0 && ike < n / 100, "all but the rare IKE-marker datagrams counted as drops: " + ike);
        assertEquals(0, pair.in.replay.top());
    }
}
