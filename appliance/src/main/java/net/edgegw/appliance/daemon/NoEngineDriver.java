package net.edgegw.appliance.daemon;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The driver of a build without the IKEv2 engine: it accepts every connection and reports it as
 * {@value #STATE}, so the configuration, the admin UI and the reconciler run while nothing is negotiated.
 */
public final class NoEngineDriver implements TunnelDriver {
    public static final String STATE = "NO_ENGINE";

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
    public String state(String connection) {
        return started.contains(connection) ? STATE : "DOWN";
    }

    @Override
    public void close() {
        started.clear();
    }
}
