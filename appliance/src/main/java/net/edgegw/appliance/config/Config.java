package net.edgegw.appliance.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The whole appliance configuration as one immutable value: what a revision of the store holds and what a commit
 * replaces. Lists keep the order they were given in; names are unique within each list once
 * {@link ConfigValidator} accepts the value.
 */
public record Config(List<Cluster> clusters, List<Peer> peers, List<Connection> connections, Settings settings,
                     List<CertificateRef> certificates) {

    public static final Config EMPTY = new Config(List.of(), List.of(), List.of(), Settings.DEFAULT, List.of());

    public Config {
        clusters = List.copyOf(clusters == null ? List.of() : clusters);
        peers = List.copyOf(peers == null ? List.of() : peers);
        connections = List.copyOf(connections == null ? List.of() : connections);
        settings = settings == null ? Settings.DEFAULT : settings;
        certificates = List.copyOf(certificates == null ? List.of() : certificates);
    }

    public Optional<Cluster> cluster(String name) {
        return clusters.stream().filter(c -> c.name() != null && c.name().equals(name)).findFirst();
    }

    public Optional<Peer> peer(String name) {
        return peers.stream().filter(p -> p.name() != null && p.name().equals(name)).findFirst();
    }

    public Optional<Connection> connection(String name) {
        return connections.stream().filter(c -> c.name() != null && c.name().equals(name)).findFirst();
    }

    public Optional<CertificateRef> certificate(String name) {
        return certificates.stream().filter(c -> c.name() != null && c.name().equals(name)).findFirst();
    }

    public Config withClusters(List<Cluster> v) {
        return new Config(v, peers, connections, settings, certificates);
    }

    public Config withPeers(List<Peer> v) {
        return new Config(clusters, v, connections, settings, certificates);
    }

    public Config withConnections(List<Connection> v) {
        return new Config(clusters, peers, v, settings, certificates);
    }

    public Config withSettings(Settings v) {
        return new Config(clusters, peers, connections, v, certificates);
    }

    public Config withCertificates(List<CertificateRef> v) {
        return new Config(clusters, peers, connections, settings, v);
    }

    /**
     * The traffic selectors of a connection: every (local CIDR, remote CIDR) pair of the same address family, in
     * canonical form, over the named clusters that exist and the CIDRs that parse. Tunnel mode takes the pod,
     * service and node CIDRs; transport mode (host-to-host) only the node CIDRs.
     */
    public List<SelectorPair> selectors(Connection c) {
        List<Cidr> local = cidrs(c.localClusters(), c.mode());
        List<Cidr> remote = cidrs(c.remoteClusters(), c.mode());
        List<SelectorPair> pairs = new ArrayList<>();
        for (Cidr l : local) {
            for (Cidr r : remote) {
                if (l.family() == r.family()) {
                    pairs.add(new SelectorPair(l.toString(), r.toString()));
                }
            }
        }
        return pairs;
    }

    List<Cidr> cidrs(List<String> clusterNames, Connection.Mode mode) {
        List<Cidr> out = new ArrayList<>();
        for (String name : clusterNames) {
            cluster(name).ifPresent(cl -> {
                for (String text : mode == Connection.Mode.TRANSPORT ? cl.nodeCidrs() : cl.allCidrs()) {
                    Cidr.parse(text).ifPresent(cidr -> {
                        if (!out.contains(cidr)) {
                            out.add(cidr);
                        }
                    });
                }
            });
        }
        return out;
    }
}
