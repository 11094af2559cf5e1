package net.edgegw.dataplane.ah;

import net.edgegw.dataplane.packet.IpHeader;
import net.edgegw.dataplane.packet.IpProtocol;
import net.edgegw.dataplane.packet.Ipv4Header;
import net.edgegw.dataplane.packet.Ipv6Header;
import net.edgegw.dataplane.packet.NetworkOrder;
import net.edgegw.dataplane.packet.Packet;
import net.edgegw.dataplane.sa.Mode;
import net.edgegw.dataplane.sa.SaConfig;
import net.edgegw.dataplane.sa.SecurityAssociation;
import net.edgegw.dataplane.stats.Drop;

/**
 * AH packet processing (integrity only), tunnel and transport mode, IPv4 and IPv6. The ICV covers the IP
 * header with its mutable fields zeroed, the AH header with a zero ICV, and the payload (RFC 4302 §3.3.3).
 *
 * <pre>
 *  0                   1                   2                   3
 * | Next Header   |  Payload Len  |          RESERVED             |
 * |                 Security Parameters Index (SPI)               |
 * |                    Sequence Number Field                      |
 * |                Integrity Check Value-ICV (variable)           |
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4302">RFC 4302</a>
 */
public final class Ah {
    public static final int FIXED_LEN = 12; // RFC 4302 §2: next header .. sequence number

    private Ah() {}

    /** Protects the IP packet in {@code p}; on success {@code p} holds the outer packet. Null or a drop reason. */
    public static Drop encapsulate(SecurityAssociation sa, Packet p) {
        SaConfig c = sa.config;
        byte[] b = p.buf;
        int off = p.off;
        int len = p.len;
        if (len < Ipv4Header.MIN_LEN) {
            return Drop.RUNT;
        }
        int version = (b[off] & 0xff) >>> 4;
        if (version != 4 && version != 6) {
            return Drop.BAD_IP_HEADER;
        }
        int innerHl = version == 4 ? Ipv4Header.headerLen(b, off) : Ipv6Header.LEN;
        if (innerHl > len || innerHl < Ipv4Header.MIN_LEN) {
            return Drop.BAD_IP_HEADER;
        }
        boolean tunnel = c.mode() == Mode.TUNNEL;
        int tos = version == 4 ? b[off + Ipv4Header.TOS] & 0xff : Ipv6Header.trafficClass(b, off);
        int nextHeader;
        int payOff;
        int outerHl;
        if (tunnel) {
            nextHeader = version == 4 ? IpProtocol.IPV4 : IpProtocol.IPV6;
            payOff = off;
            outerHl = sa.outerIpLen;
        } else {
            if ((version == 6) != c.ipv6Outer()) {
                return Drop.POLICY;
            }
            if (version == 4 && innerHl != Ipv4Header.MIN_LEN) {
                return Drop.UNSUPPORTED; // IPv4 options: their mutability would need per-option handling
            }
            nextHeader = b[off + (version == 4 ? Ipv4Header.PROTOCOL : Ipv6Header.NEXT_HEADER)] & 0xff;
            if (version == 6 && (nextHeader == IpProtocol.HOPOPT || nextHeader == IpProtocol.ROUTING
                    || nextHeader == IpProtocol.DEST_OPTS || nextHeader == IpProtocol.FRAGMENT)) {
                return Drop.UNSUPPORTED;
            }
            payOff = off + innerHl;
            outerHl = innerHl;
        }
        int ahLen = sa.protoHeaderLen;
        int ahOff = payOff - ahLen;
        int ipOff = ahOff - outerHl;
        int end = off + len;
        if (ipOff < 0) {
            return Drop.NO_BUFFER;
        }
        int total = end - ipOff;
        if (total > 65535 + (c.ipv6Outer() ? Ipv6Header.LEN : 0)) {
            return Drop.OVERSIZE;
        }
        if (!sa.usable() || !sa.account(len)) {
            return Drop.SA_EXPIRED;
        }
        long seq = sa.nextSeq();
        if (seq < 0) {
            return Drop.SEQ_CYCLED;
        }
        if (tunnel) {
            if (c.ipv6Outer()) {
                Ipv6Header.write(b, ipOff, total - Ipv6Header.LEN, IpProtocol.AH, c.src(), c.dst(), tos);
            } else {
                Ipv4Header.write(b, ipOff, total, IpProtocol.AH, c.src(), c.dst(), tos, false);
            }
        } else {
            System.arraycopy(b, off, b, ipOff, innerHl);
            IpHeader.relabel(b, ipOff, IpProtocol.AH, total);
        }
        b[ahOff] = (byte) nextHeader;
        b[ahOff + 1] = (byte) (ahLen / 4 - 2); // RFC 4302 §2.2: length in 32-bit words minus 2
        NetworkOrder.put16(b, ahOff + 2, 0);
        NetworkOrder.put32(b, ahOff + 4, sa.spi);
        NetworkOrder.put32(b, ahOff + 8, (int) seq);
        java.util.Arrays.fill(b, ahOff + FIXED_LEN, payOff, (byte) 0); // ICV (zero while computing) + padding

        // ICV over the packet with mutable fields zeroed; they are put back afterwards.
        long saved = zeroMutable(b, ipOff, c.ipv6Outer());
        sa.ah.compute(b, ipOff, total, seq);
        restoreMutable(b, ipOff, c.ipv6Outer(), saved);
        sa.ah.writeIcv(b, ahOff + FIXED_LEN);
        if (!c.ipv6Outer()) {
            Ipv4Header.updateChecksum(b, ipOff);
        }
        p.off = ipOff;
        p.len = total;
        return null;
    }

    /**
     * Verifies the AH packet whose IP header is at {@code p.off} and AH header at {@code ahOff}, for inbound
     * SA {@code sa}; on success {@code p} holds the inner packet.
     */
    public static Drop decapsulate(SecurityAssociation sa, Packet p, int ahOff) {
        byte[] b = p.buf;
        int ipOff = p.off;
        int end = p.off + p.len;
        boolean v6 = (b[ipOff] & 0xf0) == 0x60;
        if (!v6 && Ipv4Header.headerLen(b, ipOff) != Ipv4Header.MIN_LEN) {
            return Drop.UNSUPPORTED;
        }
        if (ahOff + FIXED_LEN > end) {
            return Drop.RUNT;
        }
        int ahLen = ((b[ahOff + 1] & 0xff) + 2) * 4;
        int icvLen = sa.ah.icvLen();
        if (ahLen != sa.ah.headerLen(v6) || ahOff + ahLen > end) {
            return ahOff + ahLen > end ? Drop.RUNT : Drop.BAD_IP_HEADER;
        }
        if (!sa.usable()) {
            return Drop.SA_EXPIRED;
        }
        long seq = sa.replay.check(NetworkOrder.i32(b, ahOff + 8));
        if (seq < 0) {
            sa.counters.replayDrops++;
            return Drop.REPLAY;
        }
        int nextHeader = b[ahOff] & 0xff;
        int icvOff = ahOff + FIXED_LEN;
        // The ICV is computed with the ICV field zeroed: keep the received one aside first.
        long saved = zeroMutable(b, ipOff, v6);
        sa.ah.keepReceived(b, icvOff);
        java.util.Arrays.fill(b, icvOff, icvOff + icvLen, (byte) 0);
        sa.ah.compute(b, ipOff, end - ipOff, seq);
        restoreMutable(b, ipOff, v6, saved);
        if (!sa.ah.receivedMatches()) {
            sa.counters.authFailures++;
            return Drop.INTEG;
        }
        if (!sa.replay.commit(seq)) {
            sa.counters.replayDrops++;
            return Drop.REPLAY;
        }
        int payOff = ahOff + ahLen;
        int payLen = end - payOff;
        if (!sa.account(payLen)) {
            sa.counters.otherDrops++;
            return Drop.SA_EXPIRED;
        }
        SaConfig c = sa.config;
        if (c.mode() == Mode.TUNNEL) {
            int v = payLen > 0 ? (b[payOff] & 0xff) >>> 4 : 0;
            if (!((nextHeader == IpProtocol.IPV4 && v == 4 && payLen >= Ipv4Header.MIN_LEN
                    && NetworkOrder.u16(b, payOff + Ipv4Header.TOTAL_LEN) == payLen)
                    || (nextHeader == IpProtocol.IPV6 && v == 6 && payLen >= Ipv6Header.LEN
                    && NetworkOrder.u16(b, payOff + Ipv6Header.PAYLOAD_LEN) + Ipv6Header.LEN == payLen))) {
                sa.counters.otherDrops++;
                return Drop.BAD_IP_HEADER;
            }
            p.off = payOff;
            p.len = payLen;
            return null;
        }
        int hl = v6 ? Ipv6Header.LEN : Ipv4Header.MIN_LEN;
        int newOff = payOff - hl;
        System.arraycopy(b, ipOff, b, newOff, hl);
        IpHeader.relabel(b, newOff, nextHeader, hl + payLen);
        p.off = newOff;
        p.len = hl + payLen;
        return null;
    }

    /**
     * Zeroes the fields that may change in transit (RFC 4302 §3.3.3.1): IPv4 TOS, flags + fragment offset, TTL,
     * checksum; IPv6 traffic class, flow label, hop limit. Returns them packed so they can be put back.
     */
    static long zeroMutable(byte[] b, int ipOff, boolean v6) {
        if (v6) {
            long saved = ((long) NetworkOrder.i32(b, ipOff) << 8) | (b[ipOff + Ipv6Header.HOP_LIMIT] & 0xff);
            NetworkOrder.put32(b, ipOff, 0x60000000);
            b[ipOff + Ipv6Header.HOP_LIMIT] = 0;
            return saved;
        }
        long saved = ((long) (b[ipOff + Ipv4Header.TOS] & 0xff) << 48)
                | ((long) NetworkOrder.u16(b, ipOff + Ipv4Header.FLAGS_FRAG) << 32)
                | ((long) (b[ipOff + Ipv4Header.TTL] & 0xff) << 16)
                | NetworkOrder.u16(b, ipOff + Ipv4Header.CHECKSUM);
        b[ipOff + Ipv4Header.TOS] = 0;
        NetworkOrder.put16(b, ipOff + Ipv4Header.FLAGS_FRAG, 0);
        b[ipOff + Ipv4Header.TTL] = 0;
        NetworkOrder.put16(b, ipOff + Ipv4Header.CHECKSUM, 0);
        return saved;
    }

    static void restoreMutable(byte[] b, int ipOff, boolean v6, long saved) {
        if (v6) {
            NetworkOrder.put32(b, ipOff, (int) (saved >>> 8));
            b[ipOff + Ipv6Header.HOP_LIMIT] = (byte) saved;
            return;
        }
        b[ipOff + Ipv4Header.TOS] = (byte) (saved >>> 48);
        NetworkOrder.put16(b, ipOff + Ipv4Header.FLAGS_FRAG, (int) (saved >>> 32) & 0xffff);
        b[ipOff + Ipv4Header.TTL] = (byte) (saved >>> 16);
        NetworkOrder.put16(b, ipOff + Ipv4Header.CHECKSUM, (int) saved & 0xffff);
    }
}
