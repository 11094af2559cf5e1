package net.edgegw.dataplane.spd;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One side of a traffic selector: an address range, a next-layer protocol (0 = any) and a port range
 * (0-65535 = any), as in RFC 4301 §4.4.1.1 and the IKEv2 TS payload (RFC 7296 §3.13.1).
 * Addresses are 128-bit unsigned values in two longs; IPv4 uses only {@code lo}.
 */
public record TrafficSelector(int family, long startHi, long startLo, long endHi, long endLo,
                              int protocol, int startPort, int endPort) {

    public static final int ANY_PROTOCOL = 0;

    public TrafficSelector {
        if (family != 4 && family != 6) {
            throw new IllegalArgumentException("family must be 4 or 6");
        }
        if (compare(startHi, startLo, endHi, endLo) > 0) {
            throw new IllegalArgumentException("address range start is after its end");
        }
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("protocol must be 0..255");
        }
        if (startPort < 0 || endPort > 65535 || startPort > endPort) {
            throw new IllegalArgumentException("port range must satisfy 0 <= start <= end <= 65535");
        }
    }

    /** Parses "10.244.0.0/16", "fd00::/64", "192.0.2.7" (a /32 or /128). */
    public static TrafficSelector cidr(String cidr) {
        return cidr(cidr, ANY_PROTOCOL, 0, 65535);
    }

    public static TrafficSelector cidr(String cidr, int protocol, int startPort, int endPort) {
        int slash = cidr.indexOf('/');
        String addr = slash < 0 ? cidr : cidr.substring(0, slash);
        byte[] a = parseAddress(addr);
        int bits = a.length * 8;
        int prefix = slash < 0 ? bits : Integer.parseInt(cidr.substring(slash + 1).trim());
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix length out of range in '" + cidr + "'");
        }
        long[] v = toLongs(a);
        long[] mask = prefixMask(a.length == 4 ? 4 : 6, prefix);
        long sHi = v[0] & mask[0];
        long sLo = v[1] & mask[1];
        long eHi = sHi | ~mask[0];
        long eLo = sLo | ~mask[1];
        if (a.length == 4) {
            eHi = 0;
            eLo &= 0xffffffffL;
        }
        return new TrafficSelector(a.length == 4 ? 4 : 6, sHi, sLo, eHi, eLo, protocol, startPort, endPort);
    }

    /** An address range "start-end" of one family. */
    public static TrafficSelector range(String start, String end, int protocol, int startPort, int endPort) {
        byte[] s = parseAddress(start);
        byte[] e = parseAddress(end);
        if (s.length != e.length) {
            throw new IllegalArgumentException("range ends are of different address families");
        }
        long[] sv = toLongs(s);
        long[] ev = toLongs(e);
        return new TrafficSelector(s.length == 4 ? 4 : 6, sv[0], sv[1], ev[0], ev[1], protocol, startPort, endPort);
    }

    public static TrafficSelector any(int family) {
        return family == 4 ? cidr("0.0.0.0/0") : cidr("::/0");
    }

    /** Matches the source ({@code source = true}) or destination side of a packet's flow key. */
    public boolean matches(FlowKey k, boolean source) {
        if (k.family != family) {
            return false;
        }
        long hi = source ? k.srcHi : k.dstHi;
        long lo = source ? k.srcLo : k.dstLo;
        if (compare(hi, lo, startHi, startLo) < 0 || compare(hi, lo, endHi, endLo) > 0) {
            return false;
        }
        if (protocol != ANY_PROTOCOL && protocol != k.protocol) {
            return false;
        }
        if (startPort == 0 && endPort == 65535) {
            return true;
        }
        if (!k.portsKnown) {
            return false;
        }
        int port = source ? k.srcPort : k.dstPort;
        return port >= startPort && port <= endPort;
    }

    /** True if {@code sel} is empty (any) or one of its selectors matches that side of the flow key. */
    public static boolean anyMatches(java.util.List<TrafficSelector> sel, FlowKey k, boolean source) {
        if (sel.isEmpty()) {
            return true;
        }
        for (int i = 0, n = sel.size(); i < n; i++) {
            if (sel.get(i).matches(k, source)) {
                return true;
            }
        }
        return false;
    }

    /** The start address as bytes (4 or 16). */
    public byte[] startAddress() {
        return toBytes(startHi, startLo);
    }

    public byte[] endAddress() {
        return toBytes(endHi, endLo);
    }

    private byte[] toBytes(long hi, long lo) {
        ByteBuffer bb = ByteBuffer.allocate(16).putLong(hi).putLong(lo);
        byte[] all = bb.array();
        if (family == 4) {
            return new byte[] {all[12], all[13], all[14], all[15]};
        }
        return all;
    }

    @Override
    public String toString() {
        try {
            String s = InetAddress.getByAddress(startAddress()).getHostAddress();
            String e = InetAddress.getByAddress(endAddress()).getHostAddress();
            String ports = (startPort == 0 && endPort == 65535) ? "" : "[" + startPort + "-" + endPort + "]";
            return s + "-" + e + (protocol == 0 ? "" : "/proto " + protocol) + ports;
        } catch (UnknownHostException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    /** Dotted-quad IPv4, four decimal octets without leading zeros (as inet_pton(3) takes them). */
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4_LITERAL =
            Pattern.compile(OCTET + "\\." + OCTET + "\\." + OCTET + "\\." + OCTET);
    /** What an IPv6 literal may consist of; starting with a hex digit or ':' keeps InetAddress off the resolver. */
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /**
     * Parses a literal IPv4 or IPv6 address; never does a name lookup. Shorthand IPv4 forms ("10.1.2", "1",
     * "010.0.0.1") are refused: InetAddress would read "10.1.2" as 10.1.0.2.
     */
    public static byte[] parseAddress(String s) {
        String t = s.trim();
        Matcher v4 = IPV4_LITERAL.matcher(t);
        if (v4.matches()) {
            byte[] a = new byte[4];
            for (int i = 0; i < 4; i++) {
                a[i] = (byte) Integer.parseInt(v4.group(i + 1));
            }
            return a;
        }
        if (!IPV6_CHARS.matcher(t).matches()) {
            throw new IllegalArgumentException("not an IP address literal: '" + s + "'");
        }
        try {
            // Only hex digits, ':' and '.', with a ':', starting with a hex digit or ':': InetAddress parses this
            // as an IPv6 literal or throws; it never hands it to the resolver.
            byte[] a = InetAddress.getByName(t).getAddress();
            if (t.indexOf(':') >= 0 && a.length == 4) {
                // "::ffff:a.b.c.d" collapses to IPv4 in InetAddress; keep what the user wrote as IPv6.
                byte[] m = new byte[16];
                m[10] = (byte) 0xff;
                m[11] = (byte) 0xff;
                System.arraycopy(a, 0, m, 12, 4);
                return m;
            }
            return a;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal: '" + s + "'", e);
        }
    }

    private static long[] toLongs(byte[] a) {
        ByteBuffer bb = ByteBuffer.wrap(a);
        if (a.length == 4) {
            return new long[] {0, Integer.toUnsignedLong(bb.getInt())};
        }
        return new long[] {bb.getLong(), bb.getLong()};
    }

    private static long[] prefixMask(int family, int prefix) {
        if (family == 4) {
            long m = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
            return new long[] {0, m | 0xffffffff00000000L};
        }
        long hi = prefix >= 64 ? -1L : (prefix == 0 ? 0 : -1L << (64 - prefix));
        long lo = prefix <= 64 ? 0 : (prefix == 128 ? -1L : -1L << (128 - prefix));
        return new long[] {hi, lo};
    }
}
