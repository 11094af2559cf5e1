package net.edgegw.mgmt.port;

import java.util.List;
import java.util.Optional;

/** What the diagnostics (ping through a tunnel) need from the appliance. */
public interface Diagnostics {
    Diagnostics NONE = connection -> Optional.empty();

    /**
     * The local networks (CIDRs of the local traffic selectors) of a configured connection, empty if there is no
     * such connection. A ping through the tunnel must leave from one of this host's addresses inside them.
     */
    Optional<List<String>> localNetworks(String connection);
}
