package net.edgegw.dataplane.ipsec;

import net.edgegw.dataplane.ah.Ah;
import net.edgegw.dataplane.esp.Esp;
import net.edgegw.dataplane.packet.Packet;
import net.edgegw.dataplane.sa.SecurityAssociation;
import net.edgegw.dataplane.spd.FlowKey;
import net.edgegw.dataplane.spd.Policy;
import net.edgegw.dataplane.spd.Spd;
import net.edgegw.dataplane.stats.Drop;
import net.edgegw.dataplane.stats.DropCounters;

/**
 * Outbound IPsec processing for one worker (RFC 4301 §5.1): look the packet up in the SPD, then protect it with
 * the entry's SA, pass it in clear, or discard it. Not thread-safe: one instance per worker.
 */
public final class Outbound {
    /** What to do with the packet after {@link #process}. */
    public enum Verdict {
        /** {@code p} holds the outer packet; send it to the SA's peer ({@link #lastSa()}). */
        PROTECTED,
        /** An SPD BYPASS entry: send the packet unchanged. */
        BYPASS,
        /** Dropped; {@link #lastDrop()} says why (already counted). */
        DROP
    }

    private final Spd spd;
    private final DropCounters drops;
    private final FlowKey key = new FlowKey();
    private Drop lastDrop;
    private SecurityAssociation lastSa;

    public Outbound(Spd spd, DropCounters drops) {
        this.spd = spd;
        this.drops = drops;
    }

    public Drop lastDrop() {
        return lastDrop;
    }

    public SecurityAssociation lastSa() {
        return lastSa;
    }

    public DropCounters drops() {
        return drops;
    }

    /** SPD lookup, then the entry's action. */
    public Verdict process(Packet p) {
        Verdict v = select(p);
        return v == Verdict.PROTECTED ? protect(lastSa, p) : v;
    }

    /**
     * The SPD lookup alone: PROTECTED here means "to be protected with {@link #lastSa()}", the packet is not
     * yet touched. A multi-worker forwarder uses this to hand the packet to the worker owning that SA.
     */
    public Verdict select(Packet p) {
        if (!key.parse(p.buf, p.off, p.len)) {
            return drop(Drop.BAD_IP_HEADER);
        }
        Policy policy = spd.lookupOutbound(key);
        if (policy == null) {
            return drop(Drop.SPD_DISCARD);
        }
        switch (policy.action()) {
            case BYPASS:
                return Verdict.BYPASS;
            case DISCARD:
                return drop(Drop.SPD_DISCARD);
            default:
                SecurityAssociation sa = policy.outboundSa();
                if (sa == null) {
                    return drop(Drop.NO_SA); // no SA negotiated yet for this policy
                }
                lastSa = sa;
                return Verdict.PROTECTED;
        }
    }

    /** Protects {@code p} with {@code sa} directly (the worker that owns {@code sa} calls this). */
    public Verdict protect(SecurityAssociation sa, Packet p) {
        Drop d = sa.ah != null ? Ah.encapsulate(sa, p) : Esp.encapsulate(sa, p);
        if (d != null) {
            sa.counters.otherDrops++;
            return drop(d);
        }
        lastSa = sa;
        return Verdict.PROTECTED;
    }

    /**
     * Like {@link #protect} for a tunnel-mode ESP SA, but {@code p} ends up holding only the ESP packet: the UDP
     * socket's kernel writes the outer headers ({@link Esp#encapsulateEsp}).
     */
    public Verdict protectEsp(SecurityAssociation sa, Packet p) {
        Drop d = sa.esp == null ? Drop.UNSUPPORTED : Esp.encapsulateEsp(sa, p);
        if (d != null) {
            sa.counters.otherDrops++;
            return drop(d);
        }
        lastSa = sa;
        return Verdict.PROTECTED;
    }

    private Verdict drop(Drop d) {
        lastDrop = d;
        drops.inc(d);
        return Verdict.DROP;
    }
}
