package net.edgegw.dataplane.packet;

/** Operations common to IPv4 and IPv6 headers, dispatched on the version nibble. */
public final class IpHeader {
    private IpHeader() {}

    /**
     * Points the IP header at {@code ipOff} to a new upper-layer protocol and total packet length: IPv4 protocol,
     * total length and checksum; IPv6 next header and payload length. Used when transport-mode IPsec inserts or
     * removes its header behind an existing IP header.
     */
    public static void relabel(byte[] b, int ipOff, int protocol, int totalLen) {
        if ((b[ipOff] & 0xf0) == 0x60) {
            b[ipOff + Ipv6Header.NEXT_HEADER] = (byte) protocol;
            NetworkOrder.put16(b, ipOff + Ipv6Header.PAYLOAD_LEN, totalLen - Ipv6Header.LEN);
        } else {
            b[ipOff + Ipv4Header.PROTOCOL] = (byte) protocol;
            NetworkOrder.put16(b, ipOff + Ipv4Header.TOTAL_LEN, totalLen);
            Ipv4Header.updateChecksum(b, ipOff);
        }
    }
}
