package net.edgegw.dataplane.io.tun;

import net.edgegw.dataplane.packet.InetChecksum;
import net.edgegw.dataplane.packet.IpProtocol;
import net.edgegw.dataplane.packet.Ipv4Header;
import net.edgegw.dataplane.packet.Ipv6Header;
import net.edgegw.dataplane.packet.NetworkOrder;
import net.edgegw.dataplane.packet.Packet;
import net.edgegw.dataplane.packet.TcpHeader;

/**
 * Receive-side coalescing for a TUN queue with {@code IFF_VNET_HDR} (what GRO does in a NIC driver): consecutive
 * in-order TCP segments of one flow become one super-packet written with a GSO virtio header, so the kernel
 * takes one write instead of dozens. Everything else is written alone behind a zero header.
 *
 * <p>Segments merge when: same IP version, addresses, ports, IPv4 TOS/TTL/DF or IPv6 first word and hop limit,
 * same TCP header length, acknowledgment, flags + window word and option bytes (Linux tcp_gro_receive's
 * rules); the sequence number continues the previous one; no SYN, FIN, RST, URG or CWR; each carries data and
 * at most the first one's size; a shorter segment or one with PSH ends the run; at most 64 KiB in all. The merged
 * packet gets its lengths, IPv4 header checksum and a partial TCP checksum (the pseudo-header sum) with
 * {@link VirtioNetHdr#F_NEEDS_CSUM}: the kernel treats it as CHECKSUM_PARTIAL. The segments' own TCP checksums are
 * not verified here; an ESP ICV already vouched for their bytes.
 *
 * <p>One instance per worker; not thread-safe. Allocates nothing after construction.
 */
public final class GroCoalesce {
    /** Where packets go. */
    public interface Sink {
        /**
         * Takes {@code out.buf[0, len)}: a virtio header followed by one (super-)packet. Returns the buffer to build
         * the next packet in: {@code out} itself when done with it, or a fresh one of at least {@link #BUFFER_LEN}
         * bytes when {@code out} was passed on (to another thread's TUN queue) — no copy either way.
         */
        Packet write(Packet out, int len);
    }

    /** The smallest buffer the coalescer builds in: a virtio header and a 64 KiB packet. */
    public static final int BUFFER_LEN = VirtioNetHdr.LEN + GsoSplit.MAX_PACKET;

    static final int NO_MERGE = TcpHeader.FLAG_SYN | TcpHeader.FLAG_FIN | TcpHeader.FLAG_RST | TcpHeader.FLAG_URG
            | TcpHeader.FLAG_CWR;

    private final Sink sink;
    private Packet outPacket;
    private byte[] out; // outPacket.buf
    private static final int PKT = VirtioNetHdr.LEN; // the packet starts behind the header in out

    // the run being built in out (segs == 0: none)
    private int segs;
    private int len; // IP packet length so far
    private int ipHl;
    private int hdrLen;
    private int gsoSize;
    private long nextSeq;

    /** Super-packets written (two or more segments). */
    public long coalesced;
    /** Segments that went into those super-packets. */
    public long segmentsCoalesced;
    /** Packets written alone. */
    public long single;

    /** {@code first}: the buffer to build the first packet in, at least {@link #BUFFER_LEN} bytes. */
    public GroCoalesce(Sink sink, Packet first) {
        if (first.buf.length < BUFFER_LEN) {
            throw new IllegalArgumentException("buffer of " + first.buf.length + " bytes");
        }
        this.sink = sink;
        this.outPacket = first;
        this.out = first.buf;
    }

    private void emit(int len) {
        outPacket = sink.write(outPacket, len);
        out = outPacket.buf;
    }

    /** Adds the IP packet {@code b[off, off+n)}; it is copied, so the caller may reuse its buffer right away. */
    public void add(byte[] b, int off, int n) {
        int hl = tcpCandidate(b, off, n);
        if (segs != 0) {
            if (hl > 0 && mergeable(b, off, n, hl)) {
                int pay = n - hl;
                System.arraycopy(b, off + hl, out, PKT + len, pay);
                len += pay;
                segs++;
                nextSeq += pay;
                int flags = b[off + ipHl + TcpHeader.FLAGS] & 0xff;
                if ((flags & TcpHeader.FLAG_PSH) != 0) {
                    out[PKT + ipHl + TcpHeader.FLAGS] |= TcpHeader.FLAG_PSH;
                }
                if (pay < gsoSize || (flags & TcpHeader.FLAG_PSH) != 0 || len + gsoSize > GsoSplit.MAX_PACKET) {
                    flush();
                }
                return;
            }
            flush();
        }
        if (hl > 0 && n > hl && (b[off + ipHl(b, off) + TcpHeader.FLAGS] & TcpHeader.FLAG_PSH) == 0) {
            System.arraycopy(b, off, out, PKT, n);
            segs = 1;
            len = n;
            ipHl = ipHl(b, off);
            hdrLen = hl;
            gsoSize = n - hl;
            nextSeq = NetworkOrder.u32(b, off + ipHl + TcpHeader.SEQ) + gsoSize;
            return;
        }
        writeAlone(b, off, n);
    }

    /** Writes the run being built, if any; call at the end of every batch. */
    public void flush() {
        if (segs == 0) {
            return;
        }
        if (segs == 1) {
            segs = 0;
            writeAlone(out, PKT, len);
            return;
        }
        boolean v4 = (out[PKT] & 0xf0) == 0x40;
        int tcpLen = len - ipHl;
        long addrSum;
        if (v4) {
            NetworkOrder.put16(out, PKT + Ipv4Header.TOTAL_LEN, len);
            Ipv4Header.updateChecksum(out, PKT);
            addrSum = InetChecksum.sum(out, PKT + Ipv4Header.SRC, 8, 0);
        } else {
            NetworkOrder.put16(out, PKT + Ipv6Header.PAYLOAD_LEN, len - Ipv6Header.LEN);
            addrSum = InetChecksum.sum(out, PKT + Ipv6Header.SRC, 32, 0);
        }
        // CHECKSUM_PARTIAL: the field holds the folded pseudo-header sum, not complemented.
        int pseudo = ~InetChecksum.finish(addrSum + IpProtocol.TCP + tcpLen) & 0xffff;
        NetworkOrder.put16(out, PKT + ipHl + TcpHeader.CHECKSUM, pseudo);
        VirtioNetHdr.write(out, 0, VirtioNetHdr.F_NEEDS_CSUM, v4 ? VirtioNetHdr.GSO_TCPV4 : VirtioNetHdr.GSO_TCPV6,
                hdrLen, gsoSize, ipHl, TcpHeader.CHECKSUM);
        coalesced++;
        segmentsCoalesced += segs;
        segs = 0;
        emit(PKT + len);
    }

    private void writeAlone(byte[] b, int off, int n) {
        if (n > GsoSplit.MAX_PACKET) {
            return; // cannot come from one ESP packet; never written
        }
        if (b != out) {
            System.arraycopy(b, off, out, PKT, n);
        }
        VirtioNetHdr.writeNone(out, 0);
        single++;
        emit(PKT + n);
    }

    private static int ipHl(byte[] b, int off) {
        return (b[off] & 0xf0) == 0x40 ? Ipv4Header.headerLen(b, off) : Ipv6Header.LEN;
    }

    /** IP + TCP header length if {@code b[off, off+n)} is a TCP segment that may take part in a run, else 0. */
    static int tcpCandidate(byte[] b, int off, int n) {
        if (n < Ipv4Header.MIN_LEN + TcpHeader.MIN_LEN) {
            return 0;
        }
        int version = (b[off] & 0xff) >>> 4;
        int hl;
        if (version == 4) {
            hl = Ipv4Header.headerLen(b, off);
            if (hl != Ipv4Header.MIN_LEN || (b[off + Ipv4Header.PROTOCOL] & 0xff) != IpProtocol.TCP
                    || NetworkOrder.u16(b, off + Ipv4Header.TOTAL_LEN) != n
                    || (NetworkOrder.u16(b, off + Ipv4Header.FLAGS_FRAG)
                        & (Ipv4Header.FLAG_MF | Ipv4Header.FRAG_OFFSET_MASK)) != 0) {
                return 0;
            }
        } else if (version == 6) {
            hl = Ipv6Header.LEN;
            if (n < Ipv6Header.LEN + TcpHeader.MIN_LEN || (b[off + Ipv6Header.NEXT_HEADER] & 0xff) != IpProtocol.TCP
                    || NetworkOrder.u16(b, off + Ipv6Header.PAYLOAD_LEN) + Ipv6Header.LEN != n) {
                return 0;
            }
        } else {
            return 0;
        }
        int doff = TcpHeader.headerLen(b, off + hl);
        if (doff < TcpHeader.MIN_LEN || hl + doff > n || (b[off + hl + TcpHeader.FLAGS] & NO_MERGE) != 0) {
            return 0;
        }
        return hl + doff;
    }

    private boolean mergeable(byte[] b, int off, int n, int hl) {
        int pay = n - hl;
        if (hl != hdrLen || pay == 0 || pay > gsoSize || len + pay > GsoSplit.MAX_PACKET
                || (b[off] & 0xf0) != (out[PKT] & 0xf0)) {
            return false;
        }
        if ((b[off] & 0xf0) == 0x40) {
            // TOS, DF and TTL + protocol; then the addresses
            if (b[off + Ipv4Header.TOS] != out[PKT + Ipv4Header.TOS]
                    || ((b[off + Ipv4Header.FLAGS_FRAG] ^ out[PKT + Ipv4Header.FLAGS_FRAG]) & 0x40) != 0
                    || NetworkOrder.u16(b, off + Ipv4Header.TTL) != NetworkOrder.u16(out, PKT + Ipv4Header.TTL)
                    || !same(b, off + Ipv4Header.SRC, PKT + Ipv4Header.SRC, 8)) {
                return false;
            }
        } else if (NetworkOrder.i32(b, off) != NetworkOrder.i32(out, PKT)
                || b[off + Ipv6Header.HOP_LIMIT] != out[PKT + Ipv6Header.HOP_LIMIT]
                || !same(b, off + Ipv6Header.SRC, PKT + Ipv6Header.SRC, 32)) {
            return false;
        }
        int t = off + ipHl;
        int o = PKT + ipHl;
        if (NetworkOrder.u32(b, t + TcpHeader.SEQ) != (nextSeq & 0xffffffffL)) {
            return false;
        }
        // ports; acknowledgment; data offset, flags (PSH aside) and window; options
        return NetworkOrder.i32(b, t) == NetworkOrder.i32(out, o)
                && NetworkOrder.i32(b, t + TcpHeader.ACK) == NetworkOrder.i32(out, o + TcpHeader.ACK)
                && ((NetworkOrder.i32(b, t + TcpHeader.DATA_OFFSET) ^ NetworkOrder.i32(out, o + TcpHeader.DATA_OFFSET)) & ~(TcpHeader.FLAG_PSH << 16)) == 0
                && same(b, t + TcpHeader.MIN_LEN, o + TcpHeader.MIN_LEN, hdrLen - ipHl - TcpHeader.MIN_LEN);
    }

    private boolean same(byte[] b, int off, int outOff, int n) {
        return java.util.Arrays.equals(b, off, off + n, out, outOff, outOff + n);
    }
}
