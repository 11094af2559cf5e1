package net.edgegw.dataplane.spd;

import java.util.List;
import net.edgegw.dataplane.sa.SecurityAssociation;

/**
 * One SPD entry (RFC 4301 §4.4.1): traffic whose source matches one of {@code local} and whose destination
 * matches one of {@code remote} (as it leaves this gateway) gets {@code action}. A PROTECT entry points at
 * its current outbound SA; a rekey swaps the SA in place (one volatile write), traffic never sees a gap.
 * An empty selector list means "any".
 */
public final class Policy {
    private final String name;
    private final List<TrafficSelector> local;
    private final List<TrafficSelector> remote;
    private final Action action;
    private volatile SecurityAssociation outboundSa;

    public Policy(String name, List<TrafficSelector> local, List<TrafficSelector> remote, Action action) {
        this.name = name;
        this.local = List.copyOf(local);
        this.remote = List.copyOf(remote);
        this.action = action;
    }

    public String name() {
        return name;
    }

    public List<TrafficSelector> local() {
        return local;
    }

    public List<TrafficSelector> remote() {
        return remote;
    }

    public Action action() {
        return action;
    }

    /** The SA PROTECT traffic goes out on, or null while none is installed (traffic is then dropped). */
    public SecurityAssociation outboundSa() {
        return outboundSa;
    }

    public void outboundSa(SecurityAssociation sa) {
        if (action != Action.PROTECT) {
            throw new IllegalStateException("policy " + name + " is " + action + ", it has no SA");
        }
        this.outboundSa = sa;
    }

    /** True if a packet leaving this gateway with this flow key is covered. */
    public boolean matchesOutbound(FlowKey k) {
        return TrafficSelector.anyMatches(local, k, true) && TrafficSelector.anyMatches(remote, k, false);
    }

    /** True if a packet arriving from the remote side with this flow key is covered. */
    public boolean matchesInbound(FlowKey k) {
        return TrafficSelector.anyMatches(remote, k, true) && TrafficSelector.anyMatches(local, k, false);
    }

    @Override
    public String toString() {
        return name + " " + local + " -> " + remote + " " + action;
    }
}
