package net.edgegw.mgmt.port;

import java.util.List;
import java.util.Map;

/** Live state and the operator's actions on it. */
public interface StatusSource {
    /** What a rekey renews: the IKE SA, its CHILD SAs, or both. */
    enum RekeyScope { IKE, CHILD, BOTH }

    List<TunnelStatus> tunnels();

    /** Asks the appliance to re-establish a tunnel (delete its SAs and initiate); false if there is no such tunnel. */
    boolean restart(String tunnel);

    /** Brings a tunnel up now (IKE_SA_INIT is sent; the status shows the outcome), also after {@link #terminate}. */
    default ActionResult initiate(String tunnel) {
        return ActionResult.conflict("this backend cannot initiate tunnels");
    }

    /** Deletes the tunnel's SAs (IKE Delete) and keeps it down until {@link #initiate} or a restart. */
    default ActionResult terminate(String tunnel) {
        return ActionResult.conflict("this backend cannot terminate tunnels");
    }

    /** Rekeys the tunnel's established IKE SA and/or its CHILD SAs (make-before-break, RFC 7296 §2.8). */
    default ActionResult rekey(String tunnel, RekeyScope scope) {
        return ActionResult.conflict("this backend cannot rekey tunnels");
    }

    /**
     * Engine-wide counters since start for {@code /metrics}, by snake_case name (e.g. {@code ike_rekeys},
     * {@code ike_auth_failures}, {@code ike_malformed}); empty when the backend has none.
     */
    default Map<String, Long> counters() {
        return Map.of();
    }
}
