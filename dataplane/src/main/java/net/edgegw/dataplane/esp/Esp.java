package net.edgegw.dataplane.esp;

import net.edgegw.dataplane.encap.UdpEncap;
import net.edgegw.dataplane.packet.IpHeader;
import net.edgegw.dataplane.packet.IpProtocol;
import net.edgegw.dataplane.packet.Ipv4Header;
import net.edgegw.dataplane.packet.Ipv6Header;
import net.edgegw.dataplane.packet.NetworkOrder;
import net.edgegw.dataplane.packet.Packet;
import net.edgegw.dataplane.sa.Mode;
import net.edgegw.dataplane.sa.SaConfig;
import net.edgegw.dataplane.sa.SecurityAssociation;
import net.edgegw.dataplane.sa.Suite;
import net.edgegw.dataplane.stats.Drop;

/**
 * ESP packet processing, tunnel and transport mode, IPv4 and IPv6 inside and outside, optionally in UDP
 * (RFC 3948). Works in place on a {@link Packet}: headers go into the headroom, trailer and ICV into the tailroom.
 * Methods return {@code null} on success or the {@link Drop} reason; they never throw on bad input.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4303">RFC 4303</a>
 */
public final class Esp {
    public static final int HEADER_LEN = 8; // RFC 4303 §2: SPI (4) + Sequence Number (4)
    public static final int TRAILER_LEN = 2; // RFC 4303 §2: Pad Length (1) + Next Header (1)
    public static final int MAX_PACKET = 65535; // IPv4 total length / IPv6 payload length field

    private Esp() {}

    /**
     * Protects the IP packet in {@code p} with outbound SA {@code sa}; on success {@code p} holds the outer IP
     * packet (with its UDP header when the SA is UDP-encapsulated).
     */
    public static Drop encapsulate(SecurityAssociation sa, Packet p) {
        return encapsulate(sa, p, true);
    }

    /**
     * Like {@link #encapsulate(SecurityAssociation, Packet)} for a tunnel-mode SA, but stops at the ESP packet:
     * {@code p} then holds SPI ... ICV, {@link #tunnelLength} bytes, and the kernel writes the outer IP and UDP
     * headers (a UDP socket; with UDP_SEGMENT for a run of such packets laid end to end).
     */
    public static Drop encapsulateEsp(SecurityAssociation sa, Packet p) {
        if (sa.config.mode() != Mode.TUNNEL) {
            return Drop.UNSUPPORTED; // transport mode keeps the packet's own IP header: only the whole form works
        }
        return encapsulate(sa, p, false);
    }

    /** The length of the ESP packet (SPI to ICV) that carries an {@code innerLen}-byte packet in tunnel mode. */
    public static int tunnelLength(SecurityAssociation sa, int innerLen) {
        Suite s = sa.config.suite();
        int pad = (s.align - ((innerLen + TRAILER_LEN) % s.align)) % s.align;
        return HEADER_LEN + s.ivLen + innerLen + pad + TRAILER_LEN + s.icvLen;
    }

    private static Drop encapsulate(SecurityAssociation sa, Packet p, boolean outer) {
        SaConfig c = sa.config;
        Suite s = c.suite();
        byte[] b = p.buf;
        int off = p.off;
        int len = p.len;
        if (len < 1) {
            return Drop.RUNT;
        }
        int version = (b[off] & 0xff) >>> 4;
        int innerHl;
        int nextHeader;
        int tos;
        boolean df;
        if (version == 4) {
            if (len < Ipv4Header.MIN_LEN) {
                return Drop.RUNT;
            }
            innerHl = Ipv4Header.headerLen(b, off);
            if (innerHl < Ipv4Header.MIN_LEN || innerHl > len) {
                return Drop.BAD_IP_HEADER;
            }
            tos = b[off + Ipv4Header.TOS] & 0xff;
            int ff = NetworkOrder.u16(b, off + Ipv4Header.FLAGS_FRAG);
            df = (ff & Ipv4Header.FLAG_DF) != 0;
            nextHeader = b[off + Ipv4Header.PROTOCOL] & 0xff;
            if (c.mode() == Mode.TRANSPORT && (ff & (Ipv4Header.FLAG_MF | Ipv4Header.FRAG_OFFSET_MASK)) != 0) {
                return Drop.UNSUPPORTED; // transport mode applies to whole datagrams (RFC 4303 §3.3.4)
            }
        } else if (version == 6) {
            if (len < Ipv6Header.LEN) {
                return Drop.RUNT;
            }
            innerHl = Ipv6Header.LEN;
            tos = Ipv6Header.trafficClass(b, off);
            df = false;
            nextHeader = b[off + Ipv6Header.NEXT_HEADER] & 0xff;
        } else {
            return Drop.BAD_IP_HEADER;
        }

        boolean tunnel = c.mode() == Mode.TUNNEL;
        int payOff;
        int payLen;
        int outerHl;
        if (tunnel) {
            nextHeader = version == 4 ? IpProtocol.IPV4 : IpProtocol.IPV6;
            payOff = off;
            payLen = len;
            outerHl = sa.outerIpLen;
        } else {
            if ((version == 6) != c.ipv6Outer()) {
                return Drop.POLICY; // transport mode keeps the packet's own IP header: families must agree
            }
            if (version == 6 && isIpv6ExtensionHeader(nextHeader)) {
                return Drop.UNSUPPORTED; // we do not place ESP among IPv6 extension headers
            }
            payOff = off + innerHl;
            payLen = len - innerHl;
            outerHl = innerHl;
        }

        int pad = (s.align - ((payLen + TRAILER_LEN) % s.align)) % s.align;
        int ctLen = payLen + pad + TRAILER_LEN;
        int espHdr = HEADER_LEN + s.ivLen;
        int espOff = payOff - espHdr;
        int udpOff = espOff - sa.udpLen;
        int ipOff = outer ? udpOff - outerHl : espOff;
        int end = payOff + ctLen + s.icvLen;
        if (ipOff < 0 || end > b.length) {
            return Drop.NO_BUFFER;
        }
        int espLen = espHdr + ctLen + s.icvLen;
        int total = outerHl + sa.udpLen + espLen;
        if (total > MAX_PACKET + (c.ipv6Outer() ? Ipv6Header.LEN : 0)) {
            return Drop.OVERSIZE;
        }
        if (!sa.usable()) {
            return Drop.SA_EXPIRED;
        }
        if (!sa.account(len)) {
            return Drop.SA_EXPIRED;
        }
        long seq = sa.nextSeq();
        if (seq < 0) {
            return Drop.SEQ_CYCLED;
        }

        if (!tunnel) {
            // Move the IP header to the front; the ESP header takes its old place (arraycopy handles overlap).
            System.arraycopy(b, off, b, ipOff, innerHl);
        }
        // Trailer: padding 1, 2, 3, ... (RFC 4303 §2.4), Pad Length, Next Header.
        int t = payOff + payLen;
        for (int i = 1; i <= pad; i++) {
            b[t++] = (byte) i;
        }
        b[t++] = (byte) pad;
        b[t] = (byte) nextHeader;
        NetworkOrder.put32(b, espOff, sa.spi);
        NetworkOrder.put32(b, espOff + 4, (int) seq);
        if (!sa.esp.seal(b, espOff, ctLen, seq)) {
            return Drop.INTEG;
        }

        if (!outer) {
            p.off = espOff;
            p.len = espLen;
            return null;
        }
        int outerProto = sa.udpLen != 0 ? IpProtocol.UDP : IpProtocol.ESP;
        if (sa.udpLen != 0) {
            UdpEncap.writeHeader(b, udpOff, c.encapSrcPort(), c.encapDstPort(), UdpEncap.UDP_HEADER_LEN + espLen);
        }
        if (tunnel) {
            // RFC 4301 §5.1.2.1: copy DSCP; RFC 6040 normal mode: copy ECN. DF copied from an IPv4 inner header.
            if (c.ipv6Outer()) {
                Ipv6Header.write(b, ipOff, total - Ipv6Header.LEN, outerProto, c.src(), c.dst(), tos);
            } else {
                Ipv4Header.write(b, ipOff, total, outerProto, c.src(), c.dst(), tos, df);
            }
        } else {
            IpHeader.relabel(b, ipOff, outerProto, total);
        }
        if (sa.udpLen != 0 && c.ipv6Outer()) {
            UdpEncap.checksumV6(b, ipOff, udpOff, UdpEncap.UDP_HEADER_LEN + espLen);
        }
        p.off = ipOff;
        p.len = total;
        return null;
    }

    /**
     * Verifies and decrypts the ESP packet at {@code b[espOff, espOff+espLen)} of {@code p} for inbound SA
     * {@code sa} (found by its SPI). On success {@code p} holds the inner IP packet: for tunnel mode the
     * decrypted packet itself; for transport mode the payload behind the received IP header (at
     * {@code outerIpOff}) with its protocol and length fixed, or, when the outer header is not at hand
     * ({@code outerIpOff < 0}, the UDP-socket path), behind a header built from the SA's addresses.
     */
    public static Drop decapsulate(SecurityAssociation sa, Packet p, int espOff, int espLen, int outerIpOff) {
        Suite s = sa.config.suite();
        byte[] b = p.buf;
        int ctLen = espLen - HEADER_LEN - s.ivLen - s.icvLen;
        if (ctLen < TRAILER_LEN) {
            return Drop.RUNT;
        }
        if (!sa.usable()) {
            return Drop.SA_EXPIRED;
        }
        // 1. Anti-replay pre-check, read-only (RFC 4303 §3.4.3), before spending a decryption on the packet.
        long seq = sa.replay.check(NetworkOrder.i32(b, espOff + 4));
        if (seq < 0) {
            sa.counters.replayDrops++;
            return Drop.REPLAY;
        }
        // 2. ICV, then decryption (RFC 4303 §3.4.4).
        if (s.align == 16 && ctLen % 16 != 0) {
            sa.counters.otherDrops++;
            return Drop.BAD_PADDING; // CBC ciphertext is whole blocks (RFC 3602 §2.4)
        }
        if (!sa.esp.open(b, espOff, ctLen, seq)) {
            sa.counters.authFailures++;
            return Drop.INTEG;
        }
        // 3. Only an authentic packet moves the window.
        if (!sa.replay.commit(seq)) {
            sa.counters.replayDrops++;
            return Drop.REPLAY;
        }
        int ctOff = espOff + HEADER_LEN + s.ivLen;
        int nextHeader = b[ctOff + ctLen - 1] & 0xff;
        int pad = b[ctOff + ctLen - 2] & 0xff;
        int payLen = ctLen - TRAILER_LEN - pad;
        if (payLen < 0) {
            sa.counters.otherDrops++;
            return Drop.BAD_PADDING;
        }
        // RFC 4303 §2.4: the default padding is 1, 2, 3, ...; we send nothing else, so we accept nothing else.
        for (int i = 0; i < pad; i++) {
            if (b[ctOff + payLen + i] != (byte) (i + 1)) {
                sa.counters.otherDrops++;
                return Drop.BAD_PADDING;
            }
        }
        if (nextHeader == IpProtocol.NO_NEXT_HEADER) {
            sa.counters.otherDrops++;
            return Drop.DUMMY; // RFC 4303 §2.6: dummy packet, discard silently
        }
        if (!sa.account(payLen)) {
            sa.counters.otherDrops++;
            return Drop.SA_EXPIRED;
        }
        if (sa.config.mode() == Mode.TUNNEL) {
            Drop d = checkInnerIp(b, ctOff, payLen, nextHeader);
            if (d != null) {
                sa.counters.otherDrops++;
                return d;
            }
            p.off = ctOff;
            p.len = innerLength(b, ctOff, payLen);
            return null;
        }
        return transportHeader(sa, p, ctOff, payLen, nextHeader, outerIpOff);
    }

    /** Tunnel mode: the decrypted payload must be one whole IP packet of the family next header names. */
    private static Drop checkInnerIp(byte[] b, int off, int len, int nextHeader) {
        if (len < 1) {
            return Drop.RUNT;
        }
        int version = (b[off] & 0xff) >>> 4;
        if (nextHeader == IpProtocol.IPV4 && version == 4) {
            if (len < Ipv4Header.MIN_LEN) {
                return Drop.RUNT;
            }
            int hl = Ipv4Header.headerLen(b, off);
            int tl = NetworkOrder.u16(b, off + Ipv4Header.TOTAL_LEN);
            return (hl < Ipv4Header.MIN_LEN || tl < hl || tl > len) ? Drop.BAD_IP_HEADER : null;
        }
        if (nextHeader == IpProtocol.IPV6 && version == 6) {
            if (len < Ipv6Header.LEN) {
                return Drop.RUNT;
            }
            int pl = NetworkOrder.u16(b, off + Ipv6Header.PAYLOAD_LEN);
            return Ipv6Header.LEN + pl > len ? Drop.BAD_IP_HEADER : null;
        }
        return Drop.BAD_IP_HEADER;
    }

    /** The inner packet's own length (the sender may have used TFC padding beyond it, RFC 4303 §2.7). */
    private static int innerLength(byte[] b, int off, int len) {
        if ((b[off] & 0xf0) == 0x40) {
            return NetworkOrder.u16(b, off + Ipv4Header.TOTAL_LEN);
        }
        return Ipv6Header.LEN + NetworkOrder.u16(b, off + Ipv6Header.PAYLOAD_LEN);
    }

    private static Drop transportHeader(SecurityAssociation sa, Packet p, int payOff, int payLen, int nextHeader,
                                        int outerIpOff) {
        SaConfig c = sa.config;
        byte[] b = p.buf;
        if (outerIpOff >= 0) {
            // RFC 4303 §3.4: the received IP header stays, with the next header and length put right.
            boolean v6 = (b[outerIpOff] & 0xf0) == 0x60;
            int hl = v6 ? Ipv6Header.LEN : Ipv4Header.headerLen(b, outerIpOff);
            int ipOff = payOff - hl;
            System.arraycopy(b, outerIpOff, b, ipOff, hl);
            IpHeader.relabel(b, ipOff, nextHeader, hl + payLen);
            p.off = ipOff;
            p.len = hl + payLen;
            return null;
        }
        int hl = c.ipv6Outer() ? Ipv6Header.LEN : Ipv4Header.MIN_LEN;
        int ipOff = payOff - hl;
        if (ipOff < 0) {
            return Drop.NO_BUFFER;
        }
        // No outer header at hand (UDP socket): build one from the SA's addresses.
        if (c.ipv6Outer()) {
            Ipv6Header.write(b, ipOff, payLen, nextHeader, c.src(), c.dst(), 0);
        } else {
            Ipv4Header.write(b, ipOff, hl + payLen, nextHeader, c.src(), c.dst(), 0, false);
        }
        p.off = ipOff;
        p.len = hl + payLen;
        return null;
    }

    static boolean isIpv6ExtensionHeader(int nh) {
        return nh == IpProtocol.HOPOPT || nh == IpProtocol.ROUTING || nh == IpProtocol.FRAGMENT
                || nh == IpProtocol.DEST_OPTS || nh == IpProtocol.AH || nh == IpProtocol.ESP;
    }
}
