package net.edgegw.appliance.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import net.edgegw.appliance.config.CertificateRef;
import net.edgegw.appliance.config.Config;
import net.edgegw.appliance.config.ConfigDiff;
import net.edgegw.appliance.config.ConfigDiff.Change;
import net.edgegw.appliance.config.ConfigYaml;
import net.edgegw.appliance.config.Fixtures;
import net.edgegw.appliance.config.Outcome;
import net.edgegw.appliance.config.Pki;
import net.edgegw.appliance.config.Problem;
import net.edgegw.appliance.config.SecretCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ConfigStoreTest {
    static final String PSK2 = "a second pre-shared key, 2nd";

    @TempDir
    Path dir;

    @Test
    void commitsAreNumberedRevisionsWithAuthorTimeCommentAndDiff() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-25T03:00:00Z"), ZoneOffset.UTC);
        try (ConfigStore store = ConfigStore.open(dir, dir.resolve("device.key"), clock)) {
            assertEquals(0, store.current().revision().number());
            assertEquals(Config.EMPTY, store.current().config());
            Revision r1 = store.commit(Fixtures.example(), "alice", "first site", "api 127.0.0.1").value();
            Revision r2 = store.commit(Fixtures.withDescription(Fixtures.example(), "HQ"), "bob", "", "cli").value();
            assertEquals(1, r1.number());
            assertEquals(2, r2.number());
            assertEquals(List.of(r1, r2), store.revisions());
            assertEquals(new Revision(2, clock.instant(), "bob", "cli", "", 0,
                    "~ clusters[onprem].description: on-premises Kubernetes (dual stack) -> HQ\n"), r2);
            assertTrue(r1.changes().contains("+ peers[cloud-gw]"), r1.changes());
            assertEquals(r2, store.current().revision());
            assertEquals(Fixtures.example(), store.revision(1).orElseThrow().config());
            assertTrue(store.revision(3).isEmpty());
            // the audit log: who, when, from where, what, with which result
            assertEquals(List.of(
                    new AuditEntry(1, clock.instant(), "alice", "api 127.0.0.1", "commit", 1, "ok",
                            "5 change(s): first site"),
                    new AuditEntry(2, clock.instant(), "bob", "cli", "commit", 2, "ok", "1 change(s)")),
                    store.audit());
        }
        try (ConfigStore store = ConfigStore.open(dir)) { // survives a reopen
            assertEquals(2, store.current().revision().number());
            assertEquals("HQ", store.current().config().clusters().get(0).description());
        }
    }

    @Test
    void anInvalidCommitChangesNothingAndListsEveryProblem() {
        try (ConfigStore store = ConfigStore.open(dir)) {
            store.commit(Fixtures.example(), "alice", "ok", "cli");
            Config bad = Fixtures.withPsk(Fixtures.example(), "short").withClusters(List.of());
            Outcome<Revision> o = store.commit(bad, " ", "bad", "cli");
            assertFalse(o.ok());
            assertNull(o.value());
            List<String> fields = o.problems().stream().map(Problem::field).toList();
            assertTrue(fields.containsAll(List.of("author", "peers[cloud-gw].auth.psk",
                    "connections[pods].localClusters[0]", "connections[pods].remoteClusters[0]")), fields.toString());
            assertEquals(1, store.current().revision().number());
            assertEquals(1, store.revisions().size());
            assertEquals(Fixtures.example(), store.current().config());
            AuditEntry last = store.audit().get(store.audit().size() - 1);
            assertEquals("rejected", last.outcome());
            assertTrue(last.detail().contains("peers[cloud-gw].auth.psk"), last.detail());
            // the same config again is not a new revision
            Outcome<Revision> same = store.commit(Fixtures.example(), "alice", "again", "cli");
            assertEquals(List.of(new Problem("", "nothing to commit: the configuration equals revision 1")),
                    same.problems());
        }
    }

    @Test
    void aCommitAgainstAStaleRevisionIsRefused() throws Exception {
        try (ConfigStore store = ConfigStore.open(dir)) {
            store.commit(Fixtures.example(), "a", "1", "cli");
            long base = store.current().revision().number();
            assertTrue(store.commit(Fixtures.withDescription(Fixtures.example(), "alice's"), "alice", "", "api", base)
                    .ok());
            Outcome<Revision> bob = store.commit(Fixtures.withDescription(Fixtures.example(), "bob's"), "bob", "",
                    "api", base);
            assertEquals(List.of(new Problem("revision", "the configuration changed since revision 1 (it is at"
                    + " revision 2); reload it and apply the change again")), bob.problems());
            assertEquals("alice's", store.current().config().clusters().get(0).description());
        }
    }

    @Test
    void concurrentCommitsGetDistinctConsecutiveNumbers() throws Exception {
        try (ConfigStore store = ConfigStore.open(dir)) {
            Thread[] threads = new Thread[4];
            for (int t = 0; t < threads.length; t++) {
                int id = t;
                threads[t] = new Thread(() -> {
                    for (int i = 0; i < 10; i++) {
                        assertTrue(store.commit(Fixtures.withDescription(Fixtures.example(), id + "/" + i),
                                "t" + id, "", "test").ok());
                    }
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join(30_000);
            }
            List<Revision> revs = store.revisions();
            assertEquals(40, revs.size());
            for (int i = 0; i < revs.size(); i++) {
                assertEquals(i + 1, revs.get(i).number());
            }
        }
    }

    @Test
    void diffBetweenAnyTwoRevisions() {
        try (ConfigStore store = ConfigStore.open(dir)) {
            store.commit(Fixtures.example(), "a", "1", "cli");
            store.commit(Fixtures.withDescription(Fixtures.example(), "two"), "a", "2", "cli");
            store.commit(Fixtures.withPsk(Fixtures.withDescription(Fixtures.example(), "three"), PSK2), "a", "3", "cli");
            List<Change> d13 = store.diff(1, 3).orElseThrow();
            assertEquals(List.of(
                    new Change(ConfigDiff.Kind.CHANGED, "clusters[onprem].description",
                            "on-premises Kubernetes (dual stack)", "three"),
                    new Change(ConfigDiff.Kind.CHANGED, "peers[cloud-gw].auth.psk", "******", "******")), d13);
            assertEquals(List.of(), store.diff(2, 2).orElseThrow());
            assertEquals(5, store.diff(0, 1).orElseThrow().size()); // 2 clusters, 1 peer, 1 connection, settings
            assertTrue(store.diff(1, 9).isEmpty());
        }
    }

    @Test
    void rollbackIsANewRevisionWithTheOldContent() {
        try (ConfigStore store = ConfigStore.open(dir)) {
            store.commit(Fixtures.example(), "a", "1", "cli");
            store.commit(Fixtures.withPsk(Fixtures.example(), PSK2), "a", "2", "cli");
            Outcome<Revision> rb = store.rollback(1, "carol", "api 127.0.0.1");
            assertTrue(rb.ok(), rb.problems().toString());
            assertEquals(3, rb.value().number());
            assertEquals(1, rb.value().rollbackOf());
            assertEquals("rollback to revision 1", rb.value().comment());
            assertEquals(Fixtures.example(), store.current().config());
            assertEquals(List.of(), store.diff(1, 3).orElseThrow());
            assertEquals(3, store.revisions().size());
            assertEquals("rollback", store.audit().get(store.audit().size() - 1).action());
            assertEquals(List.of(new Problem("revision", "no revision 42 (the newest is 3)")),
                    store.rollback(42, "carol", "cli").problems());
        }
    }

    @Test
    void exportImportRoundTrip() {
        Path other = dir.resolve("other");
        String withSecrets;
        String without;
        try (ConfigStore store = ConfigStore.open(dir.resolve("a"))) {
            store.commit(Fixtures.example(), "a", "1", "cli");
            DeviceKey key = DeviceKey.read(dir.resolve("a").resolve("device.key"));
            withSecrets = store.exportYaml(true, key, "a", "cli").value();
            without = store.exportYaml(false, null, "a", "cli").value();
            assertFalse(withSecrets.contains(Fixtures.EXAMPLE_PSK));
            assertTrue(withSecrets.contains("psk: enc:v1:"), withSecrets);
            assertFalse(without.contains("psk:"), without);
            // the export with secrets goes back in equal, on the same device
            store.commit(Fixtures.withPsk(Fixtures.example(), PSK2), "a", "2", "cli");
            Outcome<Revision> back = store.importYaml(withSecrets, "a", "cli");
            assertTrue(back.ok(), back.problems().toString());
            assertEquals(Fixtures.example(), store.current().config());
            // an export without secrets keeps the secrets the appliance has
            store.commit(Fixtures.withPsk(Fixtures.withDescription(Fixtures.example(), "x"), PSK2), "a", "4", "cli");
            assertTrue(store.importYaml(without, "a", "cli").ok());
            assertEquals(Fixtures.withPsk(Fixtures.example(), PSK2), store.current().config());
        }
        try (ConfigStore elsewhere = ConfigStore.open(other)) {
            // another device cannot open the sealed secrets, and says so for each
            Outcome<Revision> o = elsewhere.importYaml(withSecrets, "a", "cli");
            assertEquals(List.of(new Problem("peers[cloud-gw].auth.psk",
                    "cannot decrypt this secret with this appliance's device key")), o.problems());
            // nor take a config without them: nothing there to keep
            assertEquals("peers[cloud-gw].auth.psk", elsewhere.importYaml(without, "a", "cli").problems().get(0).field());
            // a hand-written file with a plain secret is fine
            assertTrue(elsewhere.importYaml(Fixtures.exampleYaml(), "a", "cli").ok());
            assertEquals(Fixtures.example(), elsewhere.current().config());
        }
    }

    @Test
    void exportingSecretsNeedsTheDeviceKey() throws Exception {
        ConfigStore.open(dir.resolve("b")).close(); // another appliance's data directory and key
        DeviceKey wrong = DeviceKey.read(dir.resolve("b").resolve("device.key"));
        try (ConfigStore store = ConfigStore.open(dir.resolve("a"))) {
            store.commit(Fixtures.example(), "a", "1", "cli");
            assertEquals("deviceKey", store.exportYaml(true, wrong, "mallory", "api 127.0.0.9").problems().get(0)
                    .field());
            assertEquals("deviceKey", store.exportYaml(true, null, "mallory", "api 127.0.0.9").problems().get(0)
                    .field());
            AuditEntry last = store.audit().get(store.audit().size() - 1);
            assertEquals(List.of("mallory", "api 127.0.0.9", "export-with-secrets", "rejected"),
                    List.of(last.actor(), last.source(), last.action(), last.outcome()));
        }
    }

    @Test
    void secretsAreNeitherInExportsNorToStringNorLogs() {
        Logger jul = Logger.getLogger(ConfigStore.class.getName());
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Handler h = new Handler() {
            final SimpleFormatter f = new SimpleFormatter();

            @Override
            public void publish(LogRecord r) {
                captured.writeBytes(f.format(r).getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Level before = jul.getLevel();
        jul.setLevel(Level.ALL);
        jul.addHandler(h);
        StringBuilder everything = new StringBuilder();
        try (ConfigStore store = ConfigStore.open(dir)) {
            store.commit(Fixtures.example(), "a", "1", "cli");
            store.commit(Fixtures.withPsk(Fixtures.example(), PSK2), "a", "2", "cli");
            store.rollback(1, "a", "cli");
            everything.append(store.exportYaml(false, null, "a", "cli").value());
            everything.append(store.current()).append(store.revisions()).append(store.audit());
            everything.append(store.diff(0, 2).orElseThrow()).append(store.revision(2).orElseThrow());
        } finally {
            jul.removeHandler(h);
            jul.setLevel(before);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("config revision 2 committed by a"), log); // the capture works
        assertTrue(log.contains("peers[cloud-gw].auth.psk: ****** -> ******"), log); // DEBUG change lines too
        everything.append(log);
        for (String secret : List.of(Fixtures.EXAMPLE_PSK, PSK2)) {
            assertFalse(everything.toString().contains(secret), "secret leaked:\n" + everything);
        }
    }

    @Test
    void secretsAreEncryptedInTheDatabaseFile() throws Exception {
        String marker = "config-store-marker-cluster";
        Clock clock = Clock.systemUTC();
        CertificateRef ca = Pki.createCa("edge-ca", "test CA", Duration.ofDays(365), clock).value();
        CertificateRef gw = Pki.issue(ca, "gw", "gw.example.net", List.of("gw.example.net"), Duration.ofDays(30),
                clock).value();
        // a line from the middle of each private key's PEM body: what a leak would show
        List<String> keyLines = List.of(ca.privateKeyPem().reveal().split("\n")[1],
                gw.privateKeyPem().reveal().split("\n")[1]);
        try (ConfigStore store = ConfigStore.open(dir)) {
            store.commit(Fixtures.withDescription(Fixtures.example(), marker), "a", "1", "cli");
            store.commit(Fixtures.withPsk(Fixtures.example(), PSK2).withCertificates(List.of(ca, gw)), "a", "2", "cli");
            assertEquals(List.of(ca, gw), store.current().config().certificates());
        }
        try (ConfigStore store = ConfigStore.open(dir)) { // keys come back from their sealed form
            assertEquals(List.of(ca, gw), store.current().config().certificates());
        }
        byte[] raw = Files.readAllBytes(dir.resolve("config.mv.db"));
        String file = new String(raw, StandardCharsets.ISO_8859_1);
        assertTrue(file.contains(marker), "the document is stored where we looked"); // the grep can see text
        assertTrue(file.contains("BEGIN CERTIFICATE"), "certificates are stored in clear, as they may be");
        assertTrue(file.contains("enc:v1:"), "sealed secrets are there");
        assertFalse(file.contains(Fixtures.EXAMPLE_PSK), "plain PSK in config.mv.db");
        assertFalse(file.contains(PSK2), "plain PSK in config.mv.db");
        assertFalse(file.contains("PRIVATE KEY"), "private key PEM in config.mv.db");
        for (String line : keyLines) {
            assertFalse(file.contains(line), "private key material in config.mv.db");
        }
    }

    @Test
    void deviceKeyFileIsOwnerOnlyAndChecked() throws Exception {
        Path key = dir.resolve("device.key");
        try (ConfigStore store = ConfigStore.open(dir)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
            store.commit(Fixtures.example(), "a", "1", "cli");
        }
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        StoreException loose = assertThrows(StoreException.class, () -> ConfigStore.open(dir));
        assertTrue(loose.getMessage().contains("accessible to others"), loose.getMessage());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        // another key cannot open this data: the store says so instead of failing on each secret
        Path otherKey = dir.resolve("other.key");
        StoreException wrong = assertThrows(StoreException.class,
                () -> ConfigStore.open(dir, otherKey, Clock.systemUTC()));
        assertTrue(wrong.getMessage().contains("is not the key"), wrong.getMessage());
        try (ConfigStore store = ConfigStore.open(dir)) { // the failed opens released the lock
            assertEquals(1, store.current().revision().number());
        }
    }

    @Test
    void peppersComeFromTheDeviceKey() throws Exception {
        byte[] api;
        try (ConfigStore store = ConfigStore.open(dir.resolve("a"))) {
            api = store.pepper("api-token");
            assertEquals(32, api.length);
            assertFalse(java.util.Arrays.equals(api, store.pepper("other")));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a"))));
        }
        try (ConfigStore store = ConfigStore.open(dir.resolve("a"))) {
            assertTrue(java.util.Arrays.equals(api, store.pepper("api-token")), "stable across restarts");
        }
        try (ConfigStore store = ConfigStore.open(dir.resolve("b"))) {
            assertFalse(java.util.Arrays.equals(api, store.pepper("api-token")), "per device");
        }
    }

    @Test
    void aSecondOpenerInThisJvmIsRefused() {
        try (ConfigStore store = ConfigStore.open(dir)) {
            StoreException e = assertThrows(StoreException.class, () -> ConfigStore.open(dir));
            assertTrue(e.getMessage().contains("is already in use by another edgegw store"), e.getMessage());
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            assertNotNull(store.current());
        }
    }

    @Test
    @Timeout(60)
    void aSecondOpenerInAnotherProcessIsRefused() throws Exception {
        try (ChildJvm child = new ChildJvm("hold", dir)) {
            assertEquals("open 0", child.line());
            StoreException e = assertThrows(StoreException.class, () -> ConfigStore.open(dir));
            assertTrue(e.getMessage().contains("in use by another edgegw store (pid " + child.process.pid() + ")"),
                    e.getMessage());
            child.kill();
        }
        try (ConfigStore store = ConfigStore.open(dir)) { // the kernel dropped the dead holder's lock
            assertEquals(0, store.current().revision().number());
        }
    }

    @Test
    void aBrokenImportChangesNothing() {
        try (ConfigStore store = ConfigStore.open(dir)) {
            store.commit(Fixtures.example(), "a", "1", "cli");
            int auditRows = store.audit().size();
            String broken = Fixtures.exampleYaml()
                    .replace("10.244.0.0/16", "10.244.0.0/99")
                    .replace("aes128gcm16-prfsha256-x25519", "aes128gcm16-prfsha256-modp768")
                    .replace("startAction: start", "startAction: sometimes");
            Outcome<Revision> o = store.importYaml(broken, "a", "cli");
            assertFalse(o.ok());
            // the file's own problem and the validator's, all at once, each with its field
            assertEquals(List.of(
                    new Problem("connections[pods].startAction", "'sometimes' is not one of [start, on-traffic, none]"),
                    new Problem("clusters[onprem].podCidrs[0]", "prefix length must be 0..32: '10.244.0.0/99'")),
                    o.problems().subList(0, 2));
            assertEquals("peers[cloud-gw].ikeProposals[0]", o.problems().get(2).field());
            assertEquals(3, o.problems().size(), o.problems().toString());
            Outcome<Revision> o2 = store.importYaml(broken.replace("sometimes", "start"), "a", "cli");
            assertEquals(List.of("clusters[onprem].podCidrs[0]", "peers[cloud-gw].ikeProposals[0]"),
                    o2.problems().stream().map(Problem::field).toList());
            assertFalse(store.importYaml("clusters: [", "a", "cli").ok());
            assertEquals(1, store.current().revision().number());
            assertEquals(Fixtures.example(), store.current().config());
            assertEquals(auditRows + 3, store.audit().size()); // three rejected imports, audited
            assertTrue(store.audit().stream().skip(auditRows).allMatch(a -> a.outcome().equals("rejected")));
        }
    }

    @Test
    void migrationsUpgradeAnOlderSchema() throws Exception {
        try (ConfigStore store = ConfigStore.open(dir)) {
            store.commit(Fixtures.example(), "a", "1", "cli");
        }
        // make it look like a data directory written before migration 2
        try (Connection db = DriverManager.getConnection(ConfigStore.jdbcUrl(dir), "sa", "");
             Statement s = db.createStatement()) {
            s.execute("DROP INDEX audit_at");
            s.execute("DELETE FROM schema_version WHERE version = 2");
        }
        try (ConfigStore store = ConfigStore.open(dir)) {
            assertEquals(1, store.current().revision().number());
        }
        try (Connection db = DriverManager.getConnection(ConfigStore.jdbcUrl(dir), "sa", "");
             Statement s = db.createStatement()) {
            var rs = s.executeQuery("SELECT MAX(version) FROM schema_version");
            rs.next();
            assertEquals(Migrations.latest(), rs.getInt(1));
            var idx = s.executeQuery("SELECT COUNT(*) FROM information_schema.indexes WHERE index_name = 'AUDIT_AT'");
            idx.next();
            assertEquals(1, idx.getInt(1));
            s.execute("INSERT INTO schema_version(version, description) VALUES (99, 'from the future')");
        }
        StoreException newer = assertThrows(StoreException.class, () -> ConfigStore.open(dir));
        assertTrue(newer.getMessage().contains("newer than this build's"), newer.getMessage());
    }

    @Test
    void storedDocumentsAreTheDocumentedYaml() {
        try (ConfigStore store = ConfigStore.open(dir)) {
            store.commit(Fixtures.example(), "a", "1", "cli");
            String export = store.exportYaml(false, null, "a", "cli").value();
            ConfigYaml.Read r = ConfigYaml.read(export, SecretCodec.OMIT);
            assertTrue(r.ok(), r.problems().toString());
            assertTrue(export.startsWith("# edgegw configuration"), export);
        }
    }
}
