package net.edgegw.dataplane.spd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.edgegw.dataplane.packet.IpProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Selector fields of IPv4/IPv6 packets (RFC 4301 §4.4.1.1), from hand-built headers (RFC 791, RFC 8200). */
class FlowKeyTest {

    /*
     * IPv4 header, RFC 791 §3.1:
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |Version|  IHL  |Type of Service|          Total Length         |
     * |         Identification        |Flags|      Fragment Offset    |
     * |  Time to Live |    Protocol   |         Header Checksum       |
     * |                       Source Address                          |
     * |                    Destination Address                        |
     * |                    Options                    |    Padding    |
     */
    static byte[] ipv4(int protocol, int flagsFrag, int optionWords, byte[] l4) {
        int hl = 20 + 4 * optionWords;
        byte[] b = new byte[hl + l4.length];
        b[0] = (byte) (0x40 | (hl / 4));
        b[2] = (byte) (b.length >> 8);
        b[3] = (byte) b.length;
        b[6] = (byte) (flagsFrag >> 8);
        b[7] = (byte) flagsFrag;
        b[8] = 64;
        b[9] = (byte) protocol;
        System.arraycopy(new byte[] {(byte) 192, 0, 2, 1}, 0, b, 12, 4);
        System.arraycopy(new byte[] {(byte) 198, 51, 100, (byte) 200}, 0, b, 16, 4);
        for (int i = 20; i < hl; i++) {
            b[i] = 1; // NOP options
        }
        System.arraycopy(l4, 0, b, hl, l4.length);
        return b;
    }

    /*
     * IPv6 header, RFC 8200 §3: Version(4) Traffic Class(8) Flow Label(20) | Payload Length(16) Next Header(8)
     * Hop Limit(8) | Source Address(128) | Destination Address(128). Extension headers follow, chained by their
     * first byte (Next Header); the second byte is the length in 8-octet units not counting the first 8.
     */
    static byte[] ipv6(int nextHeader, byte[]... rest) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] r : rest) {
            o.writeBytes(r);
        }
        byte[] payload = o.toByteArray();
        byte[] b = new byte[40 + payload.length];
        b[0] = 0x60;
        b[4] = (byte) (payload.length >> 8);
        b[5] = (byte) payload.length;
        b[6] = (byte) nextHeader;
        b[7] = 64;
        b[8] = 0x20;
        b[9] = 0x01;
        b[10] = 0x0d;
        b[11] = (byte) 0xb8;
        b[23] = 1; // src 2001:db8::1
        b[24] = 0x20;
        b[25] = 0x01;
        b[26] = 0x0d;
        b[27] = (byte) 0xb8;
        b[30] = (byte) 0xab; // dst 2001:db8:0:ab00::2
        b[39] = 2;
        System.arraycopy(payload, 0, b, 40, payload.length);
        return b;
    }

    /** An extension header of {@code 8 * (lenUnits + 1)} bytes (hop-by-hop, routing, destination options). */
    static byte[] ext(int nextHeader, int lenUnits) {
        byte[] e = new byte[8 * (lenUnits + 1)];
        e[0] = (byte) nextHeader;
        e[1] = (byte) lenUnits;
        e[2] = 1; // PadN
        e[3] = (byte) (e.length - 4);
        return e;
    }

    /** Fragment header, RFC 8200 §4.5: Next Header, reserved, Fragment Offset(13) Res(2) M(1), Identification. */
    static byte[] fragment(int nextHeader, int offsetUnits, boolean more) {
        int v = (offsetUnits << 3) | (more ? 1 : 0);
        return new byte[] {(byte) nextHeader, 0, (byte) (v >> 8), (byte) v, 0x12, 0x34, 0x56, 0x78};
    }

    static byte[] udp(int src, int dst) {
        return new byte[] {(byte) (src >> 8), (byte) src, (byte) (dst >> 8), (byte) dst, 0, 8, 0, 0};
    }

    static byte[] tcp(int src, int dst) {
        byte[] t = new byte[20];
        t[0] = (byte) (src >> 8);
        t[1] = (byte) src;
        t[2] = (byte) (dst >> 8);
        t[3] = (byte) dst;
        t[12] = 0x50;
        return t;
    }

    static byte[] icmp(int type, int code) {
        return new byte[] {(byte) type, (byte) code, 0, 0, 0, 1, 0, 1};
    }

    private static FlowKey parsed(byte[] p) {
        FlowKey k = new FlowKey();
        assertTrue(k.parse(p, 0, p.length), "parse");
        return k;
    }

    // ---- IPv4 ----------------------------------------------------------------------------------------------------

    @Test
    void ipv4Tcp() {
        FlowKey k = parsed(ipv4(IpProtocol.TCP, 0x4000, 0, tcp(51234, 443)));
        assertEquals(4, k.family);
        assertEquals(0, k.srcHi);
        assertEquals(0xc0000201L, k.srcLo);
        assertEquals(0, k.dstHi);
        assertEquals(0xc63364c8L, k.dstLo, "high addresses are unsigned");
        assertEquals(IpProtocol.TCP, k.protocol);
        assertEquals(51234, k.srcPort);
        assertEquals(443, k.dstPort);
        assertTrue(k.portsKnown);
    }

    @Test
    void ipv4UdpAfterOptions() {
        FlowKey k = parsed(ipv4(IpProtocol.UDP, 0, 3, udp(500, 4500)));
        assertEquals(IpProtocol.UDP, k.protocol);
        assertEquals(500, k.srcPort);
        assertEquals(4500, k.dstPort);
        assertTrue(k.portsKnown);
    }

    @Test
    void ipv4IcmpTypeAndCodeInThePorts() {
        FlowKey k = parsed(ipv4(IpProtocol.ICMP, 0, 0, icmp(3, 4))); // destination unreachable, frag needed
        assertEquals(IpProtocol.ICMP, k.protocol);
        assertEquals(0x0304, k.srcPort);
        assertEquals(0x0304, k.dstPort);
        assertTrue(k.portsKnown);
    }

    @Test
    void ipv4FirstFragmentHasPortsLaterFragmentsDoNot() {
        FlowKey first = parsed(ipv4(IpProtocol.UDP, 0x2000, 0, udp(1, 2))); // MF, offset 0
        assertTrue(first.portsKnown);
        assertEquals(2, first.dstPort);
        // Offset 185 (1480 bytes): the bytes where ports would be are payload.
        FlowKey later = parsed(ipv4(IpProtocol.UDP, 0x2000 | 185, 0, udp(1, 2)));
        assertEquals(IpProtocol.UDP, later.protocol);
        assertFalse(later.portsKnown);
        assertEquals(0, later.srcPort);
        assertEquals(0, later.dstPort);
        FlowKey last = parsed(ipv4(IpProtocol.TCP, 1, 0, tcp(1, 2))); // no MF, offset 1
        assertFalse(last.portsKnown);
    }

    @Test
    void ipv4OtherProtocolsHaveNoPorts() {
        FlowKey k = parsed(ipv4(IpProtocol.ESP, 0, 0, new byte[16]));
        assertEquals(IpProtocol.ESP, k.protocol);
        assertTrue(k.portsKnown, "nothing opaque about a protocol without ports");
        assertEquals(0, k.srcPort);
    }

    @Test
    void ipv4Truncated() {
        FlowKey k = new FlowKey();
        byte[] p = ipv4(IpProtocol.UDP, 0, 0, udp(1, 2));
        assertFalse(k.parse(p, 0, 19), "shorter than the minimum header");
        assertFalse(k.parse(p, 0, 0));
        assertTrue(k.parse(p, 0, 23), "3 bytes of UDP");
        assertFalse(k.portsKnown);
        assertTrue(k.parse(p, 0, 24), "exactly the two ports");
        assertTrue(k.portsKnown);
        assertEquals(2, k.dstPort);
        byte[] icmp = ipv4(IpProtocol.ICMP, 0, 0, icmp(8, 0));
        assertTrue(k.parse(icmp, 0, 21));
        assertFalse(k.portsKnown, "one byte of ICMP");

        byte[] opts = ipv4(IpProtocol.UDP, 0, 10, udp(1, 2)); // IHL 15 = 60 bytes
        assertFalse(k.parse(opts, 0, 59), "IHL beyond the data");
        byte[] badIhl = p.clone();
        badIhl[0] = 0x44; // IHL 4 = 16 bytes < 20
        assertFalse(k.parse(badIhl, 0, badIhl.length));
    }

    @Test
    void parsesAtAnOffsetAndIgnoresBytesAfterLen() {
        byte[] p = ipv4(IpProtocol.TCP, 0, 0, tcp(1111, 2222));
        byte[] buf = new byte[p.length + 100];
        Arrays.fill(buf, (byte) 0x6f);
        System.arraycopy(p, 0, buf, 37, p.length);
        FlowKey k = new FlowKey();
        assertTrue(k.parse(buf, 37, p.length));
        assertEquals(0xc0000201L, k.srcLo);
        assertEquals(2222, k.dstPort);
        assertTrue(k.parse(buf, 37, 22));
        assertFalse(k.portsKnown, "the ports lie beyond len even though the array goes on");
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x15, 0x55, 0x7f, 0xf0})
    void otherIpVersionsAreRefused(int firstByte) {
        byte[] p = ipv4(IpProtocol.UDP, 0, 0, udp(1, 2));
        p[0] = (byte) firstByte;
        assertFalse(new FlowKey().parse(p, 0, p.length));
    }

    // ---- IPv6 ----------------------------------------------------------------------------------------------------

    @Test
    void ipv6Udp() {
        FlowKey k = parsed(ipv6(IpProtocol.UDP, udp(4500, 4501)));
        assertEquals(6, k.family);
        assertEquals(0x20010db800000000L, k.srcHi);
        assertEquals(1, k.srcLo);
        assertEquals(0x20010db80000ab00L, k.dstHi);
        assertEquals(2, k.dstLo);
        assertEquals(IpProtocol.UDP, k.protocol);
        assertEquals(4500, k.srcPort);
        assertEquals(4501, k.dstPort);
        assertTrue(k.portsKnown);
    }

    @Test
    void ipv6TcpAndIcmpv6() {
        FlowKey t = parsed(ipv6(IpProtocol.TCP, tcp(22, 60000)));
        assertEquals(22, t.srcPort);
        assertEquals(60000, t.dstPort);
        FlowKey i = parsed(ipv6(IpProtocol.ICMPV6, icmp(128, 0))); // echo request
        assertEquals(IpProtocol.ICMPV6, i.protocol);
        assertEquals(0x8000, i.srcPort);
        assertEquals(0x8000, i.dstPort);
    }

    @Test
    void ipv6HopByHopBeforeUdp() {
        FlowKey k = parsed(ipv6(IpProtocol.HOPOPT, ext(IpProtocol.UDP, 0), udp(53, 5353)));
        assertEquals(IpProtocol.UDP, k.protocol, "the upper layer, not the extension header");
        assertEquals(53, k.srcPort);
        assertEquals(5353, k.dstPort);
        assertTrue(k.portsKnown);
        FlowKey longer = parsed(ipv6(IpProtocol.HOPOPT, ext(IpProtocol.UDP, 2), udp(54, 5354))); // 24-byte header
        assertEquals(54, longer.srcPort);
        assertEquals(5354, longer.dstPort);
    }

    @Test
    void ipv6ChainOfExtensionHeaders() {
        FlowKey k = parsed(ipv6(IpProtocol.HOPOPT, ext(IpProtocol.ROUTING, 0), ext(IpProtocol.DEST_OPTS, 1),
                ext(IpProtocol.TCP, 0), tcp(8080, 80)));
        assertEquals(IpProtocol.TCP, k.protocol);
        assertEquals(8080, k.srcPort);
        assertEquals(80, k.dstPort);
    }

    @Test
    void ipv6Fragments() {
        FlowKey first = parsed(ipv6(IpProtocol.FRAGMENT, fragment(IpProtocol.UDP, 0, true), udp(7, 9)));
        assertEquals(IpProtocol.UDP, first.protocol);
        assertTrue(first.portsKnown);
        assertEquals(9, first.dstPort);
        FlowKey later = parsed(ipv6(IpProtocol.HOPOPT, ext(IpProtocol.FRAGMENT, 0),
                fragment(IpProtocol.UDP, 181, true), udp(7, 9)));
        assertEquals(IpProtocol.UDP, later.protocol);
        assertFalse(later.portsKnown);
        assertEquals(0, later.dstPort);
        FlowKey lastOne = parsed(ipv6(IpProtocol.FRAGMENT, fragment(IpProtocol.TCP, 1, false), tcp(7, 9)));
        assertFalse(lastOne.portsKnown);
    }

    @Test
    void ipv6TruncatedHeaders() {
        FlowKey k = new FlowKey();
        byte[] p = ipv6(IpProtocol.UDP, udp(1, 2));
        assertFalse(k.parse(p, 0, 39), "shorter than the fixed header");
        assertTrue(k.parse(p, 0, 43));
        assertFalse(k.portsKnown, "3 bytes of UDP");
        // Extension header length pointing past the end.
        byte[] longExt = ipv6(IpProtocol.HOPOPT, ext(IpProtocol.UDP, 0), udp(1, 2));
        longExt[41] = 30;
        assertFalse(k.parse(longExt, 0, longExt.length) && k.portsKnown);
    }

    /**
     * The upper-layer header cannot be found when the extension header chain stops short (a packet cut inside
     * it): RFC 4301 §4.4.1.1 calls such ports OPAQUE, so a port-specific selector must not see known ports.
     */
    @Test
    void ipv6TruncatedExtensionChainLeavesPortsOpaque() {
        FlowKey k = new FlowKey();
        byte[] bare = ipv6(IpProtocol.HOPOPT);
        assertFalse(k.parse(bare, 0, bare.length) && k.portsKnown, "hop-by-hop announced, nothing follows");
        byte[] oneByte = ipv6(IpProtocol.DEST_OPTS, new byte[] {(byte) IpProtocol.UDP});
        assertFalse(k.parse(oneByte, 0, oneByte.length) && k.portsKnown, "destination options cut after 1 byte");
        byte[] frag = ipv6(IpProtocol.FRAGMENT, Arrays.copyOf(fragment(IpProtocol.UDP, 0, true), 6));
        assertFalse(k.parse(frag, 0, frag.length) && k.portsKnown, "fragment header cut after 6 bytes");
        // A selector for ports 0-1023 of any protocol must not match such a packet.
        k.parse(bare, 0, bare.length);
        assertFalse(TrafficSelector.cidr("2001:db8::/32", 0, 0, 1023).matches(k, false));
    }

    @Test
    void ipv6OverlongExtensionChainLeavesPortsOpaque() {
        byte[][] chain = new byte[11][];
        for (int i = 0; i < 10; i++) {
            chain[i] = ext(IpProtocol.DEST_OPTS, 0);
        }
        chain[9] = ext(IpProtocol.UDP, 0);
        chain[10] = udp(1, 2);
        FlowKey k = new FlowKey();
        byte[] p = ipv6(IpProtocol.DEST_OPTS, chain);
        boolean ok = k.parse(p, 0, p.length);
        // Either the whole chain is followed (UDP, ports 1 -> 2) or the ports are left opaque.
        if (ok && k.portsKnown) {
            assertEquals(IpProtocol.UDP, k.protocol);
            assertEquals(2, k.dstPort);
        }
    }

    @Test
    void reusedKeyForgetsThePreviousPacket() {
        FlowKey k = parsed(ipv6(IpProtocol.UDP, udp(1111, 2222)));
        assertTrue(k.parse(ipv4(IpProtocol.UDP, 0x0010, 0, udp(1, 2)), 0, 28));
        assertEquals(4, k.family);
        assertEquals(0, k.srcHi, "IPv4 keeps hi at zero");
        assertEquals(0, k.dstHi);
        assertFalse(k.portsKnown);
        assertEquals(0, k.srcPort);
        assertEquals(0, k.dstPort);
    }

    private static String fields(FlowKey k) {
        return k.family + " " + k.srcHi + " " + k.srcLo + " " + k.dstHi + " " + k.dstLo + " " + k.protocol + " "
                + k.srcPort + " " + k.dstPort + " " + k.portsKnown;
    }

    // ---- garbage -------------------------------------------------------------------------------------------------

    @Test
    void garbageNeverThrows() {
        SplittableRandom rnd = new SplittableRandom(8200);
        FlowKey k = new FlowKey();
        byte[] buf = new byte[100 + 16];
        int parsed = 0;
        int withPorts = 0;
        for (int len = 0; len <= 100; len++) {
            for (int round = 0; round < 1500; round++) {
                rnd.nextBytes(buf);
                int off = round % 16;
                switch (round % 4) {
                    case 0 -> buf[off] = (byte) (0x40 | (buf[off] & 0x0f)); // IPv4, random IHL
                    case 1 -> buf[off] = (byte) (0x60 | (buf[off] & 0x0f));
                    case 2 -> {
                        buf[off] = 0x60; // IPv6 with an extension header chain of random lengths
                        int[] ext = {IpProtocol.HOPOPT, IpProtocol.ROUTING, IpProtocol.DEST_OPTS, IpProtocol.FRAGMENT};
                        if (len > 6) {
                            buf[off + 6] = (byte) ext[rnd.nextInt(4)];
                        }
                        for (int i = off + 40; i < off + len; i += 8) {
                            buf[i] = (byte) ext[rnd.nextInt(4)];
                            if (i + 1 < buf.length) {
                                buf[i + 1] = (byte) rnd.nextInt(3);
                            }
                        }
                    }
                    default -> { }
                }
                byte[] exact = Arrays.copyOfRange(buf, off, off + len);
                try {
                    boolean a = k.parse(exact, 0, len);
                    String first = a ? fields(k) : "";
                    boolean b = k.parse(buf, off, len);
                    if (a != b || (b && !first.equals(fields(k)))) {
                        fail("bytes outside [off, off+len) changed the result: " + Arrays.toString(exact));
                    }
                    if (b) {
                        parsed++;
                        withPorts += k.portsKnown ? 1 : 0;
                        if (k.family != 4 && k.family != 6) {
                            fail("family " + k.family);
                        }
                        if (!k.portsKnown && (k.srcPort != 0 || k.dstPort != 0)) {
                            fail("opaque ports left non-zero");
                        }
                    }
                } catch (RuntimeException e) {
                    throw new AssertionError("parse threw on " + Arrays.toString(exact), e);
                }
            }
        }
        assertTrue(parsed > 10_000, "the generator must produce parseable headers too: " + parsed);
        assertTrue(withPorts > 1_000, "and some with ports: " + withPorts);
    }
}
