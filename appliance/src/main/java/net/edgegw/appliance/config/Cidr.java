package net.edgegw.appliance.config;

import java.util.Arrays;
import java.util.Optional;
import net.edgegw.dataplane.spd.TrafficSelector;

/**
 * An IPv4 or IPv6 prefix ("10.244.0.0/16", "fd00:10::/56") as the configuration writes it, parsed with the data
 * plane's literal-only address parser (never a name lookup). Host bits must be zero: "10.244.1.5/16" is refused
 * rather than silently widened.
 */
public record Cidr(TrafficSelector range, int prefix) {

    /** The CIDR, or empty if {@link #problem(String)} has something to say about it. */
    public static Optional<Cidr> parse(String text) {
        return problem(text) == null ? Optional.of(of(text)) : Optional.empty();
    }

    /** What is wrong with the text as a CIDR, or null if nothing is. */
    public static String problem(String text) {
        if (text == null || text.isBlank()) {
            return "empty CIDR";
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            return "not a CIDR (address/prefix-length expected): '" + text + "'";
        }
        byte[] addr;
        try {
            addr = TrafficSelector.parseAddress(text.substring(0, slash));
        } catch (IllegalArgumentException e) {
            return "not an IP address literal: '" + text.substring(0, slash) + "'";
        }
        String p = text.substring(slash + 1);
        int bits = addr.length * 8;
        if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > bits) {
            return "prefix length must be 0.." + bits + ": '" + text + "'";
        }
        Cidr c = of(text);
        if (!Arrays.equals(c.range.startAddress(), addr)) {
            return "host bits set in '" + text + "' (did you mean " + c + "?)";
        }
        return null;
    }

    private static Cidr of(String text) {
        int slash = text.indexOf('/');
        return new Cidr(TrafficSelector.cidr(text), Integer.parseInt(text.substring(slash + 1)));
    }

    public int family() {
        return range.family();
    }

    /** True if the two prefixes share at least one address. */
    public boolean overlaps(Cidr o) {
        return family() == o.family()
                && compare(range.startHi(), range.startLo(), o.range.endHi(), o.range.endLo()) <= 0
                && compare(o.range.startHi(), o.range.startLo(), range.endHi(), range.endLo()) <= 0;
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    /** Canonical form: the address as {@link java.net.InetAddress} prints it, then the prefix length. */
    @Override
    public String toString() {
        String s = range.toString();
        return s.substring(0, s.indexOf('-')) + "/" + prefix;
    }
}
