package net.edgegw.dataplane.spd;

import net.edgegw.dataplane.packet.IpProtocol;
import net.edgegw.dataplane.packet.Ipv4Header;
import net.edgegw.dataplane.packet.Ipv6Header;
import net.edgegw.dataplane.packet.NetworkOrder;

/**
 * The selector fields of one IP packet (RFC 4301 §4.4.1.1): addresses, next-layer protocol and ports.
 * A mutable scratch object owned by one worker, refilled per packet: no allocation.
 *
 * <p>Addresses are 128-bit values in two longs; IPv4 addresses live in {@code lo} with {@code hi = 0}.
 * ICMP and ICMPv6 put type and code in the port fields (type high byte, code low byte), as IKEv2 does
 * (RFC 7296 §3.13.1). Non-initial fragments and truncated transport headers leave ports OPAQUE
 * ({@link #portsKnown} false): they match only selectors that allow any port (RFC 4301 §4.4.1.1).
 */
public final class FlowKey {
    public int family;
    public long srcHi;
    public long srcLo;
    public long dstHi;
    public long dstLo;
    public int protocol;
    public int srcPort;
    public int dstPort;
    public boolean portsKnown;

    /**
     * Fills this key from the IP packet at {@code b[off, off+len)}.
     *
     * @return false if the packet is not a well-formed IPv4/IPv6 header (caller drops it as BAD_IP_HEADER)
     */
    public boolean parse(byte[] b, int off, int len) {
        if (len < 1) {
            return false;
        }
        int version = (b[off] & 0xff) >>> 4;
        int l4;
        int end = off + len;
        boolean firstFragment = true;
        boolean upperLayerFound = true;
        if (version == 4) {
            if (len < Ipv4Header.MIN_LEN) {
                return false;
            }
            int hl = Ipv4Header.headerLen(b, off);
            if (hl < Ipv4Header.MIN_LEN || hl > len) {
                return false;
            }
            family = 4;
            srcHi = 0;
            dstHi = 0;
            srcLo = NetworkOrder.u32(b, off + Ipv4Header.SRC);
            dstLo = NetworkOrder.u32(b, off + Ipv4Header.DST);
            protocol = b[off + Ipv4Header.PROTOCOL] & 0xff;
            firstFragment = (NetworkOrder.u16(b, off + Ipv4Header.FLAGS_FRAG) & Ipv4Header.FRAG_OFFSET_MASK) == 0;
            l4 = off + hl;
        } else if (version == 6) {
            if (len < Ipv6Header.LEN) {
                return false;
            }
            family = 6;
            srcHi = NetworkOrder.i64(b, off + Ipv6Header.SRC);
            srcLo = NetworkOrder.i64(b, off + Ipv6Header.SRC + 8);
            dstHi = NetworkOrder.i64(b, off + Ipv6Header.DST);
            dstLo = NetworkOrder.i64(b, off + Ipv6Header.DST + 8);
            protocol = b[off + Ipv6Header.NEXT_HEADER] & 0xff;
            l4 = off + Ipv6Header.LEN;
            // Skip the extension headers that may precede the upper layer (RFC 8200 §4), bounded.
            for (int i = 0; i < 8; i++) {
                if (protocol == IpProtocol.HOPOPT || protocol == IpProtocol.ROUTING || protocol == IpProtocol.DEST_OPTS) {
                    if (l4 + 2 > end) {
                        break;
                    }
                    int next = b[l4] & 0xff;
                    l4 += ((b[l4 + 1] & 0xff) + 1) * 8;
                    protocol = next;
                } else if (protocol == IpProtocol.FRAGMENT) {
                    if (l4 + 8 > end) {
                        break;
                    }
                    firstFragment = (NetworkOrder.u16(b, l4 + 2) & 0xfff8) == 0;
                    protocol = b[l4] & 0xff;
                    l4 += 8;
                } else {
                    break;
                }
            }
            // Chain cut short or longer than we follow: the upper-layer header and its ports are unknown (OPAQUE).
            upperLayerFound = !(protocol == IpProtocol.HOPOPT || protocol == IpProtocol.ROUTING
                    || protocol == IpProtocol.DEST_OPTS || protocol == IpProtocol.FRAGMENT);
        } else {
            return false;
        }
        srcPort = 0;
        dstPort = 0;
        portsKnown = false;
        if (!firstFragment || !upperLayerFound) {
            return true;
        }
        switch (protocol) {
            case IpProtocol.TCP, IpProtocol.UDP, 132 /* SCTP */ -> {
                if (l4 + 4 <= end) {
                    srcPort = NetworkOrder.u16(b, l4);
                    dstPort = NetworkOrder.u16(b, l4 + 2);
                    portsKnown = true;
                }
            }
            case IpProtocol.ICMP, IpProtocol.ICMPV6 -> {
                if (l4 + 2 <= end) {
                    int typeCode = NetworkOrder.u16(b, l4);
                    srcPort = typeCode;
                    dstPort = typeCode;
                    portsKnown = true;
                }
            }
            default -> portsKnown = true; // no ports in this protocol: port selectors must be ANY anyway
        }
        return true;
    }
}
