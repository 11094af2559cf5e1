package net.edgegw.mgmt.port;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The live state of one connection's tunnel, as the appliance reports it: a {@link StateWord} and the detail that
 * goes with it, kept apart so that nobody has to split {@link #state()}.
 *
 * @param stateWord     what the tunnel is doing
 * @param detail        what goes with it, {@code ""} if nothing: the CHILD SAs' SPIs while {@code UP}
 *                      ({@code spi in 0x.. out 0x..}), the last IKE error while {@code WAITING}, {@code CONNECTING}
 *                      or {@code DOWN}, the reason of {@code FAILED}
 * @param drops         packets dropped on this tunnel's SAs, all reasons together
 * @param ike           the IKE SA, or null while there is none
 * @param children      its CHILD SAs (ESP pairs), possibly empty
 * @param dropsByReason the data plane's drop reasons ({@code REPLAY}, {@code INTEG}, ...) with their counts; only
 *                      reasons that occurred
 * @param lastError     the last failure of this connection (IKE or start) while it is not up, {@code ""} if none
 */
public record TunnelStatus(String name, StateWord stateWord, String detail, long bytesIn, long bytesOut,
                           long packetsIn, long packetsOut, long drops, IkeSaStatus ike, List<ChildSaStatus> children,
                           Map<String, Long> dropsByReason, String lastError) {

    /**
     * The words a tunnel's state is reported in: the appliance's driver and reconciler report {@code UP},
     * {@code CONNECTING}, {@code WAITING}, {@code DOWN}, {@code FAILED} and {@code NO_ENGINE}; the in-memory backend
     * (demo, tests) says {@code ESTABLISHED} for up and {@code DISABLED} for a disabled connection (the appliance
     * shows that one {@code WAITING}: start action none).
     */
    public enum StateWord {
        /** CHILD SAs installed: traffic flows (the appliance's word). */
        UP,
        /** Up, in the in-memory backend's word. */
        ESTABLISHED,
        /** Initiating: IKE_SA_INIT or IKE_AUTH under way. */
        CONNECTING,
        /** Started, not initiating: waiting for the peer or for traffic (start action none or on-traffic). */
        WAITING,
        /** Not up and not trying now: no CHILD SA (e.g. terminated by the operator, or between retries). */
        DOWN,
        /** The connection could not be started at all (the detail says why); retried by the reconciler. */
        FAILED,
        /** A disabled connection (in-memory backend). */
        DISABLED,
        /** No IKE engine in this process (not root, no /dev/net/tun, {@code --data-plane off}). */
        NO_ENGINE;

        /** Whether a tunnel in this state carries traffic. */
        public boolean up() {
            return this == UP || this == ESTABLISHED;
        }
    }

    public TunnelStatus {
        Objects.requireNonNull(stateWord, "stateWord");
        detail = detail == null ? "" : detail;
        children = List.copyOf(children);
        dropsByReason = Map.copyOf(dropsByReason);
        lastError = lastError == null ? "" : lastError;
    }

    /** Counters only, no detail and no SA details (a backend that has none). */
    public TunnelStatus(String name, StateWord stateWord, long bytesIn, long bytesOut, long packetsIn,
                        long packetsOut, long drops) {
        this(name, stateWord, "", bytesIn, bytesOut, packetsIn, packetsOut, drops, null, List.of(), Map.of(), "");
    }

    /**
     * The word and the detail in one string, {@code UP: spi in 0x.. out 0x..} or just {@code DOWN}: the API's
     * {@code state}, kept for scripts that match on it. Code reads {@link #stateWord} and {@link #detail}.
     */
    public String state() {
        return detail.isEmpty() ? stateWord.name() : stateWord.name() + ": " + detail;
    }

    /** Whether the tunnel carries traffic ({@link StateWord#up()}). */
    public boolean up() {
        return stateWord.up();
    }
}
