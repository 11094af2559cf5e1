package net.edgegw.appliance.config;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import net.edgegw.dataplane.spd.TrafficSelector;

/**
 * Checks a whole {@link Config} and reports every problem it finds, each with the field it concerns: CIDR syntax,
 * unknown or ill-formed proposals, dangling references, duplicate names, overlapping traffic selectors between
 * connections, out-of-range numbers. Never throws for bad input; an empty list means the config may be committed.
 */
public final class ConfigValidator {

    // Our own limits.
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"; // RFC 1123 §2.1
    static final Pattern FQDN = Pattern.compile("(?=.{1,253}$)" + LABEL + "(\\." + LABEL + ")*\\.?");
    static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.:-]{1,15}"); // Linux IFNAMSIZ - 1
    static final int MIN_PSK_LENGTH = 16;
    static final int MAX_WORKERS = 256;
    static final int MIN_LIFETIME_SECONDS = 60;
    static final int MAX_DPD_SECONDS = 3600;
    static final int MAX_KEEPALIVE_SECONDS = 3600;
    static final int MAX_STATUS_INTERVAL_SECONDS = 86_400;

    private final List<Problem> problems = new ArrayList<>();
    private final Config config;

    private ConfigValidator(Config config) {
        this.config = config;
    }

    /** Every problem of the config, in document order; empty if it is valid. */
    public static List<Problem> validate(Config config) {
        ConfigValidator v = new ConfigValidator(config);
        v.run();
        return List.copyOf(v.problems);
    }

    private void run() {
        List<String> clusterPaths = names("clusters", config.clusters(), Cluster::name);
        List<String> peerPaths = names("peers", config.peers(), Peer::name);
        List<String> connPaths = names("connections", config.connections(), Connection::name);
        List<String> certPaths = names("certificates", config.certificates(), CertificateRef::name);
        for (int i = 0; i < config.clusters().size(); i++) {
            cluster(clusterPaths.get(i), config.clusters().get(i));
        }
        for (int i = 0; i < config.certificates().size(); i++) {
            certificate(certPaths.get(i), config.certificates().get(i));
        }
        for (int i = 0; i < config.peers().size(); i++) {
            peer(peerPaths.get(i), config.peers().get(i));
        }
        List<List<SelectorPair>> selectors = new ArrayList<>();
        for (int i = 0; i < config.connections().size(); i++) {
            Connection c = config.connections().get(i);
            connection(connPaths.get(i), c);
            selectors.add(config.selectors(c));
            for (int j = 0; j < i; j++) {
                SelectorPair[] clash = overlap(selectors.get(j), selectors.get(i));
                if (clash != null) {
                    add(connPaths.get(i), "traffic selectors overlap " + connPaths.get(j) + " on " + clash[1]
                            + (clash[1].equals(clash[0]) ? "" : " and " + clash[0])
                            + " (a packet could belong to either CHILD SA)");
                }
            }
        }
        settings(config.settings());
    }

    /**
     * The path of each entity ("clusters[onprem]", or "clusters[2]" when the name is missing or not unique), and
     * a problem for each missing, ill-formed or duplicate name.
     */
    private <T> List<String> names(String list, List<T> items, Function<T, String> name) {
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Integer> count = new HashMap<>();
        for (T t : items) {
            String n = name.apply(t);
            if (n != null) {
                count.merge(n, 1, Integer::sum);
            }
        }
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String n = name.apply(items.get(i));
            boolean unique = n != null && NAME.matcher(n).matches() && count.get(n) == 1;
            String path = list + "[" + (unique ? n : String.valueOf(i)) + "]";
            paths.add(path);
            if (n == null || n.isBlank()) {
                add(path + ".name", "a name is required");
            } else if (!NAME.matcher(n).matches()) {
                add(path + ".name", "'" + n + "' is not a valid name (letters, digits, '.', '_', '-'; at most 63;"
                        + " starting with a letter or digit)");
            } else if (seen.containsKey(n)) {
                add(path + ".name", "duplicate name '" + n + "' (also " + list + "[" + seen.get(n) + "])");
            }
            seen.putIfAbsent(n, i);
        }
        return paths;
    }

    private void cluster(String path, Cluster c) {
        cidrs(path + ".podCidrs", c.podCidrs());
        cidrs(path + ".serviceCidrs", c.serviceCidrs());
        cidrs(path + ".nodeCidrs", c.nodeCidrs());
        if (c.podCidrs().isEmpty() && c.serviceCidrs().isEmpty() && c.nodeCidrs().isEmpty()) {
            add(path, "a cluster needs at least one pod, service or node CIDR");
        }
    }

    private void cidrs(String path, List<String> cidrs) {
        for (int i = 0; i < cidrs.size(); i++) {
            String p = Cidr.problem(cidrs.get(i));
            if (p != null) {
                add(path + "[" + i + "]", p);
            }
        }
    }

    private void certificate(String path, CertificateRef c) {
        if (c.kind() == null) {
            add(path + ".kind", "kind is required (ca or gateway)");
        }
        X509Certificate cert = Pki.parseCertificate(c.certificatePem());
        if (cert == null) {
            add(path + ".certificate", "a PEM X.509 certificate is required");
        } else if (c.kind() == CertificateRef.Kind.CA && cert.getBasicConstraints() < 0) {
            add(path + ".kind", "the certificate is not a CA certificate (no basicConstraints cA)");
        }
        if (c.kind() == CertificateRef.Kind.GATEWAY && c.privateKeyPem() == null) {
            add(path + ".privateKey", "a gateway certificate needs its private key");
        }
        if (c.privateKeyPem() != null) {
            PrivateKey key = Pki.parsePrivateKey(c.privateKeyPem());
            if (key == null) {
                add(path + ".privateKey", "not a PEM private key");
            } else if (cert != null && !Pki.keyMatches(cert, key)) {
                add(path + ".privateKey", "does not belong to this certificate");
            }
        }
        if (!c.revoked().isEmpty() && (c.kind() != CertificateRef.Kind.CA || c.privateKeyPem() == null)) {
            add(path + ".revoked", "only a CA with its private key (the built-in CA) keeps revocations");
        }
        for (int i = 0; i < c.revoked().size(); i++) {
            CertificateRef.Revoked r = c.revoked().get(i);
            if (r.serial() == null || !r.serial().matches("[0-9a-f]{1,40}")) {
                add(path + ".revoked[" + i + "].serial", "a serial number in lower-case hex is required");
            }
            if (r.time() == null) {
                add(path + ".revoked[" + i + "].time", "the revocation time is required");
            }
        }
    }

    private void peer(String path, Peer p) {
        if (p.address() == null || p.address().isBlank()) {
            add(path + ".address", "the remote gateway's address or FQDN is required");
        } else if (!isAddressOrFqdn(p.address())) {
            add(path + ".address", "'" + p.address() + "' is neither an IP address literal nor a host name");
        }
        identity(path + ".localId", p.localId());
        identity(path + ".remoteId", p.remoteId());
        Peer.Auth a = p.auth();
        if (a == null || a.method() == null) {
            add(path + ".auth.method", "an authentication method is required (psk or certificate)");
        } else if (a.method() == Peer.AuthMethod.PSK) {
            if (a.psk() == null || a.psk().isBlank()) {
                add(path + ".auth.psk", "a pre-shared key is required");
            } else if (a.psk().length() < MIN_PSK_LENGTH) {
                add(path + ".auth.psk", "a pre-shared key needs at least " + MIN_PSK_LENGTH + " characters");
            }
        } else {
            reference(path + ".auth.certificate", a.certificate(), CertificateRef.Kind.GATEWAY);
            reference(path + ".auth.ca", a.ca(), CertificateRef.Kind.CA);
        }
        proposals(path + ".ikeProposals", p.ikeProposals(), Proposal.Kind.IKE);
        if (p.ikeLifetimeSeconds() < MIN_LIFETIME_SECONDS) {
            add(path + ".ikeLifetime", "must be at least " + MIN_LIFETIME_SECONDS + " seconds");
        }
        Peer.Dpd d = p.dpd();
        if (d.delaySeconds() < 0 || d.delaySeconds() > MAX_DPD_SECONDS) {
            add(path + ".dpd.delay", "must be 0 (off) .. " + MAX_DPD_SECONDS + " seconds");
        } else if (d.delaySeconds() > 0 && d.timeoutSeconds() <= d.delaySeconds()) {
            add(path + ".dpd.timeout", "must be longer than dpd.delay (" + d.delaySeconds() + " s)");
        }
        if (d.action() == null) {
            add(path + ".dpd.action", "one of restart, clear, hold");
        }
        int ka = p.natTraversal().keepaliveSeconds();
        if (ka < 0 || ka > MAX_KEEPALIVE_SECONDS) {
            add(path + ".natTraversal.keepalive", "must be 0 (off) .. " + MAX_KEEPALIVE_SECONDS + " seconds");
        }
    }

    private void reference(String path, String name, CertificateRef.Kind kind) {
        if (name == null || name.isBlank()) {
            add(path, "required with certificate authentication");
            return;
        }
        config.certificate(name).ifPresentOrElse(c -> {
            if (c.kind() != null && c.kind() != kind) {
                add(path, "certificates[" + name + "] is a " + c.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + " certificate, not a " + kind.name().toLowerCase(java.util.Locale.ROOT) + " one");
            }
        }, () -> add(path, "no certificate named '" + name + "'"));
    }

    private void identity(String path, String id) {
        if (id == null) {
            return; // defaults to the address
        }
        if (id.isBlank() || id.length() > 255) {
            add(path, "an identity is 1..255 characters (IP, FQDN, user@fqdn or a DN)");
        }
    }

    private static boolean isAddressOrFqdn(String s) {
        try {
            TrafficSelector.parseAddress(s);
            return true;
        } catch (IllegalArgumentException e) {
            return isHostName(s);
        }
    }

    /** A host name of RFC 1123 labels; all-digit dotted text ("10.1.2") is a bad address, not a name. */
    static boolean isHostName(String s) {
        return FQDN.matcher(s).matches() && !s.matches("[0-9.]+");
    }

    private void proposals(String path, List<String> proposals, Proposal.Kind kind) {
        if (proposals.isEmpty()) {
            add(path, "at least one proposal is required");
        }
        for (int i = 0; i < proposals.size(); i++) {
            Proposal.Parsed parsed = Proposal.parse(proposals.get(i), kind);
            if (!parsed.ok()) {
                add(path + "[" + i + "]", parsed.problem());
            }
        }
    }

    private void connection(String path, Connection c) {
        if (c.peer() == null || c.peer().isBlank()) {
            add(path + ".peer", "a peer is required");
        } else if (config.peer(c.peer()).isEmpty()) {
            add(path + ".peer", "no peer named '" + c.peer() + "'");
        }
        clusterRefs(path + ".localClusters", c.localClusters());
        clusterRefs(path + ".remoteClusters", c.remoteClusters());
        for (int i = 0; i < c.remoteClusters().size(); i++) {
            if (c.localClusters().contains(c.remoteClusters().get(i))) {
                add(path + ".remoteClusters[" + i + "]", "'" + c.remoteClusters().get(i)
                        + "' is also a local cluster of this connection");
            }
        }
        proposals(path + ".proposals", c.proposals(),
                c.protocol() == Connection.Protocol.AH ? Proposal.Kind.AH : Proposal.Kind.ESP);
        Connection.Lifetimes l = c.lifetimes();
        if (l.rekeySeconds() < MIN_LIFETIME_SECONDS) {
            add(path + ".lifetimes.rekeySeconds", "must be at least " + MIN_LIFETIME_SECONDS + " seconds");
        }
        if (l.lifeSeconds() <= l.rekeySeconds()) {
            add(path + ".lifetimes.lifeSeconds", "must be longer than rekeySeconds (" + l.rekeySeconds() + ")");
        }
        if (l.rekeyBytes() < 0) {
            add(path + ".lifetimes.rekeyBytes", "must be 0 (unused) or positive");
        }
        if (l.rekeyPackets() < 0) {
            add(path + ".lifetimes.rekeyPackets", "must be 0 (unused) or positive");
        }
        // selector checks only over clusters that exist and whose CIDRs all parse (those have problems of their own)
        boolean refsOk = c.localClusters().stream().allMatch(this::clusterSound)
                && c.remoteClusters().stream().allMatch(this::clusterSound);
        if (refsOk && !c.localClusters().isEmpty() && !c.remoteClusters().isEmpty()) {
            selfOverlap(path, c);
            if (config.selectors(c).isEmpty()) {
                add(path, c.mode() == Connection.Mode.TRANSPORT
                        ? "transport mode uses node CIDRs: no local/remote node CIDR pair of the same address family"
                        : "no local/remote CIDR pair of the same address family");
            }
        }
    }

    private boolean clusterSound(String name) {
        return config.cluster(name).map(cl -> cl.allCidrs().stream().allMatch(t -> Cidr.problem(t) == null))
                .orElse(false);
    }

    private void clusterRefs(String path, List<String> names) {
        if (names.isEmpty()) {
            add(path, "at least one cluster is required");
        }
        for (int i = 0; i < names.size(); i++) {
            if (config.cluster(names.get(i)).isEmpty()) {
                add(path + "[" + i + "]", "no cluster named '" + names.get(i) + "'");
            }
        }
    }

    /** A local CIDR that overlaps a remote one would send a site's own traffic into the tunnel. */
    private void selfOverlap(String path, Connection c) {
        for (Cidr l : config.cidrs(c.localClusters(), c.mode())) {
            for (Cidr r : config.cidrs(c.remoteClusters(), c.mode())) {
                if (l.overlaps(r)) {
                    add(path + ".remoteClusters", "remote " + r + " overlaps local " + l);
                    return;
                }
            }
        }
    }

    /** The first pair of selector pairs (one of a, one of b) that overlap on both sides, or null. */
    private static SelectorPair[] overlap(List<SelectorPair> a, List<SelectorPair> b) {
        for (SelectorPair x : a) {
            for (SelectorPair y : b) {
                if (overlaps(x.local(), y.local()) && overlaps(x.remote(), y.remote())) {
                    return new SelectorPair[] {x, y};
                }
            }
        }
        return null;
    }

    private static boolean overlaps(String a, String b) {
        return Cidr.parse(a).orElseThrow().overlaps(Cidr.parse(b).orElseThrow());
    }

    private void settings(Settings s) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < s.interfaces().size(); i++) {
            Settings.NetworkInterface nif = s.interfaces().get(i);
            String path = "settings.interfaces[" + i + "]";
            if (nif.name() == null || !IFNAME.matcher(nif.name()).matches()) {
                add(path + ".name", "an interface name of 1..15 characters is required");
            } else if (seen.putIfAbsent(nif.name(), i) != null) {
                add(path + ".name", "interface '" + nif.name() + "' already has a role (settings.interfaces["
                        + seen.get(nif.name()) + "])");
            }
            if (nif.role() == null) {
                add(path + ".role", "one of wan, lan, mgmt");
            }
        }
        int w = s.dataPlane().workers();
        if (w < 0 || w > MAX_WORKERS) {
            add("settings.dataPlane.workers", "must be 0 (one per core) .. " + MAX_WORKERS);
        }
        int si = s.logging().statusIntervalSeconds();
        if (si < 0 || si > MAX_STATUS_INTERVAL_SECONDS) {
            add("settings.logging.statusInterval", "must be 0 (off) .. " + MAX_STATUS_INTERVAL_SECONDS + " seconds");
        }
    }

    private void add(String field, String message) {
        problems.add(new Problem(field, message));
    }
}
