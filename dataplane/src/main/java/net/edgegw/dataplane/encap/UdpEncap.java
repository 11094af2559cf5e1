package net.edgegw.dataplane.encap;

import net.edgegw.dataplane.packet.NetworkOrder;

/**
 * UDP encapsulation of ESP for NAT traversal: what a datagram on the NAT-T port carries.
 *
 * <pre>
 *  ESP in UDP:  | UDP header | SPI (non-zero) | Sequence | ... ESP ... |
 *  IKE in UDP:  | UDP header | Non-ESP Marker (4 zero bytes) | IKE header ... |
 *  Keepalive:   | UDP header | 0xFF |
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3948#section-2">RFC 3948 §2</a>
 */
public final class UdpEncap {
    public static final int NAT_T_PORT = 4500; // RFC 3948 §2, RFC 7296 §2.23
    public static final int IKE_PORT = 500; // RFC 7296 §2
    public static final int UDP_HEADER_LEN = 8; // RFC 768
    public static final int NON_ESP_MARKER_LEN = 4; // RFC 3948 §2.2
    public static final int NAT_KEEPALIVE_BYTE = 0xff; // RFC 3948 §2.3

    /** What a NAT-T datagram's payload is. */
    public enum Kind {
        ESP,
        /** IKE behind the non-ESP marker: hand to the control plane (without the marker). */
        IKE,
        NAT_KEEPALIVE,
        /** Too short to be anything (1-3 bytes other than a keepalive, or an ESP header cut short). */
        MALFORMED
    }

    private UdpEncap() {}

    /** Classifies the UDP payload {@code b[off, off+len)} of a datagram received on the NAT-T port. */
    public static Kind classify(byte[] b, int off, int len) {
        if (len == 1 && (b[off] & 0xff) == NAT_KEEPALIVE_BYTE) {
            return Kind.NAT_KEEPALIVE;
        }
        if (len < NON_ESP_MARKER_LEN) {
            return Kind.MALFORMED;
        }
        if (NetworkOrder.i32(b, off) == 0) {
            // RFC 3948 §2.2: a zero SPI field is the non-ESP marker; an IKE header follows.
            return Kind.IKE;
        }
        return len < 8 ? Kind.MALFORMED : Kind.ESP;
    }

    /** Writes a UDP header at {@code off}; the checksum stays zero (RFC 3948 §2.1 for IPv4), see {@link #checksumV6}. */
    public static void writeHeader(byte[] b, int off, int srcPort, int dstPort, int udpLen) {
        NetworkOrder.put16(b, off, srcPort);
        NetworkOrder.put16(b, off + 2, dstPort);
        NetworkOrder.put16(b, off + 4, udpLen);
        NetworkOrder.put16(b, off + 6, 0);
    }

    /**
     * Computes and stores the UDP checksum of an IPv6 datagram (a zero UDP checksum is not allowed over IPv6,
     * RFC 8200 §8.1). {@code ipOff} is the IPv6 header, {@code udpOff} the UDP header.
     */
    public static void checksumV6(byte[] b, int ipOff, int udpOff, int udpLen) {
        long sum = net.edgegw.dataplane.packet.InetChecksum.sum(b, ipOff + 8, 32, 0); // source + destination
        sum += udpLen;
        sum += 17;
        NetworkOrder.put16(b, udpOff + 6, 0);
        sum = net.edgegw.dataplane.packet.InetChecksum.sum(b, udpOff, udpLen, sum);
        int c = net.edgegw.dataplane.packet.InetChecksum.finish(sum);
        NetworkOrder.put16(b, udpOff + 6, c == 0 ? 0xffff : c);
    }
}
