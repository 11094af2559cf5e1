package net.edgegw.appliance.daemon;

import net.edgegw.mgmt.port.TunnelStatus.StateWord;

/**
 * What the reconciler knows of one connection: the state the driver reports, or {@link StateWord#FAILED} with the
 * reason the driver gave for not starting it.
 *
 * @param detail   the driver's reason for FAILED, else its detail (SPIs while up, the last IKE error while not)
 * @param counters bytes in, bytes out, packets in, packets out, drops
 */
public record TunnelState(String name, StateWord state, String detail, long[] counters) {
}
