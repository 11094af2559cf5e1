package net.edgegw.dataplane.packet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Builds complete inner IP packets for tests: IPv4/IPv6 with an ICMP echo request or a UDP datagram, every
 * checksum filled in. Deliberately independent of the main code (own checksum, own header layout), so a test
 * that feeds these to the data plane and to an external decoder compares against a second implementation.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc791">RFC 791</a> (IPv4),
 *      <a href="https://www.rfc-editor.org/rfc/rfc8200">RFC 8200</a> (IPv6),
 *      <a href="https://www.rfc-editor.org/rfc/rfc768">RFC 768</a> (UDP),
 *      <a href="https://www.rfc-editor.org/rfc/rfc792">RFC 792</a> (ICMP),
 *      <a href="https://www.rfc-editor.org/rfc/rfc4443">RFC 4443</a> (ICMPv6)
 */
public final class TestPackets {
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_ICMPV6 = 58;
    static final int IPV4_HEADER_LEN = 20; // RFC 791 §3.1, no options
    static final int IPV6_HEADER_LEN = 40; // RFC 8200 §3
    static final int UDP_HEADER_LEN = 8; // RFC 768
    static final int ICMP_ECHO_HEADER_LEN = 8; // RFC 792 / RFC 4443 §4.1: type, code, checksum, id, seq

    private TestPackets() {}

    /** An address literal (never a name: no resolver is consulted). */
    public static byte[] address(String literal) {
        if (!literal.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an address literal: " + literal);
        }
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** ICMP echo request (IPv4) or ICMPv6 echo request (IPv6), by the family of the addresses. */
    public static byte[] echoRequest(String src, String dst, int id, int seq, byte[] data) {
        byte[] s = address(src);
        byte[] d = address(dst);
        boolean v6 = s.length == 16;
        ByteBuffer l4 = ByteBuffer.allocate(ICMP_ECHO_HEADER_LEN + data.length);
        l4.put((byte) (v6 ? 128 : 8)).put((byte) 0).putShort((short) 0).putShort((short) id).putShort((short) seq).put(data);
        byte[] msg = l4.array();
        // ICMPv4 checksums the message alone; ICMPv6 includes the pseudo-header (RFC 4443 §2.3).
        int sum = v6 ? checksum(pseudoHeader(s, d, PROTO_ICMPV6, msg.length), msg) : checksum(new byte[0], msg);
        msg[2] = (byte) (sum >>> 8);
        msg[3] = (byte) sum;
        return v6 ? ipv6(s, d, PROTO_ICMPV6, msg) : ipv4(s, d, PROTO_ICMP, msg);
    }

    /** A UDP datagram with its checksum (mandatory over IPv6, RFC 8200 §8.1; we fill it for IPv4 too). */
    public static byte[] udp(String src, String dst, int srcPort, int dstPort, byte[] data) {
        byte[] s = address(src);
        byte[] d = address(dst);
        int len = UDP_HEADER_LEN + data.length;
        ByteBuffer l4 = ByteBuffer.allocate(len);
        l4.putShort((short) srcPort).putShort((short) dstPort).putShort((short) len).putShort((short) 0).put(data);
        byte[] msg = l4.array();
        int sum = checksum(pseudoHeader(s, d, PROTO_UDP, len), msg);
        if (sum == 0) {
            sum = 0xffff; // RFC 768: a computed zero is sent as all ones
        }
        msg[6] = (byte) (sum >>> 8);
        msg[7] = (byte) sum;
        return s.length == 16 ? ipv6(s, d, PROTO_UDP, msg) : ipv4(s, d, PROTO_UDP, msg);
    }

    /**
     * A UDP datagram (ports 40000 -> 5201) of exactly {@code size} bytes in all, IP header included, whose payload
     * starts with a readable tag naming the addresses; the smallest size is an empty datagram.
     */
    public static byte[] udp(String src, String dst, int size) {
        boolean v6 = src.indexOf(':') >= 0;
        int payloadLen = Math.max(0, size - (v6 ? IPV6_HEADER_LEN : IPV4_HEADER_LEN) - UDP_HEADER_LEN);
        byte[] payload = new byte[payloadLen];
        byte[] tag = ("edgegw test " + src + " -> " + dst + " ").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < payloadLen; i++) {
            payload[i] = i < tag.length ? tag[i] : (byte) i;
        }
        return udp(src, dst, 40000, 5201, payload);
    }

    /**
     * A TCP segment over IPv4 or IPv6 with its full checksum: {@code options} (a multiple of 4 bytes) after the
     * 20-byte header, window 512, DF set for IPv4.
     */
    public static byte[] tcp(String src, String dst, int srcPort, int dstPort, long seq, long ack, int flags,
                             byte[] options, byte[] data) {
        byte[] s = address(src);
        byte[] d = address(dst);
        int hl = 20 + options.length;
        ByteBuffer t = ByteBuffer.allocate(hl + data.length);
        t.putShort((short) srcPort).putShort((short) dstPort).putInt((int) seq).putInt((int) ack);
        t.put((byte) ((hl / 4) << 4)).put((byte) flags).putShort((short) 512).putShort((short) 0).putShort((short) 0);
        t.put(options).put(data);
        byte[] seg = t.array();
        int sum = checksum(pseudoHeader(s, d, PROTO_TCP, seg.length), seg);
        seg[16] = (byte) (sum >>> 8);
        seg[17] = (byte) sum;
        return s.length == 4 ? ipv4(s, d, PROTO_TCP, seg) : ipv6(s, d, PROTO_TCP, seg);
    }

    /** True if the TCP checksum of the IP packet {@code p} (no IPv6 extension headers) verifies. */
    public static boolean tcpChecksumOk(byte[] p) {
        int hl = (p[0] & 0xf0) == 0x40 ? (p[0] & 0x0f) * 4 : IPV6_HEADER_LEN;
        return checksum(tcpPseudoHeader(p), java.util.Arrays.copyOfRange(p, hl, p.length)) == 0;
    }

    private static byte[] tcpPseudoHeader(byte[] p) {
        boolean v4 = (p[0] & 0xf0) == 0x40;
        int hl = v4 ? (p[0] & 0x0f) * 4 : IPV6_HEADER_LEN;
        int n = v4 ? 4 : 16;
        int at = v4 ? 12 : 8;
        byte[] s = java.util.Arrays.copyOfRange(p, at, at + n);
        byte[] d = java.util.Arrays.copyOfRange(p, at + n, at + 2 * n);
        return pseudoHeader(s, d, PROTO_TCP, p.length - hl);
    }

    /** The folded, uncomplemented pseudo-header sum a CHECKSUM_PARTIAL TCP segment carries in its checksum field. */
    public static int tcpPseudoSum(byte[] p) {
        return ~checksum(tcpPseudoHeader(p), new byte[0]) & 0xffff;
    }

    /** True if the IPv4 header checksum of {@code p} verifies. */
    public static boolean ipv4ChecksumOk(byte[] p) {
        return checksum(new byte[0], java.util.Arrays.copyOf(p, (p[0] & 0x0f) * 4)) == 0;
    }

    private static byte[] ipv4(byte[] src, byte[] dst, int protocol, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(IPV4_HEADER_LEN + payload.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (IPV4_HEADER_LEN + payload.length));
        b.putShort((short) 0x1234).putShort((short) 0x4000); // identification, DF
        b.put((byte) 64).put((byte) protocol).putShort((short) 0).put(src).put(dst).put(payload);
        byte[] p = b.array();
        int sum = checksum(new byte[0], java.util.Arrays.copyOf(p, IPV4_HEADER_LEN));
        p[10] = (byte) (sum >>> 8);
        p[11] = (byte) sum;
        return p;
    }

    private static byte[] ipv6(byte[] src, byte[] dst, int nextHeader, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(IPV6_HEADER_LEN + payload.length);
        b.putInt(0x6000_0000).putShort((short) payload.length).put((byte) nextHeader).put((byte) 64);
        b.put(src).put(dst).put(payload);
        return b.array();
    }

    private static byte[] pseudoHeader(byte[] src, byte[] dst, int protocol, int l4Len) {
        ByteBuffer b = ByteBuffer.allocate(src.length * 2 + (src.length == 16 ? 8 : 4));
        b.put(src).put(dst);
        if (src.length == 16) {
            b.putInt(l4Len).putInt(protocol); // RFC 8200 §8.1
        } else {
            b.put((byte) 0).put((byte) protocol).putShort((short) l4Len); // RFC 768
        }
        return b.array();
    }

    /** RFC 1071 checksum over {@code a || b} ({@code a} has even length). */
    private static int checksum(byte[] a, byte[] b) {
        long sum = 0;
        byte[] all = new byte[a.length + b.length + 1];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        for (int i = 0; i + 1 < a.length + b.length + 1; i += 2) {
            sum += ((all[i] & 0xff) << 8) | (all[i + 1] & 0xff);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
