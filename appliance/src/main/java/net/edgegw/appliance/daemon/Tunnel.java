package net.edgegw.appliance.daemon;

import java.util.ArrayList;
import java.util.List;
import net.edgegw.appliance.config.CertificateRef;
import net.edgegw.appliance.config.Config;
import net.edgegw.appliance.config.Connection;
import net.edgegw.appliance.config.Peer;
import net.edgegw.appliance.config.SelectorPair;

/**
 * One connection with everything it depends on resolved from the configuration: its peer, its traffic selectors
 * (from the clusters' CIDRs) and the certificates its peer authenticates with. Two equal {@code Tunnel}s need the
 * same running state, so the reconciler compares these, not connections: editing a peer or a cluster touches
 * exactly the connections that use it.
 */
public record Tunnel(Connection connection, Peer peer, List<SelectorPair> selectors,
                     List<CertificateRef> certificates) {

    public Tunnel {
        selectors = List.copyOf(selectors);
        certificates = List.copyOf(certificates);
    }

    public String name() {
        return connection.name();
    }

    /** The tunnels of a validated configuration, in its order. */
    public static List<Tunnel> of(Config config) {
        List<Tunnel> out = new ArrayList<>();
        for (Connection c : config.connections()) {
            Peer p = config.peer(c.peer()).orElseThrow(() -> new IllegalArgumentException(
                    "connection " + c.name() + " names peer " + c.peer() + ", which a validated config has"));
            List<CertificateRef> certs = new ArrayList<>();
            if (p.auth() != null) {
                for (String name : new String[] {p.auth().certificate(), p.auth().ca()}) {
                    if (name != null) {
                        config.certificate(name).ifPresent(certs::add);
                    }
                }
            }
            out.add(new Tunnel(c, p, config.selectors(c), certs));
        }
        return out;
    }
}
