package net.edgegw.dataplane.packet;

/**
 * TCP MSS clamping: lowers the Maximum Segment Size option of a SYN entering the tunnel so that the peer's
 * segments fit the tunnel MTU without fragmentation. The checksum is updated incrementally (RFC 1624 §3).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9293#section-3.7.1">RFC 9293 §3.7.1</a> (MSS option)
 */
public final class MssClamp {
    static final int TCP_MIN_HEADER = TcpHeader.MIN_LEN;
    static final int TCP_FLAGS = TcpHeader.FLAGS;
    static final int TCP_CHECKSUM = TcpHeader.CHECKSUM;
    static final int FLAG_SYN = TcpHeader.FLAG_SYN;
    static final int OPT_END = 0;
    static final int OPT_NOP = 1;
    static final int OPT_MSS = 2; // kind 2, length 4

    private MssClamp() {}

    /**
     * If {@code p} is an unfragmented TCP SYN whose MSS option exceeds what an {@code mtu}-byte packet carries,
     * lowers it. Returns true if the packet changed.
     */
    public static boolean clamp(Packet p, int mtu) {
        byte[] b = p.buf;
        int off = p.off;
        int end = off + p.len;
        if (p.len < 1) {
            return false;
        }
        int version = (b[off] & 0xff) >>> 4;
        int tcp;
        int ipLen;
        if (version == 4) {
            if (p.len < Ipv4Header.MIN_LEN || (b[off + Ipv4Header.PROTOCOL] & 0xff) != IpProtocol.TCP
                    || (NetworkOrder.u16(b, off + Ipv4Header.FLAGS_FRAG) & Ipv4Header.FRAG_OFFSET_MASK) != 0) {
                return false;
            }
            ipLen = Ipv4Header.headerLen(b, off);
            tcp = off + ipLen;
        } else if (version == 6) {
            if (p.len < Ipv6Header.LEN || (b[off + Ipv6Header.NEXT_HEADER] & 0xff) != IpProtocol.TCP) {
                return false; // extension headers before TCP: left alone
            }
            ipLen = Ipv6Header.LEN;
            tcp = off + ipLen;
        } else {
            return false;
        }
        if (tcp + TCP_MIN_HEADER > end || (b[tcp + TCP_FLAGS] & FLAG_SYN) == 0) {
            return false;
        }
        int dataOff = TcpHeader.headerLen(b, tcp);
        if (dataOff < TCP_MIN_HEADER || tcp + dataOff > end) {
            return false;
        }
        int maxMss = mtu - ipLen - TCP_MIN_HEADER;
        int i = tcp + TCP_MIN_HEADER;
        int optEnd = tcp + dataOff;
        while (i < optEnd) {
            int kind = b[i] & 0xff;
            if (kind == OPT_END) {
                return false;
            }
            if (kind == OPT_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= optEnd) {
                return false;
            }
            int olen = b[i + 1] & 0xff;
            if (olen < 2 || i + olen > optEnd) {
                return false;
            }
            if (kind == OPT_MSS && olen == 4) {
                int mss = NetworkOrder.u16(b, i + 2);
                if (mss <= maxMss || ((i + 2 - tcp) & 1) != 0) { // odd offset: not a checksum word, leave it
                    return false;
                }
                NetworkOrder.put16(b, i + 2, maxMss);
                // RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m')
                int hc = NetworkOrder.u16(b, tcp + TCP_CHECKSUM);
                long sum = (~hc & 0xffff) + (~mss & 0xffff) + maxMss;
                NetworkOrder.put16(b, tcp + TCP_CHECKSUM, InetChecksum.finish(sum));
                return true;
            }
            i += olen;
        }
        return false;
    }
}
