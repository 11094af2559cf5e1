package net.edgegw.appliance.daemon;

import java.util.List;
import java.util.Map;
import net.edgegw.mgmt.port.ChildSaStatus;
import net.edgegw.mgmt.port.IkeSaStatus;

/**
 * What a driver shows of one connection's SAs: its IKE SA (null while there is none), the CHILD SAs with their
 * data-plane counters, and the drops on them by reason.
 */
public record SaView(IkeSaStatus ike, List<ChildSaStatus> children, Map<String, Long> dropsByReason) {
    public static final SaView NONE = new SaView(null, List.of(), Map.of());

    public SaView {
        children = List.copyOf(children);
        dropsByReason = Map.copyOf(dropsByReason);
    }
}
