package net.edgegw.appliance.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import net.edgegw.appliance.config.CertificateRef;
import net.edgegw.appliance.config.Config;
import net.edgegw.appliance.config.ConfigDiff;
import net.edgegw.appliance.config.ConfigValidator;
import net.edgegw.appliance.config.ConfigYaml;
import net.edgegw.appliance.config.Peer;
import net.edgegw.appliance.config.Outcome;
import net.edgegw.appliance.config.Problem;
import net.edgegw.appliance.config.SecretCodec;

/**
 * The versioned configuration store: an embedded H2 database in file mode under a data directory, holding every
 * committed revision as a canonical YAML document (secrets sealed with the {@link DeviceKey}), plus an audit log.
 * Every change is validated first ({@link ConfigValidator}) and then committed as one transaction that writes the
 * revision row and its audit row together; the current configuration is the newest revision.
 *
 * <p>Thread-safe (one connection, every method synchronized); one store per data directory ({@link DataDirLock}).
 */
public final class ConfigStore implements AutoCloseable {
    public static final String DEVICE_KEY_FILE = "device.key";
    static final String DB_NAME = "config";
    // Column sizes of the schema (Migrations V1).
    static final int MAX_WHO = 200;
    static final int MAX_COMMENT = 2000;

    private static final System.Logger LOG = System.getLogger(ConfigStore.class.getName());

    private final Path dataDir;
    private final DataDirLock lock;
    private final DeviceKey key;
    private final Connection db;
    private final Clock clock;
    private Snapshot current;

    private ConfigStore(Path dataDir, DataDirLock lock, DeviceKey key, Connection db, Clock clock) {
        this.dataDir = dataDir;
        this.lock = lock;
        this.key = key;
        this.db = db;
        this.clock = clock;
    }

    /** Opens (creating on first start) the store in {@code dataDir}, with the device key in the same directory. */
    public static ConfigStore open(Path dataDir) {
        return open(dataDir, dataDir.resolve(DEVICE_KEY_FILE), Clock.systemUTC());
    }

    /**
     * Opens the store with the device key kept at {@code deviceKeyFile} (created 0600 if missing, e.g. on a
     * separate partition). Throws {@link StoreException} with a message for the operator if the directory is in
     * use, the key is unsafe or not the one the data was sealed with, or the schema is newer than this build.
     */
    public static ConfigStore open(Path dataDir, Path deviceKeyFile, Clock clock) {
        try {
            if (!Files.isDirectory(dataDir)) {
                Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
        }
        DataDirLock lock = DataDirLock.acquire(dataDir);
        Connection db = null;
        try {
            DeviceKey key = DeviceKey.loadOrCreate(deviceKeyFile);
            db = DriverManager.getConnection(jdbcUrl(dataDir), "sa", "");
            int before = Migrations.migrate(db);
            checkKey(db, key, deviceKeyFile);
            db.setAutoCommit(false);
            ConfigStore store = new ConfigStore(dataDir, lock, key, db, clock);
            store.current = store.load(store.newest()).orElse(new Snapshot(Revision.NONE, Config.EMPTY));
            LOG.log(System.Logger.Level.INFO, "config store {0} open at revision {1} (schema {2} -> {3})",
                    dataDir, store.current.revision().number(), before, Migrations.latest());
            return store;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(db);
            lock.close();
            if (e instanceof StoreException se) {
                throw se;
            }
            throw new StoreException("cannot open the config database in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The H2 URL of a data directory. {@code MAX_COMPACT_TIME=0}: no file compaction when the database closes. H2
     * 2.3.232's close-time chunk moving trips its own assertion (h2database issue 4086, seen here in the crash-loop
     * test's trace file) and has been reported to lose recently written rows (issue 4247); a config store of a few
     * hundred kilobytes has nothing to gain from it.
     */
    static String jdbcUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve(DB_NAME).toAbsolutePath() + ";MAX_COMPACT_TIME=0";
    }

    /** The first open records the key's check value; later opens refuse any other key. */
    private static void checkKey(Connection db, DeviceKey key, Path keyFile) throws SQLException {
        String stored = meta(db, "device_key_check");
        if (stored == null) {
            try (PreparedStatement ps = db.prepareStatement(
                    "INSERT INTO meta(name, val) VALUES ('device_key_check', ?)")) {
                ps.setString(1, key.checkValue());
                ps.executeUpdate();
            }
        } else if (!stored.equals(key.checkValue())) {
            throw new StoreException("device key " + keyFile + " is not the key this data directory's secrets were"
                    + " sealed with; restore the original key file");
        }
    }

    private static String meta(Connection db, String name) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT val FROM meta WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The newest revision and its configuration (revision 0, the empty config, before the first commit). */
    public synchronized Snapshot current() {
        return current;
    }

    /** A revision by number; 0 is the empty configuration. */
    public synchronized Optional<Snapshot> revision(long number) {
        if (number == 0) {
            return Optional.of(new Snapshot(Revision.NONE, Config.EMPTY));
        }
        try {
            return load(number);
        } catch (SQLException e) {
            throw failure("read revision " + number, e);
        }
    }

    /** Every revision, oldest first. */
    public synchronized List<Revision> revisions() {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT num, created_at, author, source, comment, rollback_of, changes"
                     + " FROM revision ORDER BY num")) {
            List<Revision> out = new ArrayList<>();
            while (rs.next()) {
                out.add(revisionRow(rs));
            }
            db.commit();
            return out;
        } catch (SQLException e) {
            throw failure("list revisions", e);
        }
    }

    /**
     * Validates {@code config} and, if it has no problem, commits it as the next revision in one transaction.
     * Rejected changes (problems, or nothing changed) leave the store as it was and are audited.
     *
     * @param source where the change came from ("api 192.0.2.10", "cli", "import"), for the audit log
     */
    public synchronized Outcome<Revision> commit(Config config, String author, String comment, String source) {
        return commit(config, author, comment, source, "commit", 0);
    }

    /**
     * {@link #commit(Config, String, String, String)} only if the current revision is still {@code base}, the one
     * the caller read and edited (an API's If-Match): two administrators editing at once cannot silently undo each
     * other's change.
     */
    public synchronized Outcome<Revision> commit(Config config, String author, String comment, String source,
                                                 long base) {
        long now = current.revision().number();
        if (base != now) {
            List<Problem> stale = List.of(new Problem("revision", "the configuration changed since revision " + base
                    + " (it is at revision " + now + "); reload it and apply the change again"));
            auditRejected(author, source, "commit", stale);
            return Outcome.rejected(stale);
        }
        return commit(config, author, comment, source);
    }

    /** Makes revision {@code number}'s configuration current again, as a new revision. */
    public synchronized Outcome<Revision> rollback(long number, String author, String source) {
        Optional<Snapshot> target = revision(number);
        if (target.isEmpty()) {
            audit(author, source, "rollback", number, "rejected", "no revision " + number);
            return Outcome.rejected("revision", "no revision " + number + " (the newest is "
                    + current.revision().number() + ")");
        }
        return commit(target.get().config(), author, "rollback to revision " + number, source, "rollback", number);
    }

    /** What changes revision {@code from} into revision {@code to}; empty if either does not exist. */
    public synchronized Optional<List<ConfigDiff.Change>> diff(long from, long to) {
        Optional<Snapshot> a = revision(from);
        Optional<Snapshot> b = revision(to);
        if (a.isEmpty() || b.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ConfigDiff.diff(a.get().config(), b.get().config()));
    }

    /**
     * The current configuration as YAML. Secrets are left out unless {@code withSecrets}, which requires the
     * device key itself (read by the operator from its file): they are then written sealed under it, so the export
     * restores onto this appliance (or one given the same key file) and is useless without that file.
     */
    public synchronized Outcome<String> exportYaml(boolean withSecrets, DeviceKey deviceKey, String actor,
                                                   String source) {
        String action = withSecrets ? "export-with-secrets" : "export";
        if (withSecrets && !key.sameAs(deviceKey)) {
            audit(actor, source, action, current.revision().number(), "rejected", "wrong or missing device key");
            return Outcome.rejected("deviceKey", "exporting secrets needs this appliance's device key");
        }
        audit(actor, source, action, current.revision().number(), "ok", "");
        return Outcome.of(ConfigYaml.write(current.config(), withSecrets ? key : SecretCodec.OMIT));
    }

    /**
     * Reads a YAML document and commits it as the next revision. Secrets may be plain text or sealed with this
     * appliance's device key; a peer or certificate given without its secret keeps the one of the same name in the
     * current configuration. A document with any problem changes nothing and lists them all.
     */
    public synchronized Outcome<Revision> importYaml(String text, String author, String source) {
        ConfigYaml.Read read = ConfigYaml.readAndValidate(text, key, c -> keepSecrets(c, current.config()));
        if (!read.ok()) {
            auditRejected(author, source, "import", read.problems());
            return Outcome.rejected(read.problems());
        }
        return commit(read.config(), author, "import", source, "import", 0);
    }

    /**
     * A 32-byte pepper for {@code purpose} (e.g. "api-token" for the management API's token hashes), derived from
     * the device key: never stored, never exported, the same across restarts, different per purpose and device.
     */
    public byte[] pepper(String purpose) {
        return key.derive("pepper " + purpose);
    }

    /** The audit log, oldest first. */
    public synchronized List<AuditEntry> audit() {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, at, actor, source, action, revision, outcome, detail"
                     + " FROM audit ORDER BY id")) {
            List<AuditEntry> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new AuditEntry(rs.getLong(1), instant(rs, 2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6), rs.getString(7), rs.getString(8)));
            }
            db.commit();
            return out;
        } catch (SQLException e) {
            throw failure("read the audit log", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (!db.isClosed()) {
                db.rollback();
                try (Statement s = db.createStatement()) {
                    s.execute("SHUTDOWN");
                }
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the config database: " + e.getMessage());
        } finally {
            closeQuietly(db);
            lock.close();
        }
    }

    // ------------------------------------------------------------------------------------------ internals

    private Outcome<Revision> commit(Config config, String author, String comment, String source, String action,
                                     long rollbackOf) {
        List<Problem> problems = new ArrayList<>(who("author", author));
        problems.addAll(who("source", source));
        if (comment != null && comment.length() > MAX_COMMENT) {
            problems.add(new Problem("comment", "at most " + MAX_COMMENT + " characters"));
        }
        problems.addAll(ConfigValidator.validate(config));
        if (!problems.isEmpty()) {
            auditRejected(author, source, action, problems);
            return Outcome.rejected(problems);
        }
        List<ConfigDiff.Change> changes = ConfigDiff.diff(current.config(), config);
        if (changes.isEmpty()) {
            List<Problem> none = List.of(new Problem("", "nothing to commit: the configuration equals revision "
                    + current.revision().number()));
            auditRejected(author, source, action, none);
            return Outcome.rejected(none);
        }
        long number = current.revision().number() + 1;
        Instant now = clock.instant();
        String document = ConfigYaml.write(config, key);
        String rendered = ConfigDiff.render(changes);
        Revision rev = new Revision(number, now, author, source, comment == null ? "" : comment, rollbackOf, rendered);
        try {
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO revision(num, created_at, author, source,"
                    + " comment, rollback_of, document, sha256, changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, number);
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setString(3, author);
                ps.setString(4, source);
                ps.setString(5, rev.comment());
                ps.setLong(6, rollbackOf);
                ps.setString(7, document);
                ps.setString(8, sha256(document));
                ps.setString(9, rendered);
                ps.executeUpdate();
            }
            insertAudit(author, source, action, number, "ok", changes.size() + " change(s)"
                    + (rev.comment().isEmpty() ? "" : ": " + rev.comment()));
            db.commit();
            durable();
        } catch (SQLException e) {
            rollbackQuietly();
            throw failure("commit revision " + number, e);
        }
        current = new Snapshot(rev, config);
        LOG.log(System.Logger.Level.INFO, "config revision {0} committed by {1} from {2} ({3} change(s)): {4}",
                number, author, source, changes.size(), rev.comment());
        LOG.log(System.Logger.Level.DEBUG, () -> "revision " + number + " changes:\n" + rendered);
        return Outcome.of(rev);
    }

    /**
     * Forces the committed pages to the file now: MVStore otherwise writes them in the background within a
     * second, and a process killed in between would come back one commit short.
     */
    private void durable() throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("CHECKPOINT");
        }
    }

    private static List<Problem> who(String field, String value) {
        if (value == null || value.isBlank()) {
            return List.of(new Problem(field, "required"));
        }
        return value.length() > MAX_WHO ? List.of(new Problem(field, "at most " + MAX_WHO + " characters"))
                : List.of();
    }

    private static Config keepSecrets(Config incoming, Config current) {
        List<Peer> peers = incoming.peers().stream().map(p -> {
            if (p.auth() == null || p.auth().method() != Peer.AuthMethod.PSK || p.auth().psk() != null) {
                return p;
            }
            return current.peer(p.name()).filter(c -> c.auth() != null && c.auth().psk() != null)
                    .map(c -> new Peer(p.name(), p.address(), p.localId(), p.remoteId(),
                            new Peer.Auth(p.auth().method(), c.auth().psk(), p.auth().certificate(), p.auth().ca()),
                            p.ikeProposals(), p.ikeLifetimeSeconds(), p.dpd(), p.natTraversal(), p.description()))
                    .orElse(p);
        }).collect(Collectors.toList());
        List<CertificateRef> certs = incoming.certificates().stream().map(c -> c.privateKeyPem() != null ? c
                : current.certificate(c.name()).filter(o -> o.privateKeyPem() != null)
                        .map(o -> new CertificateRef(c.name(), c.kind(), c.certificatePem(), o.privateKeyPem(),
                                c.revoked()))
                        .orElse(c)).collect(Collectors.toList());
        return incoming.withPeers(peers).withCertificates(certs);
    }

    private Long newest() throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(num) FROM revision")) {
            rs.next();
            long n = rs.getLong(1);
            return rs.wasNull() ? null : n;
        }
    }

    private Optional<Snapshot> load(Long number) throws SQLException {
        if (number == null) {
            return Optional.empty();
        }
        try (PreparedStatement ps = db.prepareStatement("SELECT num, created_at, author, source, comment,"
                + " rollback_of, changes, document, sha256 FROM revision WHERE num = ?")) {
            ps.setLong(1, number);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    db.commit();
                    return Optional.empty();
                }
                Revision rev = revisionRow(rs);
                String document = rs.getString(8);
                if (!sha256(document).equals(rs.getString(9))) {
                    throw new StoreException("revision " + number + " is corrupt (checksum mismatch)");
                }
                ConfigYaml.Read read = ConfigYaml.read(document, key);
                if (!read.ok()) {
                    throw new StoreException("revision " + number + " cannot be read: " + read.problems());
                }
                db.commit();
                return Optional.of(new Snapshot(rev, read.config()));
            }
        }
    }

    private static Revision revisionRow(ResultSet rs) throws SQLException {
        return new Revision(rs.getLong(1), instant(rs, 2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getLong(6), rs.getString(7));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, java.time.OffsetDateTime.class).toInstant();
    }

    private void auditRejected(String actor, String source, String action, List<Problem> problems) {
        audit(actor, source, action, 0, "rejected",
                problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    }

    /** An audit row in a transaction of its own (for operations that commit nothing else). */
    private void audit(String actor, String source, String action, long revision, String outcome, String detail) {
        try {
            insertAudit(actor, source, action, revision, outcome, detail);
            db.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw failure("write the audit log", e);
        }
    }

    private void insertAudit(String actor, String source, String action, long revision, String outcome,
                             String detail) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO audit(at, actor, source, action, revision,"
                + " outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setString(2, clip(actor));
            ps.setString(3, clip(source));
            ps.setString(4, action);
            ps.setLong(5, revision);
            ps.setString(6, outcome);
            ps.setString(7, detail == null ? "" : detail);
            ps.executeUpdate();
        }
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > MAX_WHO ? s.substring(0, MAX_WHO) : s;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private void rollbackQuietly() {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the original failure is the one reported
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // nothing more to do
            }
        }
    }

    private StoreException failure(String what, SQLException e) {
        return new StoreException("config store: cannot " + what + ": " + e.getMessage(), e);
    }
}
