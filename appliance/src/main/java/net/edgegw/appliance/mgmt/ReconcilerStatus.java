package net.edgegw.appliance.mgmt;

import java.util.List;
import net.edgegw.appliance.daemon.Reconciler;
import net.edgegw.appliance.daemon.TunnelState;
import net.edgegw.mgmt.port.StatusSource;
import net.edgegw.mgmt.port.TunnelStatus;

/** The port's tunnel status and restart, from the {@link Reconciler}: a failed connection shows its reason. */
public final class ReconcilerStatus implements StatusSource {
    private final Reconciler reconciler;

    public ReconcilerStatus(Reconciler reconciler) {
        this.reconciler = reconciler;
    }

    @Override
    public List<TunnelStatus> tunnels() {
        return reconciler.states().stream().map(ReconcilerStatus::status).toList();
    }

    private static TunnelStatus status(TunnelState s) {
        long[] c = s.counters();
        String state = s.error().isEmpty() ? s.state() : s.state() + ": " + s.error();
        return new TunnelStatus(s.name(), state, c[0], c[1], c[2], c[3], c[4]);
    }

    @Override
    public boolean restart(String tunnel) {
        return reconciler.restart(tunnel);
    }
}
