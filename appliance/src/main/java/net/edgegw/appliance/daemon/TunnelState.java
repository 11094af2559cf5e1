package net.edgegw.appliance.daemon;

/**
 * What the reconciler knows of one connection: the state the driver reports, or {@code FAILED} with the reason
 * the driver gave, or {@code DISABLED} (start action none and never started).
 *
 * @param error    the driver's reason for FAILED, else its detail (SPIs while up, the last IKE error while not)
 * @param counters bytes in, bytes out, packets in, packets out, drops
 */
public record TunnelState(String name, String state, String error, long[] counters) {
    public static final String FAILED = "FAILED";
}
