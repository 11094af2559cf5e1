package net.edgegw.dataplane.sa;

/**
 * An SA lifetime limit (RFC 4301 §4.4.2.1): bytes, packets and seconds; 0 means no limit on that measure.
 * The soft limit asks the control plane to rekey, the hard limit deletes the SA.
 */
public record Lifetime(long bytes, long packets, long seconds) {
    public static final Lifetime NONE = new Lifetime(0, 0, 0);

    public Lifetime {
        if (bytes < 0 || packets < 0 || seconds < 0) {
            throw new IllegalArgumentException("lifetime limits must be >= 0 (0 = unlimited)");
        }
    }

    long bytesLimit() {
        return bytes == 0 ? Long.MAX_VALUE : bytes;
    }

    long packetsLimit() {
        return packets == 0 ? Long.MAX_VALUE : packets;
    }

    long nanosLimit() {
        // Beyond ~292 years the product overflows a long (and would expire the SA at once): that is "never".
        return seconds == 0 || seconds > Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : seconds * 1_000_000_000L;
    }
}
