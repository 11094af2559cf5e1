package net.edgegw.dataplane.io.tun;

import net.edgegw.dataplane.packet.InetChecksum;
import net.edgegw.dataplane.packet.IpProtocol;
import net.edgegw.dataplane.packet.Ipv4Header;
import net.edgegw.dataplane.packet.Ipv6Header;
import net.edgegw.dataplane.packet.NetworkOrder;
import net.edgegw.dataplane.packet.TcpHeader;

/**
 * Software segmentation of a TCP super-packet read from a TUN queue with {@code TUN_F_TSO4/6} (what a NIC does
 * for TSO): one IP + TCP header and up to 64 KiB of payload become MSS-sized IP packets, each with its own
 * lengths, IPv4 identification and header checksum, sequence number and full TCP checksum. Also completes the
 * partial checksum of a single packet marked {@link VirtioNetHdr#F_NEEDS_CSUM}. Allocates nothing; returns -1
 * for malformed input instead of throwing.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9293#section-3.1">RFC 9293 §3.1</a> (TCP header, checksum),
 *     RFC 791 §3.1 (IPv4 header), RFC 8200 §8.1 (IPv6 pseudo-header)
 */
public final class GsoSplit {
    public static final int MAX_PACKET = 65535; // IPv4 total length, IPv6 payload length

    private GsoSplit() {}

    /**
     * Checks a TCP super-packet {@code b[off, off+len)} whose TCP header starts at {@code csumStart} (the virtio
     * header's csum_start, i.e. the IP header length).
     *
     * @return the length of the IP + TCP headers that every segment repeats, or -1 if malformed
     */
    public static int headerLen(byte[] b, int off, int len, int csumStart) {
        if (len < Ipv4Header.MIN_LEN || len > MAX_PACKET + Ipv6Header.LEN) {
            return -1;
        }
        int version = (b[off] & 0xff) >>> 4;
        if (version == 4) {
            if (csumStart != Ipv4Header.headerLen(b, off) || csumStart < Ipv4Header.MIN_LEN
                    || (b[off + Ipv4Header.PROTOCOL] & 0xff) != IpProtocol.TCP
                    || (NetworkOrder.u16(b, off + Ipv4Header.FLAGS_FRAG)
                        & (Ipv4Header.FLAG_MF | Ipv4Header.FRAG_OFFSET_MASK)) != 0) {
                return -1;
            }
        } else if (version == 6) {
            if (len < Ipv6Header.LEN || csumStart < Ipv6Header.LEN
                    || (csumStart == Ipv6Header.LEN && (b[off + Ipv6Header.NEXT_HEADER] & 0xff) != IpProtocol.TCP)) {
                return -1;
            }
        } else {
            return -1;
        }
        if (csumStart + TcpHeader.MIN_LEN > len) {
            return -1;
        }
        int doff = TcpHeader.headerLen(b, off + csumStart);
        if (doff < TcpHeader.MIN_LEN || csumStart + doff > len) {
            return -1;
        }
        return csumStart + doff;
    }

    /** How many segments {@code payload} bytes make at {@code gsoSize} bytes each. */
    public static int segments(int payload, int gsoSize) {
        return (payload + gsoSize - 1) / gsoSize;
    }

    /**
     * Writes segments {@code first .. first+count-1} of the checked super-packet {@code b[off, off+len)} (IP
     * header {@code ipHl} = csum_start, IP + TCP headers {@code hdrLen} from {@link #headerLen}) to {@code dst}, segment {@code first + i} at
     * {@code dstOff + i * stride}, its length in {@code lens[i]}. FIN and PSH stay on the last segment only, CWR
     * on the first only (as Linux's tcp_gso_segment does). {@code stride} must be at least hdrLen + gsoSize.
     *
     * @return segments written (fewer than {@code count} at the end of the payload)
     */
    public static int split(byte[] b, int off, int len, int ipHl, int hdrLen, int gsoSize, int first, int count,
                            byte[] dst, int dstOff, int stride, int[] lens) {
        int payload = len - hdrLen;
        int total = segments(payload, gsoSize);
        boolean v4 = (b[off] & 0xf0) == 0x40;
        int id0 = v4 ? NetworkOrder.u16(b, off + Ipv4Header.ID) : 0;
        long seq0 = NetworkOrder.u32(b, off + ipHl + TcpHeader.SEQ);
        int flags0 = b[off + ipHl + TcpHeader.FLAGS] & 0xff;
        // pseudo-header addresses (RFC 9293 §3.1, RFC 8200 §8.1), the same for every segment
        long addrSum = v4 ? InetChecksum.sum(b, off + Ipv4Header.SRC, 8, 0) : InetChecksum.sum(b, off + Ipv6Header.SRC, 32, 0);
        int n = 0;
        for (int s = first; s < total && n < count; s++, n++) {
            int pOff = s * gsoSize;
            int pLen = Math.min(gsoSize, payload - pOff);
            int d = dstOff + n * stride;
            int segLen = hdrLen + pLen;
            System.arraycopy(b, off, dst, d, hdrLen);
            System.arraycopy(b, off + hdrLen + pOff, dst, d + hdrLen, pLen);
            if (v4) {
                NetworkOrder.put16(dst, d + Ipv4Header.TOTAL_LEN, segLen);
                NetworkOrder.put16(dst, d + Ipv4Header.ID, id0 + s);
                Ipv4Header.updateChecksum(dst, d);
            } else {
                NetworkOrder.put16(dst, d + Ipv6Header.PAYLOAD_LEN, segLen - Ipv6Header.LEN);
            }
            int tcp = d + ipHl;
            NetworkOrder.put32(dst, tcp + TcpHeader.SEQ, (int) (seq0 + pOff));
            int flags = flags0;
            if (s != total - 1) {
                flags &= ~(TcpHeader.FLAG_FIN | TcpHeader.FLAG_PSH);
            }
            if (s != 0) {
                flags &= ~TcpHeader.FLAG_CWR;
            }
            dst[tcp + TcpHeader.FLAGS] = (byte) flags;
            int tcpLen = segLen - ipHl;
            NetworkOrder.put16(dst, tcp + TcpHeader.CHECKSUM, 0);
            long sum = InetChecksum.sum(dst, tcp, tcpLen, addrSum + IpProtocol.TCP + tcpLen);
            NetworkOrder.put16(dst, tcp + TcpHeader.CHECKSUM, InetChecksum.finish(sum));
            lens[n] = segLen;
        }
        return n;
    }

    /**
     * Completes a partial checksum ({@link VirtioNetHdr#F_NEEDS_CSUM}): the ones' complement sum from
     * {@code csumStart} to the end, over a checksum field that holds the pseudo-header sum, stored at
     * {@code csumStart + csumOffset} (0 becomes 0xffff, as Linux's skb_checksum_help writes it).
     *
     * @return false if the offsets lie outside the packet
     */
    public static boolean completeChecksum(byte[] b, int off, int len, int csumStart, int csumOffset) {
        if (csumStart < 0 || csumStart + csumOffset + 2 > len) {
            return false;
        }
        int c = InetChecksum.finish(InetChecksum.sum(b, off + csumStart, len - csumStart, 0));
        NetworkOrder.put16(b, off + csumStart + csumOffset, c == 0 ? 0xffff : c);
        return true;
    }
}
