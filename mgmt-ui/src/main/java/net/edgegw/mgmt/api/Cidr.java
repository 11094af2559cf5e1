package net.edgegw.mgmt.api;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 prefix in CIDR notation (RFC 4632 §3.1, RFC 4291 §2.3), host bits zero. Only literals are
 * parsed, never resolved.
 */
public record Cidr(byte[] network, int prefix) {
    private static final Pattern V4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** The parsed prefix, or {@code null} with {@code why[0]} set to the reason. */
    public static Cidr parse(String text, String[] why) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            why[0] = "must be a prefix like 10.244.0.0/16";
            return null;
        }
        byte[] addr = literal(text.substring(0, slash));
        if (addr == null) {
            why[0] = "'" + text.substring(0, slash) + "' is not an IPv4 or IPv6 address";
            return null;
        }
        String len = text.substring(slash + 1);
        int max = addr.length * 8;
        if (!len.matches("\\d{1,3}") || Integer.parseInt(len) > max) {
            why[0] = "prefix length must be 0.." + max;
            return null;
        }
        int prefix = Integer.parseInt(len);
        for (int bit = prefix; bit < max; bit++) {
            if ((addr[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                why[0] = "host bits are set (did you mean " + masked(addr, prefix) + "/" + prefix + "?)";
                return null;
            }
        }
        return new Cidr(addr, prefix);
    }

    /** The bytes of an IP literal, or null; never a DNS lookup. */
    public static byte[] literal(String s) {
        if (V4.matcher(s).matches()) {
            byte[] b = new byte[4];
            String[] parts = s.split("\\.");
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255 || (parts[i].length() > 1 && parts[i].startsWith("0"))) {
                    return null;
                }
                b[i] = (byte) v;
            }
            return b;
        }
        if (!s.contains(":") || !V6.matcher(s).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(s).getAddress(); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String masked(byte[] addr, int prefix) {
        byte[] m = addr.clone();
        for (int bit = prefix; bit < m.length * 8; bit++) {
            m[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(m).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean overlaps(Cidr other) {
        if (network.length != other.network.length) {
            return false;
        }
        int p = Math.min(prefix, other.prefix);
        int bits = network.length * 8;
        BigInteger a = new BigInteger(1, network).shiftRight(bits - p);
        BigInteger b = new BigInteger(1, other.network).shiftRight(bits - p);
        return a.equals(b);
    }
}
