package net.edgegw.appliance.mgmt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.edgegw.appliance.config.Cluster;
import net.edgegw.appliance.config.Config;
import net.edgegw.appliance.config.Connection;
import net.edgegw.appliance.config.Peer;
import net.edgegw.appliance.config.Secret;
import net.edgegw.mgmt.port.ConfigItem;
import net.edgegw.mgmt.port.Problem;

/**
 * Between the appliance's configuration model and the management port's flatter items. The port shows one pod,
 * service and node CIDR per cluster, one local cluster and one remote network per connection, and a peer's
 * identities, authentication and IKE proposals but not its lifetimes, DPD or NAT-T; so an edit through the port
 * keeps every field it cannot express from the current configuration (more CIDRs, remote clusters, ESP proposal
 * lists, DPD), a PSK peer written without a key keeps its key, and a list is written as its items joined by ", ". A
 * connection's remote network that no cluster holds becomes a cluster of its own, {@code <connection>-remote}
 * ({@link #REMOTE_CLUSTER_NOTE}), removed again with its last connection.
 */
final class ItemMapping {
    static final String REMOTE_CLUSTER_NOTE = "remote network of connection ";
    /** IKE proposals of a peer written through the API with {@code ikeProposals ""}: CONFIG.md's example. */
    static final List<String> DEFAULT_IKE_PROPOSALS = List.of("aes128gcm16-prfsha256-x25519",
            "aes256-sha256-modp2048");
    private static final String SEPARATOR = ", ";
    private static final Pattern FIELD = Pattern.compile("^(clusters|peers|connections)\\[([^\\]]*)\\](?:\\.(.*))?$");

    private ItemMapping() {}

    // ------------------------------------------------------------------------------------ config -> port

    static Map<ConfigItem.Kind, TreeMap<String, ConfigItem>> items(Config c) {
        Map<ConfigItem.Kind, TreeMap<String, ConfigItem>> m = new EnumMap<>(ConfigItem.Kind.class);
        for (ConfigItem.Kind k : ConfigItem.Kind.values()) {
            m.put(k, new TreeMap<>());
        }
        c.clusters().forEach(x -> m.get(ConfigItem.Kind.CLUSTER).put(x.name(), cluster(x)));
        c.peers().forEach(x -> m.get(ConfigItem.Kind.PEER).put(x.name(), peer(x)));
        c.connections().forEach(x -> m.get(ConfigItem.Kind.CONNECTION).put(x.name(), connection(c, x)));
        return m;
    }

    static net.edgegw.mgmt.port.Cluster cluster(Cluster c) {
        return new net.edgegw.mgmt.port.Cluster(c.name(), join(c.podCidrs()), join(c.serviceCidrs()),
                join(c.nodeCidrs()), text(c.description()));
    }

    static net.edgegw.mgmt.port.Peer peer(Peer p) {
        Peer.Auth a = p.auth();
        net.edgegw.mgmt.port.Peer.Auth auth = a == null || a.method() == null ? null
                : a.method() == Peer.AuthMethod.PSK ? net.edgegw.mgmt.port.Peer.Auth.PSK
                : net.edgegw.mgmt.port.Peer.Auth.CERTIFICATE;
        boolean cert = auth == net.edgegw.mgmt.port.Peer.Auth.CERTIFICATE;
        net.edgegw.mgmt.port.Secret psk = auth == net.edgegw.mgmt.port.Peer.Auth.PSK && a.psk() != null
                ? net.edgegw.mgmt.port.Secret.of(a.psk().reveal()) : null;
        return new net.edgegw.mgmt.port.Peer(p.name(), p.address(), text(p.localId()), text(p.remoteId()), auth, psk,
                cert ? text(a.certificate()) : "", cert ? text(a.ca()) : "", join(p.ikeProposals()),
                text(p.description()));
    }

    static net.edgegw.mgmt.port.Connection connection(Config cfg, Connection c) {
        return new net.edgegw.mgmt.port.Connection(c.name(), c.peer(), join(c.localClusters()), remoteNetworks(cfg, c),
                c.proposals().isEmpty() ? "" : c.proposals().get(0), c.startAction() != Connection.StartAction.NONE);
    }

    /** The CIDRs of a connection's remote clusters that its selectors use, joined. */
    private static String remoteNetworks(Config cfg, Connection c) {
        List<String> out = new ArrayList<>();
        for (String name : c.remoteClusters()) {
            cfg.cluster(name).ifPresent(cl -> out.addAll(c.mode() == Connection.Mode.TRANSPORT ? cl.nodeCidrs()
                    : cl.allCidrs()));
        }
        return join(out);
    }

    // ------------------------------------------------------------------------------------ port -> config

    static Config put(Config cfg, net.edgegw.mgmt.port.Cluster item) {
        Optional<Cluster> old = cfg.cluster(item.name());
        Cluster c = new Cluster(item.name(),
                keepOrSplit(old.map(Cluster::podCidrs), item.podCidr()),
                keepOrSplit(old.map(Cluster::serviceCidrs), item.serviceCidr()),
                keepOrSplit(old.map(Cluster::nodeCidrs), item.nodeCidr()), orNull(item.description()));
        return cfg.withClusters(replace(cfg.clusters(), c, Cluster::name));
    }

    static Config put(Config cfg, net.edgegw.mgmt.port.Peer item) {
        Optional<Peer> old = cfg.peer(item.name());
        Peer.Auth auth = auth(item, old.map(Peer::auth).orElse(null));
        List<String> proposals = item.ikeProposals().isBlank() ? DEFAULT_IKE_PROPOSALS
                : keepOrSplit(old.map(Peer::ikeProposals), item.ikeProposals());
        Peer p = old.map(o -> new Peer(o.name(), item.address(), orNull(item.localId()), orNull(item.remoteId()), auth,
                        proposals, o.ikeLifetimeSeconds(), o.dpd(), o.natTraversal(), orNull(item.description())))
                .orElseGet(() -> new Peer(item.name(), item.address(), orNull(item.localId()), orNull(item.remoteId()),
                        auth, proposals, Peer.DEFAULT_IKE_LIFETIME_SECONDS, null, null, orNull(item.description())));
        return cfg.withPeers(replace(cfg.peers(), p, Peer::name));
    }

    /** The port's authentication as the config's; a PSK peer written without a key keeps its stored key. */
    private static Peer.Auth auth(net.edgegw.mgmt.port.Peer item, Peer.Auth old) {
        if (item.auth() == null) {
            return old;
        }
        if (item.auth() == net.edgegw.mgmt.port.Peer.Auth.CERTIFICATE) {
            return Peer.Auth.certificate(orNull(item.certificate()), orNull(item.ca()));
        }
        if (item.psk() != null) {
            return Peer.Auth.psk(Secret.of(item.psk().reveal()));
        }
        return Peer.Auth.psk(old != null && old.method() == Peer.AuthMethod.PSK ? old.psk() : null);
    }

    static Config put(Config cfg, net.edgegw.mgmt.port.Connection item) {
        Optional<Connection> old = cfg.connection(item.name());
        List<String> local = old.filter(o -> join(o.localClusters()).equals(item.cluster()))
                .map(Connection::localClusters).orElse(List.of(item.cluster()));
        Config next = cfg;
        List<String> remote;
        if (old.isPresent() && remoteNetworks(cfg, old.get()).equals(item.remoteCidr())) {
            remote = old.get().remoteClusters();
        } else {
            Optional<Cluster> holder = cfg.clusters().stream()
                    .filter(cl -> cl.allCidrs().equals(List.of(item.remoteCidr())) && !local.contains(cl.name()))
                    .findFirst();
            if (holder.isPresent()) {
                remote = List.of(holder.get().name());
            } else {
                String name = remoteClusterName(item.name());
                next = next.withClusters(replace(next.clusters(), new Cluster(name, List.of(item.remoteCidr()),
                        List.of(), List.of(), REMOTE_CLUSTER_NOTE + item.name()), Cluster::name));
                remote = List.of(name);
            }
        }
        List<String> proposals = old.filter(o -> !o.proposals().isEmpty()
                && o.proposals().get(0).equals(item.espSuite())).map(Connection::proposals)
                .orElse(List.of(item.espSuite()));
        Connection.StartAction start = !item.enabled() ? Connection.StartAction.NONE
                : old.map(Connection::startAction).filter(a -> a != Connection.StartAction.NONE)
                        .orElse(Connection.StartAction.START);
        Connection c = old.map(o -> new Connection(o.name(), item.peer(), local, remote, o.protocol(), proposals,
                        o.mode(), o.lifetimes(), start, o.enforce(), o.description()))
                .orElseGet(() -> new Connection(item.name(), item.peer(), local, remote, null, proposals, null, null,
                        start, false, null));
        next = next.withConnections(replace(next.connections(), c, Connection::name));
        return dropOrphanRemoteClusters(next);
    }

    static Config delete(Config cfg, ConfigItem.Kind kind, String name) {
        return switch (kind) {
            case CLUSTER -> cfg.withClusters(cfg.clusters().stream().filter(c -> !c.name().equals(name)).toList());
            case PEER -> cfg.withPeers(cfg.peers().stream().filter(p -> !p.name().equals(name)).toList());
            case CONNECTION -> dropOrphanRemoteClusters(cfg.withConnections(
                    cfg.connections().stream().filter(c -> !c.name().equals(name)).toList()));
        };
    }

    static String remoteClusterName(String connection) {
        return connection + "-remote";
    }

    /** Removes the clusters made for a connection's remote network that no connection uses any more. */
    private static Config dropOrphanRemoteClusters(Config cfg) {
        return cfg.withClusters(cfg.clusters().stream().filter(cl -> cl.description() == null
                || !cl.description().startsWith(REMOTE_CLUSTER_NOTE)
                || cfg.connections().stream().anyMatch(c -> c.remoteClusters().contains(cl.name())
                        || c.localClusters().contains(cl.name()))).toList());
    }

    // ------------------------------------------------------------------------------------ problems

    /**
     * A validator problem in the port's terms: {@code connections[t1].localClusters[0]} becomes
     * {@code connections/t1/cluster}; a problem with a connection's own remote cluster is reported on the
     * connection's {@code remoteCidr}.
     */
    static Problem problem(Config cfg, net.edgegw.appliance.config.Problem p) {
        if (p.field().startsWith("settings.")) {
            return new Problem(p.field().substring("settings.".length()), p.message());
        }
        Matcher m = FIELD.matcher(p.field());
        if (!m.matches()) {
            return new Problem(p.field(), p.message());
        }
        String list = m.group(1);
        String name = m.group(2);
        String rest = m.group(3) == null ? "" : m.group(3);
        String first = rest.replaceFirst("[\\[.].*$", "");
        String field = switch (list + "." + first) {
            case "clusters.podCidrs" -> "podCidr";
            case "clusters.serviceCidrs" -> "serviceCidr";
            case "clusters.nodeCidrs" -> "nodeCidr";
            case "connections.localClusters" -> "cluster";
            case "connections.remoteClusters" -> "remoteCidr";
            case "connections.proposals" -> "espSuite";
            case "connections.startAction" -> "enabled";
            case "peers.ikeProposals" -> "ikeProposals";
            case "peers.auth" -> switch (rest) {
                case "auth.psk" -> "psk";
                case "auth.certificate" -> "certificate";
                case "auth.ca" -> "ca";
                default -> "auth";
            };
            default -> rest;
        };
        Optional<Cluster> own = list.equals("clusters") ? cfg.cluster(name)
                .filter(c -> c.description() != null && c.description().startsWith(REMOTE_CLUSTER_NOTE))
                : Optional.empty();
        if (own.isPresent()) {
            return new Problem("connections/" + own.get().description().substring(REMOTE_CLUSTER_NOTE.length())
                    + "/remoteCidr", p.message());
        }
        return new Problem(list + "/" + name + (field.isEmpty() ? "" : "/" + field), p.message());
    }

    // ------------------------------------------------------------------------------------ helpers

    private static <T> List<T> replace(List<T> list, T item, java.util.function.Function<T, String> name) {
        List<T> out = new ArrayList<>(list);
        for (int i = 0; i < out.size(); i++) {
            if (name.apply(out.get(i)).equals(name.apply(item))) {
                out.set(i, item);
                return out;
            }
        }
        out.add(item);
        return out;
    }

    private static List<String> keepOrSplit(Optional<List<String>> old, String text) {
        if (old.isPresent() && join(old.get()).equals(text)) {
            return old.get();
        }
        return text == null || text.isBlank() ? List.of()
                : Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    static String join(List<String> items) {
        return String.join(SEPARATOR, items);
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static String orNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
