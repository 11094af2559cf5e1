package net.edgegw.dataplane.ipsec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.edgegw.dataplane.packet.NetworkOrder;
import net.edgegw.dataplane.packet.Packet;
import net.edgegw.dataplane.packet.TestPackets;
import net.edgegw.dataplane.sa.Mode;
import net.edgegw.dataplane.sa.Suite;
import net.edgegw.dataplane.testing.SaPair;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every suite, in tunnel mode (4-in-4, 6-in-4, 4-in-6, 6-in-6) and transport mode (IPv4, IPv6), raw and
 * UDP-encapsulated, with and without ESN: what the sender protects, the receiver gets back byte for byte, and the
 * wire format is what RFC 4303 / RFC 4302 / RFC 3948 say. AEAD output is also opened with the bare JCE, an
 * implementation path independent of ours.
 */
class RoundTripTest {
    record Topo(String name, Mode mode, String outerSrc, String outerDst, String innerSrc, String innerDst) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Topo> TOPOS = List.of(
            new Topo("4in4", Mode.TUNNEL, "192.0.2.1", "192.0.2.2", "10.244.1.5", "10.96.1.7"),
            new Topo("6in4", Mode.TUNNEL, "192.0.2.1", "192.0.2.2", "fd00:244::5", "fd00:96::7"),
            new Topo("4in6", Mode.TUNNEL, "2001:db8::1", "2001:db8::2", "10.244.1.5", "10.96.1.7"),
            new Topo("6in6", Mode.TUNNEL, "2001:db8::1", "2001:db8::2", "fd00:244::5", "fd00:96::7"),
            new Topo("transport4", Mode.TRANSPORT, "192.0.2.1", "192.0.2.2", "192.0.2.1", "192.0.2.2"),
            new Topo("transport6", Mode.TRANSPORT, "2001:db8::1", "2001:db8::2", "2001:db8::1", "2001:db8::2"));

    static Stream<Arguments> cases() {
        List<Arguments> l = new ArrayList<>();
        for (Suite s : Suite.values()) {
            for (Topo t : TOPOS) {
                for (boolean udp : new boolean[] {false, true}) {
                    if (udp && s.isAh()) {
                        continue;
                    }
                    for (boolean esn : new boolean[] {false, true}) {
                        l.add(Arguments.of(s, t, udp, esn));
                    }
                }
            }
        }
        return l.stream();
    }

    @ParameterizedTest(name = "{0} {1} udp={2} esn={3}")
    @MethodSource("cases")
    void protectThenVerify(Suite suite, Topo t, boolean udp, boolean esn) throws Exception {
        SaPair pair = new SaPair(suite, t.mode(), t.outerSrc(), t.outerDst(), udp, esn);
        boolean v6 = t.outerSrc().contains(":");
        int ipHl = v6 ? 40 : 20;
        for (int size : new int[] {t.innerSrc().contains(":") ? 48 : 28, 100, 1400, 1500}) {
            byte[] inner = TestPackets.udp(t.innerSrc(), t.innerDst(), size);
            Packet p = Packet.forMtu(1500).set(inner, 0, inner.length, Packet.DEFAULT_HEADROOM);
            assertSame(Outbound.Verdict.PROTECTED, pair.outbound.protect(pair.out, p), () -> "" + pair.outbound.lastDrop());
            byte[] wire = p.toArray();

            // Outer IP header.
            assertEquals(v6 ? 6 : 4, (wire[0] & 0xff) >>> 4);
            int proto = wire[v6 ? 6 : 9] & 0xff;
            assertEquals(udp ? 17 : suite.isAh() ? 51 : 50, proto);
            assertEquals(wire.length, v6 ? NetworkOrder.u16(wire, 4) + 40 : NetworkOrder.u16(wire, 2));
            if (!v6) {
                assertEquals(0, net.edgegw.dataplane.packet.InetChecksum.compute(wire, 0, 20), "IPv4 header checksum");
            }
            int espOff = ipHl;
            if (udp) {
                assertEquals(4500, NetworkOrder.u16(wire, ipHl));
                assertEquals(4500, NetworkOrder.u16(wire, ipHl + 2));
                assertEquals(wire.length - ipHl, NetworkOrder.u16(wire, ipHl + 4));
                espOff += 8;
            }
            int spiOff = suite.isAh() ? espOff + 4 : espOff;
            assertEquals(pair.out.spi, NetworkOrder.i32(wire, spiOff));
            assertEquals((int) pair.out.seq(), NetworkOrder.i32(wire, spiOff + 4));
            if (!suite.isAh()) {
                int ctLen = wire.length - espOff - 8 - suite.ivLen - suite.icvLen;
                assertEquals(0, ctLen % suite.align, "payload + trailer aligned (RFC 4303 §2.4)");
                if (suite.isAead()) {
                    assertArrayEquals(jceOpen(pair, wire, espOff, ctLen), expectedPlaintextPrefix(inner, t),
                            "bare JCE decrypts our packet");
                }
                if (suite.kind != Suite.Kind.GMAC) {
                    byte[] tail = Arrays.copyOfRange(inner, inner.length - 16, inner.length);
                    assertEquals(-1, indexOf(wire, tail), "no cleartext payload on the wire");
                }
            }

            assertSame(Inbound.Verdict.FORWARD, pair.inbound.fromIp(p), () -> "dropped: " + pair.inbound.lastDrop());
            assertArrayEquals(inner, p.toArray(), "receiver gets the inner packet back");
        }
        assertEquals(4, pair.in.counters.packets);
        assertEquals(4, pair.out.counters.packets);
    }

    static Stream<Arguments> espInUdp() {
        List<Arguments> l = new ArrayList<>();
        for (Suite s : Suite.values()) {
            for (Topo t : TOPOS) {
                if (!s.isAh()) {
                    l.add(Arguments.of(s, t));
                }
            }
        }
        return l.stream();
    }

    /**
     * The ESP-only form a UDP socket sends (its kernel writes IP and UDP): {@link Esp#tunnelLength} bytes, the
     * same ESP packet the whole form carries after its headers, accepted by the receiver's UDP path; transport
     * mode has no such form.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("espInUdp")
    void espOnlyFormForUdpSockets(Suite suite, Topo t) {
        SaPair pair = new SaPair(suite, t.mode(), t.outerSrc(), t.outerDst(), true, false);
        byte[] inner = TestPackets.udp(t.innerSrc(), t.innerDst(), 1000);
        Packet p = Packet.forMtu(1500).set(inner, 0, inner.length, Packet.DEFAULT_HEADROOM);
        if (t.mode() == Mode.TRANSPORT) {
            assertSame(Outbound.Verdict.DROP, pair.outbound.protectEsp(pair.out, p));
            assertSame(net.edgegw.dataplane.stats.Drop.UNSUPPORTED, pair.outbound.lastDrop());
            return;
        }
        assertSame(Outbound.Verdict.PROTECTED, pair.outbound.protectEsp(pair.out, p), () -> "" + pair.outbound.lastDrop());
        assertEquals(net.edgegw.dataplane.esp.Esp.tunnelLength(pair.out, inner.length), p.len);
        assertEquals(pair.out.spi, NetworkOrder.i32(p.buf, p.off));
        assertEquals(Packet.DEFAULT_HEADROOM - pair.out.protoHeaderLen, p.off, "ESP header + IV in the headroom");
        assertSame(Inbound.Verdict.FORWARD, pair.inbound.fromUdp(p, null), () -> "dropped: " + pair.inbound.lastDrop());
        assertArrayEquals(inner, p.toArray());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] expectedPlaintextPrefix(byte[] inner, Topo t) {
        return t.mode() == Mode.TUNNEL ? inner : Arrays.copyOfRange(inner, inner[0] >>> 4 == 6 ? 40 : 20, inner.length);
    }

    /** Opens our AEAD packet with the bare JCE and returns the payload without the ESP trailer. */
    private static byte[] jceOpen(SaPair pair, byte[] wire, int espOff, int ctLen) throws Exception {
        Suite s = pair.inConfig.suite();
        byte[] key = pair.inConfig.encKey();
        byte[] nonce = new byte[12];
        System.arraycopy(key, s.cipherKeyLen, nonce, 0, 4);
        System.arraycopy(wire, espOff + 8, nonce, 4, 8);
        long seq = NetworkOrder.i64(wire, espOff + 8); // our IV is the 64-bit sequence number
        assertEquals(pair.out.seq(), seq, "IV = 64-bit sequence counter (RFC 4106 §3.1)");
        byte[] aad;
        if (pair.inConfig.esn()) {
            aad = new byte[12];
            System.arraycopy(wire, espOff, aad, 0, 4);
            NetworkOrder.put64(aad, 4, seq);
        } else {
            aad = Arrays.copyOfRange(wire, espOff, espOff + 8);
        }
        Cipher c;
        if (s.kind == Suite.Kind.AEAD_GCM) {
            c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, 0, s.cipherKeyLen, "AES"), new GCMParameterSpec(128, nonce));
        } else {
            c = Cipher.getInstance("ChaCha20-Poly1305");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, 0, 32, "ChaCha20"), new IvParameterSpec(nonce));
        }
        c.updateAAD(aad);
        byte[] pt = c.doFinal(wire, espOff + 16, ctLen + 16);
        int pad = pt[pt.length - 2] & 0xff;
        return Arrays.copyOf(pt, pt.length - 2 - pad);
    }
}
