package net.edgegw.appliance.mgmt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import net.edgegw.appliance.config.Config;
import net.edgegw.appliance.config.Outcome;
import net.edgegw.appliance.store.Account;
import net.edgegw.appliance.store.AccountToken;
import net.edgegw.appliance.store.Accounts;
import net.edgegw.appliance.store.AuditEntry;
import net.edgegw.appliance.store.Snapshot;
import net.edgegw.mgmt.port.ApiToken;
import net.edgegw.mgmt.port.AuditEvent;
import net.edgegw.mgmt.port.AuditLog;
import net.edgegw.mgmt.port.Backend;
import net.edgegw.mgmt.port.Change;
import net.edgegw.mgmt.port.CommitResult;
import net.edgegw.mgmt.port.ConfigItem;
import net.edgegw.mgmt.port.ConfigStore;
import net.edgegw.mgmt.port.Diagnostics;
import net.edgegw.mgmt.port.DiffEntry;
import net.edgegw.mgmt.port.LogSource;
import net.edgegw.mgmt.port.Problem;
import net.edgegw.mgmt.port.Revision;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.port.StatusSource;
import net.edgegw.mgmt.port.User;
import net.edgegw.mgmt.port.UserDirectory;

/**
 * The management server's {@link Backend} over the appliance's H2 {@link net.edgegw.appliance.store.ConfigStore}:
 * a transaction of port {@link Change}s is applied to the current configuration ({@link ItemMapping}), validated as
 * a whole by the store and committed against the revision it was built on (a concurrent commit in between refuses
 * it rather than being undone); users, API tokens and audit events live in the same database. After every commit
 * and rollback {@code onCommit} gets the new snapshot (the reconciler).
 */
public final class StoreBackend implements Backend, ConfigStore, UserDirectory, AuditLog {
    private final net.edgegw.appliance.store.ConfigStore store;
    private final Accounts accounts;
    private final StatusSource status;
    private final Consumer<Snapshot> onCommit;
    private final StoreCertificates certificates = new StoreCertificates(this, java.time.Clock.systemUTC());
    private final StoreSettings settings = new StoreSettings(this);
    private final LogSource logs;
    private final Diagnostics diagnostics;
    private volatile net.edgegw.mgmt.port.SystemControl system = net.edgegw.mgmt.port.SystemControl.UNAVAILABLE;

    public StoreBackend(net.edgegw.appliance.store.ConfigStore store, StatusSource status,
                        Consumer<Snapshot> onCommit) {
        this(store, status, onCommit, LogSource.NONE, Diagnostics.NONE);
    }

    /** With the daemon's kept log records and the connections' local networks (ping through a tunnel). */
    public StoreBackend(net.edgegw.appliance.store.ConfigStore store, StatusSource status,
                        Consumer<Snapshot> onCommit, LogSource logs, Diagnostics diagnostics) {
        this.store = store;
        this.accounts = store.accounts();
        this.status = status;
        this.onCommit = onCommit;
        this.logs = logs;
        this.diagnostics = diagnostics;
    }

    @Override
    public LogSource logs() {
        return logs;
    }

    @Override
    public Diagnostics diagnostics() {
        return diagnostics;
    }

    @Override
    public ConfigStore config() {
        return this;
    }

    @Override
    public StatusSource status() {
        return status;
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
    public net.edgegw.mgmt.port.CertificateStore certificates() {
        return certificates;
    }

    @Override
    public net.edgegw.mgmt.port.SettingsStore settings() {
        return settings;
    }

    /** The latest committed configuration. */
    Config current() {
        return store.current().config();
    }

    /**
     * Commits what {@code change} makes of the current configuration as one validated revision (certificates,
     * settings, imports), or refuses with its problems; nothing is committed when {@code change} itself refuses.
     */
    CommitResult commit(java.util.function.Function<Config, Outcome<Config>> change, String author, String comment,
                        String source) {
        Outcome<net.edgegw.appliance.store.Revision> done;
        Config next;
        synchronized (this) {
            Snapshot base = store.current();
            Outcome<Config> made = change.apply(base.config());
            if (!made.ok()) {
                return result(Outcome.rejected(made.problems()), base.config());
            }
            next = made.value();
            done = store.commit(next, author, comment, source, base.revision().number());
        }
        return result(done, next);
    }

    /** The running system (firmware updates, reboot): {@link ApplianceSystem#detect} on the image. */
    public StoreBackend system(net.edgegw.mgmt.port.SystemControl s) {
        system = s;
        return this;
    }

    @Override
    public net.edgegw.mgmt.port.SystemControl system() {
        return system;
    }

    // ---- ConfigStore

    @Override
    public long head() {
        return store.current().revision().number();
    }

    @Override
    public List<ConfigItem> list(ConfigItem.Kind kind) {
        return List.copyOf(ItemMapping.items(store.current().config()).get(kind).values());
    }

    @Override
    public Optional<ConfigItem> get(ConfigItem.Kind kind, String name) {
        return Optional.ofNullable(ItemMapping.items(store.current().config()).get(kind).get(name));
    }

    @Override
    public CommitResult commit(List<Change> changes, String author, String comment, String source) {
        if (changes.isEmpty()) {
            return new CommitResult.Rejected(List.of(new Problem("changes", "nothing to commit")));
        }
        Outcome<net.edgegw.appliance.store.Revision> done;
        Config next;
        synchronized (this) {
            Snapshot base = store.current();
            next = base.config();
            List<Problem> problems = new ArrayList<>();
            Map<ConfigItem.Kind, TreeMap<String, ConfigItem>> view = ItemMapping.items(next);
            for (Change c : changes) {
                boolean exists = view.get(c.kind()).containsKey(c.name());
                String at = c.kind().path() + "/" + c.name();
                if (c.op() == Change.Op.CREATE && exists) {
                    problems.add(new Problem(at, "exists already"));
                    continue;
                }
                if (c.op() != Change.Op.CREATE && !exists) {
                    problems.add(new Problem(at, "does not exist"));
                    continue;
                }
                next = c.op() == Change.Op.DELETE ? ItemMapping.delete(next, c.kind(), c.name()) : put(next, c.item());
                view = ItemMapping.items(next);
            }
            if (!problems.isEmpty()) {
                return new CommitResult.Rejected(problems);
            }
            done = store.commit(next, author, comment, source, base.revision().number());
        }
        return result(done, next);
    }

    private static Config put(Config cfg, ConfigItem item) {
        if (item instanceof net.edgegw.mgmt.port.Cluster c) {
            return ItemMapping.put(cfg, c);
        }
        if (item instanceof net.edgegw.mgmt.port.Peer p) {
            return ItemMapping.put(cfg, p);
        }
        return ItemMapping.put(cfg, (net.edgegw.mgmt.port.Connection) item);
    }

    private CommitResult result(Outcome<net.edgegw.appliance.store.Revision> done, Config attempted) {
        if (!done.ok()) {
            TreeSet<String> seen = new TreeSet<>();
            List<Problem> problems = new ArrayList<>();
            for (net.edgegw.appliance.config.Problem p : done.problems()) {
                Problem mapped = ItemMapping.problem(attempted, p);
                if (seen.add(mapped.field() + "\n" + mapped.message())) {
                    problems.add(mapped);
                }
            }
            return new CommitResult.Rejected(problems);
        }
        onCommit.accept(store.current());
        return new CommitResult.Committed(done.value().number());
    }

    @Override
    public List<Revision> revisions(int limit) {
        List<net.edgegw.appliance.store.Revision> all = store.revisions();
        List<Revision> out = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
            out.add(revision(all.get(i)));
        }
        if (out.size() < limit) {
            out.add(revision(net.edgegw.appliance.store.Revision.NONE));
        }
        return out;
    }

    @Override
    public Optional<Revision> revision(long number) {
        return store.revision(number).map(s -> revision(s.revision()));
    }

    private static Revision revision(net.edgegw.appliance.store.Revision r) {
        return r.number() == 0 ? new Revision(0, r.time(), "-", r.comment(), "init")
                : new Revision(r.number(), r.time(), r.author(), r.comment(), r.source());
    }

    @Override
    public Optional<List<DiffEntry>> diff(long number) {
        Optional<Snapshot> after = store.revision(number);
        if (after.isEmpty()) {
            return Optional.empty();
        }
        Config before = number == 0 ? Config.EMPTY : store.revision(number - 1).orElseThrow().config();
        Map<ConfigItem.Kind, TreeMap<String, ConfigItem>> b = ItemMapping.items(before);
        Map<ConfigItem.Kind, TreeMap<String, ConfigItem>> a = ItemMapping.items(after.get().config());
        List<DiffEntry> out = new ArrayList<>();
        for (ConfigItem.Kind k : ConfigItem.Kind.values()) {
            TreeSet<String> names = new TreeSet<>(b.get(k).keySet());
            names.addAll(a.get(k).keySet());
            for (String n : names) {
                if (!Objects.equals(b.get(k).get(n), a.get(k).get(n))) {
                    out.add(new DiffEntry(k, n, b.get(k).get(n), a.get(k).get(n)));
                }
            }
        }
        return Optional.of(out);
    }

    @Override
    public CommitResult rollback(long number, String author, String comment, String source) {
        Outcome<net.edgegw.appliance.store.Revision> done;
        Config target;
        synchronized (this) {
            target = store.revision(number).map(Snapshot::config).orElse(Config.EMPTY);
            done = store.rollback(number, author, source);
        }
        return result(done, target);
    }

    // ---- UserDirectory

    @Override
    public List<User> list() {
        return accounts.list().stream().map(StoreBackend::user).toList();
    }

    @Override
    public Optional<User> user(String name) {
        return accounts.get(name).map(StoreBackend::user);
    }

    @Override
    public boolean create(User user) {
        return accounts.create(account(user), false);
    }

    @Override
    public boolean createFirst(User user) {
        return accounts.create(account(user), true);
    }

    @Override
    public boolean update(User user) {
        return accounts.update(account(user));
    }

    @Override
    public boolean delete(String name) {
        return accounts.delete(name);
    }

    @Override
    public List<ApiToken> tokens() {
        return accounts.tokens().stream().map(StoreBackend::token).toList();
    }

    @Override
    public Optional<ApiToken> tokenBySecretHash(String secretHash) {
        return accounts.tokenBySecretHash(secretHash).map(StoreBackend::token);
    }

    @Override
    public void addToken(ApiToken t) {
        accounts.addToken(new AccountToken(t.id(), t.name(), t.owner(), t.role().id(), t.secretHash(), t.created()));
    }

    @Override
    public boolean revokeToken(String id) {
        return accounts.revokeToken(id);
    }

    private static User user(Account a) {
        return new User(a.name(), role(a.role()), a.passwordHash(), a.created());
    }

    private static Account account(User u) {
        return new Account(u.name(), u.role().id(), u.passwordHash(), u.created());
    }

    private static ApiToken token(AccountToken t) {
        return new ApiToken(t.id(), t.name(), t.owner(), role(t.role()), t.secretHash(), t.created());
    }

    /** An unknown role in the table (a newer build's?) grants the least. */
    private static Role role(String id) {
        return Role.of(id).orElse(Role.VIEWER);
    }

    // ---- AuditLog

    @Override
    public void append(AuditEvent e) {
        store.appendAudit(e.at(), e.actor(), e.source(), e.action(), e.target(), e.action().endsWith(".failed") ? "failed"
                : "ok", e.detail());
    }

    @Override
    public List<AuditEvent> recent(int limit) {
        return store.recentAudit(limit).stream().map(StoreBackend::event).toList();
    }

    private static AuditEvent event(AuditEntry a) {
        String target = !a.target().isEmpty() ? a.target() : a.revision() > 0 ? "revisions/" + a.revision() : "";
        String detail = a.outcome().equals("ok") || a.outcome().equals("failed") ? a.detail()
                : a.outcome() + ": " + a.detail();
        return new AuditEvent(a.time(), a.actor(), a.action(), target, a.source(), detail);
    }
}
