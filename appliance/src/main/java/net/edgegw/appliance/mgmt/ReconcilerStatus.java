package net.edgegw.appliance.mgmt;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.edgegw.appliance.daemon.Reconciler;
import net.edgegw.appliance.daemon.SaView;
import net.edgegw.appliance.daemon.TunnelState;
import net.edgegw.mgmt.port.ActionResult;
import net.edgegw.mgmt.port.Diagnostics;
import net.edgegw.mgmt.port.StatusSource;
import net.edgegw.mgmt.port.TunnelStatus;

/**
 * The port's tunnel status, the operator's actions and the connections' local networks (for diagnostics), from
 * the {@link Reconciler}: a failed connection shows its reason.
 */
public final class ReconcilerStatus implements StatusSource, Diagnostics {
    private final Reconciler reconciler;

    public ReconcilerStatus(Reconciler reconciler) {
        this.reconciler = reconciler;
    }

    @Override
    public List<TunnelStatus> tunnels() {
        return reconciler.states().stream().map(s -> status(s, reconciler.sas(s.name()))).toList();
    }

    /**
     * The driver's word and detail as they are (the port joins them into {@code state} for scripts); while the
     * tunnel is not up its detail is also {@code lastError} (the start failure, or the last IKE error).
     */
    private static TunnelStatus status(TunnelState s, SaView v) {
        long[] c = s.counters();
        String lastError = s.state().up() ? "" : s.detail();
        return new TunnelStatus(s.name(), s.state(), s.detail(), c[0], c[1], c[2], c[3], c[4], v.ike(), v.children(),
                v.dropsByReason(), lastError);
    }

    @Override
    public boolean restart(String tunnel) {
        return reconciler.restart(tunnel);
    }

    @Override
    public ActionResult initiate(String tunnel) {
        return reconciler.act(tunnel, d -> d.initiate(tunnel));
    }

    @Override
    public ActionResult terminate(String tunnel) {
        return reconciler.act(tunnel, d -> d.terminate(tunnel));
    }

    @Override
    public ActionResult rekey(String tunnel, RekeyScope scope) {
        return reconciler.act(tunnel, d -> d.rekey(tunnel, scope));
    }

    @Override
    public Map<String, Long> counters() {
        return reconciler.engineCounters();
    }

    @Override
    public Optional<List<String>> localNetworks(String connection) {
        return reconciler.localNetworks(connection);
    }
}
