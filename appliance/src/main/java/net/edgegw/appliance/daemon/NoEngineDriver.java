package net.edgegw.appliance.daemon;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.edgegw.mgmt.port.TunnelStatus.StateWord;

/**
 * The driver of a build without the IKEv2 engine: it accepts every connection and reports it as
 * {@code NO_ENGINE}, so the configuration, the admin UI and the reconciler run while nothing is negotiated.
 */
public final class NoEngineDriver implements TunnelDriver {
    public static final StateWord STATE = StateWord.NO_ENGINE;

    private final Set<String> started = ConcurrentHashMap.newKeySet();

    @Override
    public String start(Tunnel t) {
        started.add(t.name());
        return null;
    }

    @Override
    public void stop(Tunnel t) {
        started.remove(t.name());
    }

    @Override
    public StateWord state(String connection) {
        return started.contains(connection) ? STATE : StateWord.DOWN;
    }

    @Override
    public void close() {
        started.clear();
    }
}
