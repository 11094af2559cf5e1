package net.edgegw.appliance.daemon;

import java.util.Map;
import net.edgegw.mgmt.port.ActionResult;
import net.edgegw.mgmt.port.StatusSource;
import net.edgegw.mgmt.port.TunnelStatus.StateWord;

/**
 * The seam between the reconciler and whatever brings tunnels up (the IKEv2 engine and the data plane): start,
 * change and stop one connection. Calls come from the reconciler's thread, one at a time, and must not block on
 * the network (an IKE initiation is started, not awaited). A driver reports a connection it cannot run by
 * returning a reason, never by throwing; the reconciler keeps that reason as the connection's status.
 */
public interface TunnelDriver extends AutoCloseable {

    /**
     * Brings {@code t} up (start action start), or arms it to wait for traffic or the peer (on-traffic, none).
     *
     * @return null when accepted, else why not (shown to the operator)
     */
    String start(Tunnel t);

    /** Moves a running connection from {@code before} to {@code after}; by default it is stopped and started. */
    default String update(Tunnel before, Tunnel after) {
        stop(before);
        return start(after);
    }

    /** Takes {@code t} down (an IKE driver sends its deletes) and forgets it. */
    void stop(Tunnel t);

    /** The live state of a started connection: UP, CONNECTING, WAITING, DOWN (NO_ENGINE without an engine). */
    StateWord state(String connection);

    /**
     * What goes with the state, reported beside it (never folded into it): e.g. the CHILD SA's SPIs while up, the
     * last error while not; empty if nothing.
     */
    default String detail(String connection) {
        return "";
    }

    /** Counters of a started connection: bytes in, bytes out, packets in, packets out, drops. */
    default long[] counters(String connection) {
        return new long[5];
    }

    /** The SAs of a started connection, for the operator; {@link SaView#NONE} if the driver has none. */
    default SaView sas(String connection) {
        return SaView.NONE;
    }

    /** Initiates a started connection now (also one the operator terminated). */
    default ActionResult initiate(String connection) {
        return ActionResult.conflict("this driver does not negotiate tunnels");
    }

    /** Deletes the connection's SAs and does not initiate again until {@link #initiate} or a restart. */
    default ActionResult terminate(String connection) {
        return ActionResult.conflict("this driver does not negotiate tunnels");
    }

    /** Rekeys the connection's established IKE SA and/or its CHILD SAs. */
    default ActionResult rekey(String connection, StatusSource.RekeyScope scope) {
        return ActionResult.conflict("this driver does not negotiate tunnels");
    }

    /** Engine-wide counters since start (rekeys, authentication failures, drops by reason...), by snake_case name. */
    default Map<String, Long> engineCounters() {
        return Map.of();
    }

    /** Stops every connection (at shutdown). */
    @Override
    void close();
}
