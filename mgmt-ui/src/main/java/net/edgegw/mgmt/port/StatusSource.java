package net.edgegw.mgmt.port;

import java.util.List;

/** Live state and the operator's actions on it. */
public interface StatusSource {
    List<TunnelStatus> tunnels();

    /** Asks the appliance to re-establish a tunnel (delete its SAs and initiate); false if there is no such tunnel. */
    boolean restart(String tunnel);
}
