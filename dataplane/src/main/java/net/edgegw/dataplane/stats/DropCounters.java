package net.edgegw.dataplane.stats;

import java.util.EnumMap;
import java.util.Map;

/**
 * Drop counters, one per {@link Drop} reason. Written by one thread (the owning worker), read by any:
 * readers may see a slightly stale figure, never a torn one (64-bit writes are atomic on 64-bit JVMs).
 */
public final class DropCounters {
    private final long[] counts = new long[Drop.values().length];

    public void inc(Drop d) {
        counts[d.ordinal()]++;
    }

    /** Counts {@code n} drops at once (e.g. the segments of one failed batch send). */
    public void add(Drop d, long n) {
        counts[d.ordinal()] += n;
    }

    public long get(Drop d) {
        return counts[d.ordinal()];
    }

    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** Non-zero counters by reason (for status pages, tests). */
    public Map<Drop, Long> snapshot() {
        Map<Drop, Long> m = new EnumMap<>(Drop.class);
        for (Drop d : Drop.values()) {
            long c = counts[d.ordinal()];
            if (c != 0) {
                m.put(d, c);
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
