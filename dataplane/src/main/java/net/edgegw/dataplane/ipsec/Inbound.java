package net.edgegw.dataplane.ipsec;

import net.edgegw.dataplane.ah.Ah;
import net.edgegw.dataplane.encap.UdpEncap;
import net.edgegw.dataplane.esp.Esp;
import net.edgegw.dataplane.packet.IpProtocol;
import net.edgegw.dataplane.packet.Ipv4Header;
import net.edgegw.dataplane.packet.Ipv6Header;
import net.edgegw.dataplane.packet.NetworkOrder;
import net.edgegw.dataplane.packet.Packet;
import net.edgegw.dataplane.sa.Sad;
import net.edgegw.dataplane.sa.SecurityAssociation;
import net.edgegw.dataplane.spd.FlowKey;
import net.edgegw.dataplane.spd.TrafficSelector;
import net.edgegw.dataplane.stats.Drop;
import net.edgegw.dataplane.stats.DropCounters;

/**
 * Inbound IPsec processing for one worker (RFC 4301 §5.2): classify what arrived, find the SA by SPI, let
 * ESP or AH verify and strip it, then check the inner packet against the SA's traffic selectors. Every drop is
 * counted by reason; nothing throws and nothing logs per packet. Not thread-safe: one instance per worker.
 */
public final class Inbound {
    /** What to do with the packet after {@link #fromIp} / {@link #fromUdp}. */
    public enum Verdict {
        /** {@code p} holds the inner packet: deliver it (to the TUN device). */
        FORWARD,
        /** An IKE message is at {@link #ikeOffset()} / {@link #ikeLength()}: hand it to the control plane. */
        IKE,
        /** Dropped; {@link #lastDrop()} says why (already counted). */
        DROP
    }

    private final Sad sad;
    private final DropCounters drops;
    private final FlowKey key = new FlowKey();
    private Drop lastDrop;
    private SecurityAssociation lastSa;
    private int ikeOff;
    private int ikeLen;

    public Inbound(Sad sad, DropCounters drops) {
        this.sad = sad;
        this.drops = drops;
    }

    public Drop lastDrop() {
        return lastDrop;
    }

    /** The SA the last FORWARD packet came through. */
    public SecurityAssociation lastSa() {
        return lastSa;
    }

    public int ikeOffset() {
        return ikeOff;
    }

    public int ikeLength() {
        return ikeLen;
    }

    public DropCounters drops() {
        return drops;
    }

    /** A whole IP packet (raw ESP/AH socket, or ESP-in-UDP with its IP and UDP headers). */
    public Verdict fromIp(Packet p) {
        byte[] b = p.buf;
        int off = p.off;
        if (p.len < 1) {
            return drop(Drop.RUNT);
        }
        int version = (b[off] & 0xff) >>> 4;
        int proto;
        int l4;
        int dstOff;
        int dstLen;
        if (version == 4) {
            if (p.len < Ipv4Header.MIN_LEN) {
                return drop(Drop.RUNT);
            }
            int hl = Ipv4Header.headerLen(b, off);
            int total = NetworkOrder.u16(b, off + Ipv4Header.TOTAL_LEN);
            if (hl < Ipv4Header.MIN_LEN || total < hl || total > p.len) {
                return drop(total > p.len ? Drop.RUNT : Drop.BAD_IP_HEADER);
            }
            if ((NetworkOrder.u16(b, off + Ipv4Header.FLAGS_FRAG) & (Ipv4Header.FLAG_MF | Ipv4Header.FRAG_OFFSET_MASK)) != 0) {
                return drop(Drop.UNSUPPORTED); // outer fragments: the kernel reassembles for sockets; raw path drops
            }
            p.len = total;
            proto = b[off + Ipv4Header.PROTOCOL] & 0xff;
            l4 = off + hl;
            dstOff = off + Ipv4Header.DST;
            dstLen = 4;
        } else if (version == 6) {
            if (p.len < Ipv6Header.LEN) {
                return drop(Drop.RUNT);
            }
            int total = Ipv6Header.LEN + NetworkOrder.u16(b, off + Ipv6Header.PAYLOAD_LEN);
            if (total > p.len) {
                return drop(Drop.RUNT);
            }
            p.len = total;
            proto = b[off + Ipv6Header.NEXT_HEADER] & 0xff;
            l4 = off + Ipv6Header.LEN;
            dstOff = off + Ipv6Header.DST;
            dstLen = 16;
        } else {
            return drop(Drop.BAD_IP_HEADER);
        }
        int end = p.off + p.len;
        switch (proto) {
            case IpProtocol.ESP:
                return esp(p, l4, end - l4, b, dstOff, dstLen, off);
            case IpProtocol.AH:
                return ah(p, l4, b, dstOff, dstLen);
            case IpProtocol.UDP: {
                if (l4 + UdpEncap.UDP_HEADER_LEN > end) {
                    return drop(Drop.RUNT);
                }
                int udpLen = NetworkOrder.u16(b, l4 + 4);
                if (udpLen < UdpEncap.UDP_HEADER_LEN || l4 + udpLen > end) {
                    return drop(Drop.BAD_ENCAP);
                }
                return udpPayload(p, l4 + UdpEncap.UDP_HEADER_LEN, udpLen - UdpEncap.UDP_HEADER_LEN, b, dstOff, dstLen, off);
            }
            default:
                return drop(Drop.UNSUPPORTED);
        }
    }

    /**
     * The payload of a datagram received on the NAT-T UDP socket ({@code p} holds just the UDP payload).
     *
     * @param localAddr the address it was sent to (4 or 16 bytes), or null to skip the destination check
     */
    public Verdict fromUdp(Packet p, byte[] localAddr) {
        return udpPayload(p, p.off, p.len, localAddr, 0, localAddr == null ? 0 : localAddr.length, -1);
    }

    /**
     * An ESP packet without its IP header, as an IPv6 raw socket delivers it ({@code p} starts at the SPI).
     *
     * @param localAddr the address it was sent to (the socket's bound address), or null to skip the check
     */
    public Verdict fromEsp(Packet p, byte[] localAddr) {
        return esp(p, p.off, p.len, localAddr, 0, localAddr == null ? 0 : localAddr.length, -1);
    }

    private Verdict udpPayload(Packet p, int off, int len, byte[] dst, int dstOff, int dstLen, int ipOff) {
        switch (UdpEncap.classify(p.buf, off, len)) {
            case ESP:
                return esp(p, off, len, dst, dstOff, dstLen, ipOff);
            case IKE:
                ikeOff = off + UdpEncap.NON_ESP_MARKER_LEN;
                ikeLen = len - UdpEncap.NON_ESP_MARKER_LEN;
                return Verdict.IKE;
            case NAT_KEEPALIVE:
                return drop(Drop.NAT_KEEPALIVE);
            default:
                return drop(Drop.BAD_ENCAP);
        }
    }

    private Verdict esp(Packet p, int espOff, int espLen, byte[] dst, int dstOff, int dstLen, int ipOff) {
        if (espLen < Esp.HEADER_LEN) {
            return drop(Drop.RUNT);
        }
        SecurityAssociation sa = lookup(p.buf, espOff + 0, dst, dstOff, dstLen);
        if (sa == null || sa.esp == null) {
            return drop(Drop.NO_SA);
        }
        Drop d = Esp.decapsulate(sa, p, espOff, espLen, ipOff);
        return d != null ? drop(d) : selectors(sa, p);
    }

    private Verdict ah(Packet p, int ahOff, byte[] dst, int dstOff, int dstLen) {
        if (ahOff + Ah.FIXED_LEN > p.off + p.len) {
            return drop(Drop.RUNT);
        }
        SecurityAssociation sa = lookup(p.buf, ahOff + 4, dst, dstOff, dstLen);
        if (sa == null || sa.ah == null) {
            return drop(Drop.NO_SA);
        }
        Drop d = Ah.decapsulate(sa, p, ahOff);
        return d != null ? drop(d) : selectors(sa, p);
    }

    private SecurityAssociation lookup(byte[] b, int spiOff, byte[] dst, int dstOff, int dstLen) {
        SecurityAssociation sa = sad.inbound(NetworkOrder.i32(b, spiOff));
        if (sa == null || (dst != null && dstLen != 0 && !Sad.destinationMatches(sa, dst, dstOff, dstLen))) {
            return null;
        }
        return sa;
    }

    /** RFC 4301 §5.2 step 4: the decapsulated packet must fall inside the SA's selectors. */
    private Verdict selectors(SecurityAssociation sa, Packet p) {
        if (!key.parse(p.buf, p.off, p.len)) {
            sa.counters.policyDrops++;
            return drop(Drop.BAD_IP_HEADER);
        }
        if (!TrafficSelector.anyMatches(sa.config.remoteTs(), key, true)
                || !TrafficSelector.anyMatches(sa.config.localTs(), key, false)) {
            sa.counters.policyDrops++;
            return drop(Drop.POLICY);
        }
        lastSa = sa;
        return Verdict.FORWARD;
    }

    private Verdict drop(Drop d) {
        lastDrop = d;
        drops.inc(d);
        return Verdict.DROP;
    }
}
