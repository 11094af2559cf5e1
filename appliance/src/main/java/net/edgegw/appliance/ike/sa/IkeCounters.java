package net.edgegw.appliance.ike.sa;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * One engine's {@link IkeCounter}s since start: bumped on the IKE thread where each event happens, read by the
 * metrics path from any thread. Counts exchanges and drops of IKE messages, a few per second at most.
 */
public final class IkeCounters {
    private static final IkeCounter[] ALL = IkeCounter.values();

    private final LongAdder[] counts = new LongAdder[ALL.length];

    public IkeCounters() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    public void bump(IkeCounter c) {
        counts[c.ordinal()].increment();
    }

    public long get(IkeCounter c) {
        return counts[c.ordinal()].sum();
    }

    /** Every counter by its {@link IkeCounter#metric} name, zeros included, in declaration order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (IkeCounter c : ALL) {
            m.put(c.metric(), get(c));
        }
        return m;
    }
}
