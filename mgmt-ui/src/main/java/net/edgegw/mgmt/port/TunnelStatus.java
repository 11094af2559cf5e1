package net.edgegw.mgmt.port;

import java.util.List;
import java.util.Map;

/**
 * The live state of one connection's tunnel, as the appliance reports it.
 *
 * @param state         e.g. {@code ESTABLISHED}, {@code CONNECTING}, {@code DOWN}
 * @param drops         packets dropped on this tunnel's SAs, all reasons together
 * @param ike           the IKE SA, or null while there is none
 * @param children      its CHILD SAs (ESP pairs), possibly empty
 * @param dropsByReason the data plane's drop reasons ({@code REPLAY}, {@code INTEG}, ...) with their counts; only
 *                      reasons that occurred
 * @param lastError     the last failure of this connection (IKE or start), {@code ""} if none
 */
public record TunnelStatus(String name, String state, long bytesIn, long bytesOut, long packetsIn,
                           long packetsOut, long drops, IkeSaStatus ike, List<ChildSaStatus> children,
                           Map<String, Long> dropsByReason, String lastError) {

    public TunnelStatus {
        children = List.copyOf(children);
        dropsByReason = Map.copyOf(dropsByReason);
        lastError = lastError == null ? "" : lastError;
    }

    /**
     * Whether the tunnel carries traffic: its state word (the part before {@code ':'}; the appliance reports
     * {@code UP: spi in .. out ..}) is {@code UP} or {@code ESTABLISHED}.
     */
    public boolean up() {
        int colon = state == null ? -1 : state.indexOf(':');
        String word = state == null ? "" : (colon < 0 ? state : state.substring(0, colon)).strip();
        return word.equals("UP") || word.equals("ESTABLISHED");
    }

    /** Counters only, no SA details (a backend that has none). */
    public TunnelStatus(String name, String state, long bytesIn, long bytesOut, long packetsIn, long packetsOut,
                        long drops) {
        this(name, state, bytesIn, bytesOut, packetsIn, packetsOut, drops, null, List.of(), Map.of(), "");
    }
}
