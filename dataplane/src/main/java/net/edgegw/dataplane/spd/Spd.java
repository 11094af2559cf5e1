package net.edgegw.dataplane.spd;

import java.util.ArrayList;
import java.util.List;

/**
 * The Security Policy Database (RFC 4301 §4.4.1): an ordered list, first match wins. Readers (packet workers)
 * see an immutable snapshot; writers (control plane) publish a new one (copy-on-write), so lookups take no lock.
 * A packet no entry matches is discarded (RFC 4301 §5.1, the implicit final DISCARD); add a catch-all BYPASS
 * entry at the end to pass unmatched traffic in clear.
 */
public final class Spd {
    private volatile Policy[] entries = new Policy[0];

    /** Adds at the end (lowest priority) unless {@code index} says where. */
    public synchronized void add(Policy p) {
        add(entries.length, p);
    }

    public synchronized void add(int index, Policy p) {
        List<Policy> l = new ArrayList<>(List.of(entries));
        for (Policy e : l) {
            if (e.name().equals(p.name())) {
                throw new IllegalArgumentException("policy '" + p.name() + "' exists");
            }
        }
        l.add(Math.min(index, l.size()), p);
        entries = l.toArray(new Policy[0]);
    }

    public synchronized boolean remove(String name) {
        List<Policy> l = new ArrayList<>(List.of(entries));
        boolean removed = l.removeIf(e -> e.name().equals(name));
        entries = l.toArray(new Policy[0]);
        return removed;
    }

    /** Replaces the whole list at once (a config commit). */
    public synchronized void replaceAll(List<Policy> policies) {
        entries = policies.toArray(new Policy[0]);
    }

    public Policy find(String name) {
        for (Policy p : entries) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    public List<Policy> list() {
        return List.of(entries);
    }

    /** First entry covering a packet leaving this gateway, or null (caller discards). */
    public Policy lookupOutbound(FlowKey k) {
        Policy[] e = entries;
        for (Policy p : e) {
            if (p.matchesOutbound(k)) {
                return p;
            }
        }
        return null;
    }

    /** First entry covering a cleartext packet arriving from the remote side, or null. */
    public Policy lookupInbound(FlowKey k) {
        Policy[] e = entries;
        for (Policy p : e) {
            if (p.matchesInbound(k)) {
                return p;
            }
        }
        return null;
    }
}
