package net.edgegw.dataplane.packet;

/** IANA protocol numbers the data plane acts on (IANA "Assigned Internet Protocol Numbers"). */
public final class IpProtocol {
    public static final int HOPOPT = 0;
    public static final int ICMP = 1;
    public static final int IPV4 = 4; // IP-in-IP, the ESP next header of a tunnelled IPv4 packet
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int IPV6 = 41;
    public static final int ROUTING = 43;
    public static final int FRAGMENT = 44;
    public static final int ESP = 50; // RFC 4303
    public static final int AH = 51; // RFC 4302
    public static final int ICMPV6 = 58;
    public static final int NO_NEXT_HEADER = 59; // RFC 8200 §4.7; ESP dummy packets, RFC 4303 §2.6
    public static final int DEST_OPTS = 60;

    private IpProtocol() {}
}
