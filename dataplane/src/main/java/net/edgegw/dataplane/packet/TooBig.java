package net.edgegw.dataplane.packet;

/**
 * Builds the ICMP error that tells a sender its packet does not fit the tunnel: ICMPv4 Destination Unreachable
 * "fragmentation needed and DF set" with the next-hop MTU (RFC 792, RFC 1191 §4), or ICMPv6 Packet Too Big
 * (RFC 4443 §3.2).
 *
 * <pre>
 *  ICMPv4 type 3 code 4:                     ICMPv6 type 2 code 0:
 *  | Type | Code |   Checksum    |           | Type | Code |   Checksum    |
 *  |    unused   | Next-Hop MTU  |           |             MTU             |
 *  | original IP header + data ... |         | as much of the invoking packet as fits 1280 |
 * </pre>
 */
public final class TooBig {
    public static final int ICMP_UNREACH = 3; // RFC 792
    public static final int ICMP_FRAG_NEEDED = 4; // RFC 792, RFC 1191 §4
    public static final int ICMPV6_PACKET_TOO_BIG = 2; // RFC 4443 §3.2
    public static final int ICMP_HEADER_LEN = 8;
    /** RFC 1812 §4.3.2.3: an ICMPv4 error carries as much of the original as fits in 576 bytes. */
    public static final int ICMPV4_MAX_ERROR = 576;
    /** RFC 4443 §2.4 (c): an ICMPv6 error must not exceed the IPv6 minimum MTU. */
    public static final int ICMPV6_MAX_ERROR = 1280;

    private TooBig() {}

    /**
     * Writes into {@code out} (at its current {@code off}) the ICMPv4 "fragmentation needed" answer to the IPv4
     * packet {@code in}, from {@code src} (4 bytes) to the packet's source.
     */
    public static void icmpv4(Packet in, Packet out, byte[] src, int mtu) {
        byte[] b = in.buf;
        int quoted = Math.min(in.len, ICMPV4_MAX_ERROR - Ipv4Header.MIN_LEN - ICMP_HEADER_LEN);
        int total = Ipv4Header.MIN_LEN + ICMP_HEADER_LEN + quoted;
        byte[] o = out.buf;
        int ip = out.off;
        byte[] dst = new byte[4]; // rare path (once per too-big packet): a small allocation is acceptable
        System.arraycopy(b, in.off + Ipv4Header.SRC, dst, 0, 4);
        Ipv4Header.write(o, ip, total, IpProtocol.ICMP, src, dst, 0, false);
        int icmp = ip + Ipv4Header.MIN_LEN;
        o[icmp] = (byte) ICMP_UNREACH;
        o[icmp + 1] = (byte) ICMP_FRAG_NEEDED;
        NetworkOrder.put16(o, icmp + 2, 0);
        NetworkOrder.put16(o, icmp + 4, 0);
        NetworkOrder.put16(o, icmp + 6, mtu);
        System.arraycopy(b, in.off, o, icmp + ICMP_HEADER_LEN, quoted);
        NetworkOrder.put16(o, icmp + 2, InetChecksum.compute(o, icmp, ICMP_HEADER_LEN + quoted));
        out.len = total;
    }

    /** Writes the ICMPv6 Packet Too Big answer to the IPv6 packet {@code in}, from {@code src} (16 bytes). */
    public static void icmpv6(Packet in, Packet out, byte[] src, int mtu) {
        byte[] b = in.buf;
        int quoted = Math.min(in.len, ICMPV6_MAX_ERROR - Ipv6Header.LEN - ICMP_HEADER_LEN);
        int payload = ICMP_HEADER_LEN + quoted;
        byte[] o = out.buf;
        int ip = out.off;
        byte[] dst = new byte[16];
        System.arraycopy(b, in.off + Ipv6Header.SRC, dst, 0, 16);
        Ipv6Header.write(o, ip, payload, IpProtocol.ICMPV6, src, dst, 0);
        int icmp = ip + Ipv6Header.LEN;
        o[icmp] = (byte) ICMPV6_PACKET_TOO_BIG;
        o[icmp + 1] = 0;
        NetworkOrder.put16(o, icmp + 2, 0);
        NetworkOrder.put32(o, icmp + 4, mtu);
        System.arraycopy(b, in.off, o, icmp + ICMP_HEADER_LEN, quoted);
        // RFC 4443 §2.3: checksum over the IPv6 pseudo-header (RFC 8200 §8.1) and the ICMPv6 message.
        long sum = InetChecksum.sum(o, ip + Ipv6Header.SRC, 32, 0);
        sum += payload;
        sum += IpProtocol.ICMPV6;
        NetworkOrder.put16(o, icmp + 2, InetChecksum.finish(InetChecksum.sum(o, icmp, payload, sum)));
        out.len = Ipv6Header.LEN + payload;
    }
}
