package net.edgegw.mgmt.port;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The backend in memory: full snapshots per revision, one lock. Used by the tests and by the standalone
 * {@code main}; the appliance plugs its H2 store in instead. It validates what any store must: deletes name an
 * existing item, connections reference an existing peer and cluster, peers have their PSK or name existing
 * certificates of the right kind. Certificates are put in by {@link #putCertificate} (tests); making them (a CA,
 * issuing, CSRs, imports) needs the appliance's PKI and is refused here.
 */
public final class InMemoryBackend implements Backend, ConfigStore, StatusSource, UserDirectory, AuditLog,
        LogSource, Diagnostics {
    private static final int AUDIT_KEEP = 10_000;
    private static final int LOG_KEEP = 1000;

    private final Clock clock;
    private final List<Snapshot> snapshots = new ArrayList<>();
    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<String, ApiToken> tokens = new LinkedHashMap<>();
    private final List<AuditEvent> audit = new ArrayList<>();
    private final Map<String, TunnelStatus> liveStatus = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> restarts = new ConcurrentHashMap<>();
    private final Map<String, CertificateInfo> certificates = new TreeMap<>();
    private final Map<String, String> certificatePems = new TreeMap<>();
    private final Map<String, String> csrPems = new TreeMap<>();
    private final CertificateStore certificateStore = new Certificates();
    private Settings settings = Settings.DEFAULT;
    private final SettingsStore settingsStore = new SettingsStore() {
        @Override
        public Settings settings() {
            synchronized (InMemoryBackend.this) {
                return settings;
            }
        }

        @Override
        public CommitResult replace(Settings next, String author, String source) {
            synchronized (InMemoryBackend.this) {
                settings = next;
                return new CommitResult.Committed(append(copy(headSnapshot().items()), author, "update settings",
                        source));
            }
        }
    };
    /** Tunnels the operator terminated: DOWN until initiated. */
    private final Set<String> terminated = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> rekeys = new ConcurrentHashMap<>();
    private final LogBuffer log = new LogBuffer(LOG_KEEP);
    private final FakeSystemControl system = new FakeSystemControl(
            java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "edgegw-fake-uploads"));

    private record Snapshot(Revision revision, Map<ConfigItem.Kind, TreeMap<String, ConfigItem>> items) {
    }

    public InMemoryBackend() {
        this(Clock.systemUTC());
    }

    public InMemoryBackend(Clock clock) {
        this.clock = clock;
        snapshots.add(new Snapshot(new Revision(0, clock.instant(), "-", "empty configuration", "init"), empty()));
    }

    private static Map<ConfigItem.Kind, TreeMap<String, ConfigItem>> empty() {
        Map<ConfigItem.Kind, TreeMap<String, ConfigItem>> m = new EnumMap<>(ConfigItem.Kind.class);
        for (ConfigItem.Kind k : ConfigItem.Kind.values()) {
            m.put(k, new TreeMap<>());
        }
        return m;
    }

    private static Map<ConfigItem.Kind, TreeMap<String, ConfigItem>> copy(
            Map<ConfigItem.Kind, TreeMap<String, ConfigItem>> items) {
        Map<ConfigItem.Kind, TreeMap<String, ConfigItem>> m = new EnumMap<>(ConfigItem.Kind.class);
        items.forEach((k, v) -> m.put(k, new TreeMap<>(v)));
        return m;
    }

    @Override
    public ConfigStore config() {
        return this;
    }

    @Override
    public StatusSource status() {
        return this;
    }

    @Override
    public UserDirectory users() {
        return this;
    }

    @Override
    public AuditLog audit() {
        return this;
    }

    @Override
    public CertificateStore certificates() {
        return certificateStore;
    }

    @Override
    public SettingsStore settings() {
        return settingsStore;
    }

    @Override
    public LogSource logs() {
        return this;
    }

    @Override
    public Diagnostics diagnostics() {
        return this;
    }

    @Override
    public FakeSystemControl system() {
        return system;
    }

    // ---- ConfigStore

    private Snapshot headSnapshot() {
        return snapshots.get(snapshots.size() - 1);
    }

    @Override
    public synchronized long head() {
        return headSnapshot().revision().number();
    }

    @Override
    public synchronized List<ConfigItem> list(ConfigItem.Kind kind) {
        return List.copyOf(headSnapshot().items().get(kind).values());
    }

    @Override
    public synchronized Optional<ConfigItem> get(ConfigItem.Kind kind, String name) {
        return Optional.ofNullable(headSnapshot().items().get(kind).get(name));
    }

    @Override
    public synchronized CommitResult commit(List<Change> changes, String author, String comment, String source) {
        if (changes.isEmpty()) {
            return new CommitResult.Rejected(List.of(new Problem("changes", "nothing to commit")));
        }
        Map<ConfigItem.Kind, TreeMap<String, ConfigItem>> next = copy(headSnapshot().items());
        List<Problem> problems = new ArrayList<>();
        for (Change c : changes) {
            TreeMap<String, ConfigItem> m = next.get(c.kind());
            String at = c.kind().path() + "/" + c.name();
            switch (c.op()) {
                case CREATE -> {
                    if (m.putIfAbsent(c.name(), c.item()) != null) {
                        problems.add(new Problem(at, "exists already"));
                    }
                }
                case REPLACE -> {
                    if (m.replace(c.name(), keepSecrets(m.get(c.name()), c.item())) == null) {
                        problems.add(new Problem(at, "does not exist"));
                    }
                }
                case DELETE -> {
                    if (m.remove(c.name()) == null) {
                        problems.add(new Problem(at, "does not exist"));
                    }
                }
            }
        }
        problems.addAll(references(next, certificates));
        if (!problems.isEmpty()) {
            return new CommitResult.Rejected(problems);
        }
        return new CommitResult.Committed(append(next, author, comment, source));
    }

    private long append(Map<ConfigItem.Kind, TreeMap<String, ConfigItem>> items, String author, String comment,
                        String source) {
        long n = head() + 1;
        snapshots.add(new Snapshot(new Revision(n, clock.instant(), author, comment, source), items));
        return n;
    }

    /** A replaced peer without a PSK keeps the one it had (the API never shows it, so cannot send it back). */
    private static ConfigItem keepSecrets(ConfigItem old, ConfigItem next) {
        if (next instanceof Peer p && p.auth() == Peer.Auth.PSK && p.psk() == null && old instanceof Peer o) {
            return p.withPsk(o.psk());
        }
        return next;
    }

    private static List<Problem> references(Map<ConfigItem.Kind, TreeMap<String, ConfigItem>> items,
                                            Map<String, CertificateInfo> certs) {
        List<Problem> problems = new ArrayList<>();
        for (ConfigItem item : items.get(ConfigItem.Kind.PEER).values()) {
            Peer p = (Peer) item;
            String at = ConfigItem.Kind.PEER.path() + "/" + p.name() + "/";
            if (p.auth() == null) {
                problems.add(new Problem(at + "auth", "an authentication method is required (psk or certificate)"));
            } else if (p.auth() == Peer.Auth.PSK && p.psk() == null) {
                problems.add(new Problem(at + "psk", "a pre-shared key is required"));
            } else if (p.auth() == Peer.Auth.CERTIFICATE) {
                reference(certs, p.certificate(), CertificateInfo.Kind.GATEWAY, at + "certificate", problems);
                reference(certs, p.ca(), CertificateInfo.Kind.CA, at + "ca", problems);
            }
        }
        for (ConfigItem item : items.get(ConfigItem.Kind.CONNECTION).values()) {
            Connection c = (Connection) item;
            String at = ConfigItem.Kind.CONNECTION.path() + "/" + c.name() + "/";
            if (!items.get(ConfigItem.Kind.PEER).containsKey(c.peer())) {
                problems.add(new Problem(at + "peer", "no peer named '" + c.peer() + "'"));
            }
            if (!items.get(ConfigItem.Kind.CLUSTER).containsKey(c.cluster())) {
                problems.add(new Problem(at + "cluster", "no cluster named '" + c.cluster() + "'"));
            }
        }
        return problems;
    }

    private static void reference(Map<String, CertificateInfo> certs, String name, CertificateInfo.Kind kind,
                                  String at, List<Problem> problems) {
        CertificateInfo c = certs.get(name);
        if (name.isBlank()) {
            problems.add(new Problem(at, "required with certificate authentication"));
        } else if (c == null) {
            problems.add(new Problem(at, "no certificate named '" + name + "'"));
        } else if (c.kind() != kind) {
            problems.add(new Problem(at, "'" + name + "' is a " + c.kind().name().toLowerCase() + " certificate, not a "
                    + kind.name().toLowerCase() + " one"));
        }
    }

    @Override
    public synchronized List<Revision> revisions(int limit) {
        List<Revision> out = new ArrayList<>();
        for (int i = snapshots.size() - 1; i >= 0 && out.size() < limit; i--) {
            out.add(snapshots.get(i).revision());
        }
        return out;
    }

    @Override
    public synchronized Optional<Revision> revision(long number) {
        return snapshot(number).map(Snapshot::revision);
    }

    private Optional<Snapshot> snapshot(long number) {
        return number < 0 || number >= snapshots.size() ? Optional.empty()
                : Optional.of(snapshots.get((int) number));
    }

    @Override
    public synchronized Optional<List<DiffEntry>> diff(long number) {
        Optional<Snapshot> after = snapshot(number);
        if (after.isEmpty()) {
            return Optional.empty();
        }
        Map<ConfigItem.Kind, TreeMap<String, ConfigItem>> before = number == 0 ? empty()
                : snapshots.get((int) number - 1).items();
        List<DiffEntry> out = new ArrayList<>();
        for (ConfigItem.Kind k : ConfigItem.Kind.values()) {
            TreeMap<String, ConfigItem> b = before.get(k);
            TreeMap<String, ConfigItem> a = after.get().items().get(k);
            TreeMap<String, Boolean> names = new TreeMap<>();
            b.keySet().forEach(n -> names.put(n, true));
            a.keySet().forEach(n -> names.put(n, true));
            for (String n : names.keySet()) {
                if (!Objects.equals(b.get(n), a.get(n))) {
                    out.add(new DiffEntry(k, n, b.get(n), a.get(n)));
                }
            }
        }
        return Optional.of(out);
    }

    @Override
    public synchronized CommitResult rollback(long number, String author, String comment, String source) {
        Optional<Snapshot> target = snapshot(number);
        if (target.isEmpty()) {
            return new CommitResult.Rejected(List.of(new Problem("revision", "no revision " + number)));
        }
        return new CommitResult.Committed(append(copy(target.get().items()), author, comment, source));
    }

    // ---- ConfigDocuments

    /**
     * The port's items written in the appliance's YAML shape (lists of one CIDR, proposals split), secrets left
     * out; loading needs the appliance's YAML reader and is refused.
     */
    record Documents(ConfigStore store, SettingsStore settings) implements ConfigDocuments {
        @Override
        public String export(String author, String source) {
            StringBuilder b = new StringBuilder("version: 1\nclusters:\n");
            for (ConfigItem i : store.list(ConfigItem.Kind.CLUSTER)) {
                Cluster c = (Cluster) i;
                b.append("  - name: ").append(c.name()).append("\n    podCidrs: ").append(list(c.podCidr()))
                        .append("\n    serviceCidrs: ").append(list(c.serviceCidr()))
                        .append("\n    nodeCidrs: ").append(list(c.nodeCidr())).append('\n');
            }
            b.append("peers:\n");
            for (ConfigItem i : store.list(ConfigItem.Kind.PEER)) {
                Peer p = (Peer) i;
                b.append("  - name: ").append(p.name()).append("\n    address: ").append(p.address())
                        .append("\n    remoteId: \"").append(p.remoteId()).append("\"\n    auth: {method: ")
                        .append(p.auth() == null ? "psk" : p.auth().id())
                        .append(p.auth() == Peer.Auth.CERTIFICATE ? ", certificate: " + p.certificate() + ", ca: "
                                + p.ca() : "").append("}\n    ikeProposals: ").append(list(p.ikeProposals()))
                        .append('\n');
            }
            b.append("connections:\n");
            for (ConfigItem i : store.list(ConfigItem.Kind.CONNECTION)) {
                Connection c = (Connection) i;
                b.append("  - name: ").append(c.name()).append("\n    peer: ").append(c.peer())
                        .append("\n    localClusters: [").append(c.cluster()).append("]\n    proposals: [")
                        .append(c.espSuite()).append("]\n    startAction: ").append(c.enabled() ? "start" : "none")
                        .append('\n');
            }
            Settings s = settings.settings();
            b.append("settings:\n  interfaces:\n");
            s.interfaces().forEach(n -> b.append("    - {name: ").append(n.name()).append(", role: ")
                    .append(n.role()).append("}\n"));
            return b.append("  dataPlane: {backend: ").append(s.backend()).append(", workers: ").append(s.workers())
                    .append("}\n  logging: {level: ").append(s.logLevel()).append(", statusInterval: ")
                    .append(s.statusIntervalSeconds()).append("}\n").toString();
        }

        private static String list(String joined) {
            return "[" + joined.replace(",", ", ").replaceAll(" +", " ").strip() + "]";
        }

        @Override
        public CommitResult load(String yaml, Mode mode, String author, String source) {
            return CertificateStore.refused();
        }
    }

    // ---- CertificateStore

    /**
     * Adds (or replaces) a certificate as if it had been made or imported (tests, demo), with the request
     * {@link CertificateStore#csr} answers for its key ({@code null}: none).
     */
    public synchronized void putCertificate(CertificateInfo info, String pem, String csrPem) {
        certificates.put(info.name(), info);
        certificatePems.put(info.name(), pem);
        if (csrPem != null) {
            csrPems.put(info.name(), csrPem);
        }
    }

    private List<String> usedBy(String certificate) {
        return list(ConfigItem.Kind.PEER).stream().map(Peer.class::cast)
                .filter(p -> p.auth() == Peer.Auth.CERTIFICATE
                        && (p.certificate().equals(certificate) || p.ca().equals(certificate)))
                .map(Peer::name).toList();
    }

    private CertificateInfo withUse(CertificateInfo c) {
        return new CertificateInfo(c.name(), c.kind(), c.subject(), c.issuer(), c.serial(), c.notBefore(),
                c.notAfter(), c.subjectAltNames(), c.hasKey(), c.selfSigned(), usedBy(c.name()));
    }

    private final class Certificates implements CertificateStore {
        @Override
        public List<CertificateInfo> list() {
            synchronized (InMemoryBackend.this) {
                return certificates.values().stream().map(InMemoryBackend.this::withUse).toList();
            }
        }

        @Override
        public Optional<CertificateInfo> get(String name) {
            synchronized (InMemoryBackend.this) {
                return Optional.ofNullable(certificates.get(name)).map(InMemoryBackend.this::withUse);
            }
        }

        @Override
        public Optional<String> pem(String name) {
            synchronized (InMemoryBackend.this) {
                return Optional.ofNullable(certificatePems.get(name));
            }
        }

        @Override
        public Optional<String> csr(String name) {
            synchronized (InMemoryBackend.this) {
                return Optional.ofNullable(csrPems.get(name));
            }
        }

        @Override
        public CommitResult delete(String name, String author, String source) {
            synchronized (InMemoryBackend.this) {
                return deleteCertificate(name, author, source);
            }
        }
    }

    private CommitResult deleteCertificate(String name, String author, String source) {
        if (!certificates.containsKey(name)) {
            return new CommitResult.Rejected(List.of(new Problem("name", "no certificate named '" + name + "'")));
        }
        List<String> users = usedBy(name);
        if (!users.isEmpty()) {
            return new CommitResult.Rejected(List.of(new Problem("name", "used by peer(s) " + String.join(", ", users))));
        }
        certificates.remove(name);
        certificatePems.remove(name);
        csrPems.remove(name);
        return new CommitResult.Committed(append(copy(headSnapshot().items()), author, "delete certificate " + name,
                source));
    }

    // ---- StatusSource

    /** Sets what {@link #tunnels()} reports for one tunnel (tests, demo). */
    public void setTunnelStatus(TunnelStatus status) {
        liveStatus.put(status.name(), status);
    }

    /** How many times {@link #restart} was asked for {@code tunnel}. */
    public int restartCount(String tunnel) {
        AtomicInteger n = restarts.get(tunnel);
        return n == null ? 0 : n.get();
    }

    @Override
    public List<TunnelStatus> tunnels() {
        List<TunnelStatus> out = new ArrayList<>();
        for (ConfigItem item : list(ConfigItem.Kind.CONNECTION)) {
            Connection c = (Connection) item;
            TunnelStatus live = liveStatus.get(c.name());
            if (terminated.contains(c.name())) {
                out.add(new TunnelStatus(c.name(), TunnelStatus.StateWord.DOWN, "", 0, 0, 0, 0, 0, null, List.of(),
                        Map.of(), "terminated by the operator"));
            } else {
                out.add(live != null ? live
                        : new TunnelStatus(c.name(), c.enabled() ? TunnelStatus.StateWord.CONNECTING
                                : TunnelStatus.StateWord.DISABLED, 0, 0, 0, 0, 0));
            }
        }
        return out;
    }

    @Override
    public boolean restart(String tunnel) {
        if (get(ConfigItem.Kind.CONNECTION, tunnel).isEmpty()) {
            return false;
        }
        terminated.remove(tunnel);
        restarts.computeIfAbsent(tunnel, t -> new AtomicInteger()).incrementAndGet();
        return true;
    }

    @Override
    public ActionResult initiate(String tunnel) {
        if (get(ConfigItem.Kind.CONNECTION, tunnel).isEmpty()) {
            return ActionResult.notFound();
        }
        terminated.remove(tunnel);
        return ActionResult.accepted("initiating");
    }

    @Override
    public ActionResult terminate(String tunnel) {
        if (get(ConfigItem.Kind.CONNECTION, tunnel).isEmpty()) {
            return ActionResult.notFound();
        }
        terminated.add(tunnel);
        return ActionResult.accepted("IKE SA deleted");
    }

    /** A rekey needs an IKE SA: the fake has one when {@link #setTunnelStatus} gave the tunnel one. */
    @Override
    public ActionResult rekey(String tunnel, RekeyScope scope) {
        if (get(ConfigItem.Kind.CONNECTION, tunnel).isEmpty()) {
            return ActionResult.notFound();
        }
        TunnelStatus live = liveStatus.get(tunnel);
        if (terminated.contains(tunnel) || live == null || live.ike() == null) {
            return ActionResult.conflict("no established IKE SA to rekey");
        }
        rekeys.computeIfAbsent(tunnel + "/" + scope, t -> new AtomicInteger()).incrementAndGet();
        return ActionResult.accepted("rekeying " + scope);
    }

    /** How many times {@link #rekey} was accepted for {@code tunnel} and {@code scope}. */
    public int rekeyCount(String tunnel, RekeyScope scope) {
        AtomicInteger n = rekeys.get(tunnel + "/" + scope);
        return n == null ? 0 : n.get();
    }

    @Override
    public Map<String, Long> counters() {
        long n = rekeys.values().stream().mapToLong(AtomicInteger::get).sum();
        return Map.of("ike_rekeys", n);
    }

    // ---- LogSource

    /** Keeps a log record (the last {@value #LOG_KEEP}), as the appliance's log handler does. */
    public void addLog(String level, String logger, String message) {
        log.add(clock.instant(), level, logger, message);
    }

    @Override
    public List<LogEntry> logs(LogQuery q) {
        return log.logs(q);
    }

    // ---- Diagnostics

    /** The connection's cluster networks (pod, service, node). */
    @Override
    public Optional<List<String>> localNetworks(String connection) {
        return get(ConfigItem.Kind.CONNECTION, connection).map(c -> get(ConfigItem.Kind.CLUSTER,
                ((Connection) c).cluster()).map(k -> {
                    Cluster cl = (Cluster) k;
                    return java.util.stream.Stream.of(cl.podCidr(), cl.serviceCidr(), cl.nodeCidr())
                            .filter(x -> x != null && !x.isEmpty()).toList();
                }).orElse(List.of()));
    }

    // ---- UserDirectory (every method holds this object's lock, so the *KeepingAnAdmin defaults are atomic here)

    @Override
    public synchronized List<User> list() {
        return List.copyOf(users.values());
    }

    @Override
    public synchronized Optional<User> user(String name) {
        return Optional.ofNullable(users.get(name));
    }

    @Override
    public synchronized boolean create(User user) {
        return users.putIfAbsent(user.name(), user) == null;
    }

    @Override
    public synchronized boolean createFirst(User user) {
        return users.isEmpty() && create(user);
    }

    @Override
    public synchronized boolean update(User user) {
        return users.replace(user.name(), user) != null;
    }

    @Override
    public synchronized boolean delete(String name) {
        if (users.remove(name) == null) {
            return false;
        }
        tokens.values().removeIf(t -> t.owner().equals(name));
        return true;
    }

    @Override
    public synchronized List<ApiToken> tokens() {
        return List.copyOf(tokens.values());
    }

    @Override
    public synchronized Optional<ApiToken> tokenBySecretHash(String secretHash) {
        return tokens.values().stream().filter(t -> t.secretHash().equals(secretHash)).findFirst();
    }

    @Override
    public synchronized void addToken(ApiToken token) {
        tokens.put(token.id(), token);
    }

    @Override
    public synchronized boolean revokeToken(String id) {
        return tokens.remove(id) != null;
    }

    // ---- AuditLog

    @Override
    public synchronized void append(AuditEvent event) {
        audit.add(event);
        if (audit.size() > AUDIT_KEEP) {
            audit.remove(0);
        }
    }

    @Override
    public synchronized List<AuditEvent> recent(int limit) {
        List<AuditEvent> out = new ArrayList<>();
        for (int i = audit.size() - 1; i >= 0 && out.size() < limit; i--) {
            out.add(audit.get(i));
        }
        return out;
    }
}
