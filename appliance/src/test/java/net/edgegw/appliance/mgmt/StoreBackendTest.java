package net.edgegw.appliance.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.edgegw.appliance.config.Config;
import net.edgegw.appliance.config.Fixtures;
import net.edgegw.appliance.config.Peer;
import net.edgegw.appliance.config.Secret;
import net.edgegw.appliance.store.ConfigStore;
import net.edgegw.appliance.store.Snapshot;
import net.edgegw.mgmt.port.ApiToken;
import net.edgegw.mgmt.port.AuditEvent;
import net.edgegw.mgmt.port.Change;
import net.edgegw.mgmt.port.Cluster;
import net.edgegw.mgmt.port.CommitResult;
import net.edgegw.mgmt.port.ConfigItem;
import net.edgegw.mgmt.port.Connection;
import net.edgegw.mgmt.port.DiffEntry;
import net.edgegw.mgmt.port.Problem;
import net.edgegw.mgmt.port.Revision;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.port.StatusSource;
import net.edgegw.mgmt.port.TunnelStatus;
import net.edgegw.mgmt.port.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The H2 adapter passes the checks mgmt-ui's InMemoryBackendTest makes, and keeps what the port cannot show. */
class StoreBackendTest {
    static final StatusSource NO_STATUS = new StatusSource() {
        @Override
        public List<TunnelStatus> tunnels() {
            return List.of();
        }

        @Override
        public boolean restart(String tunnel) {
            return false;
        }
    };

    @TempDir
    Path dir;

    private final List<Long> committed = new ArrayList<>();

    private StoreBackend backend(ConfigStore store) {
        return new StoreBackend(store, NO_STATUS, (Snapshot s) -> committed.add(s.revision().number()));
    }

    private static List<String> fields(CommitResult r) {
        return assertInstanceOf(CommitResult.Rejected.class, r).problems().stream().map(Problem::field).toList();
    }

    private final Cluster c1 = new Cluster("c1", "10.244.0.0/16", "10.96.0.0/12", "", "");

    @Test
    void transactionsAreAllOrNothingWithEveryProblem() {
        try (ConfigStore store = ConfigStore.open(dir)) {
            StoreBackend b = backend(store);
            CommitResult r = b.commit(List.of(Change.create(c1), Change.create(new Connection("t1", "nope", "gone",
                    "10.1.0.0/16", "aes128gcm16", true)), Change.delete(ConfigItem.Kind.PEER, "x")), "a", "", "api");
            assertEquals(List.of("peers/x"), fields(r), "existence is checked first, per change");
            r = b.commit(List.of(Change.create(c1), Change.create(new Connection("t1", "nope", "gone",
                    "10.1.0.0/16", "aes128gcm16", true))), "a", "", "api");
            List<String> f = fields(r);
            assertTrue(f.contains("connections/t1/peer"), f.toString());
            assertTrue(f.contains("connections/t1/cluster"), f.toString());
            assertEquals(0, b.head(), "nothing committed");
            assertTrue(b.list(ConfigItem.Kind.CLUSTER).isEmpty());
            assertTrue(committed.isEmpty(), "the reconciler hears of commits only");
            assertEquals(List.of("nothing to commit"), assertInstanceOf(CommitResult.Rejected.class,
                    b.commit(List.of(), "a", "", "api")).problems().stream().map(Problem::message).toList());
        }
    }

    @Test
    void revisionsDiffAndRollback() {
        try (ConfigStore store = ConfigStore.open(dir)) {
            StoreBackend b = backend(store);
            assertEquals(new CommitResult.Committed(1), b.commit(List.of(Change.create(c1)), "alice", "initial", "ui"));
            Cluster c1b = new Cluster("c1", "10.245.0.0/16", "10.96.0.0/12", "", "moved");
            assertEquals(new CommitResult.Committed(2), b.commit(List.of(Change.replace(c1b)), "bob", "move", "api"));
            List<DiffEntry> d = b.diff(2).orElseThrow();
            assertEquals(1, d.size());
            assertEquals("changed", d.get(0).change());
            assertEquals(c1, d.get(0).before());
            assertEquals(c1b, d.get(0).after());
            assertEquals("added", b.diff(1).orElseThrow().get(0).change());
            assertTrue(b.diff(9).isEmpty());

            assertEquals(new CommitResult.Committed(3), b.rollback(1, "carol", "undo", "rollback"));
            assertEquals(c1, b.get(ConfigItem.Kind.CLUSTER, "c1").orElseThrow());
            assertEquals(List.of(3L, 2L, 1L, 0L), b.revisions(10).stream().map(Revision::number).toList());
            assertEquals(List.of(3L, 2L), b.revisions(2).stream().map(Revision::number).toList());
            assertEquals("carol", b.revision(3).orElseThrow().author());
            assertEquals(List.of("clusters/c1"), fields(b.commit(List.of(Change.create(c1)), "a", "", "api")),
                    "create is not put");
            assertEquals(List.of("clusters/c9"), fields(b.commit(List.of(Change.replace(new Cluster("c9",
                    "10.9.0.0/16", "10.10.0.0/16", "", ""))), "a", "", "api")));
            assertEquals(List.of("revision"), fields(b.rollback(42, "a", "", "api")));
            assertEquals(List.of(1L, 2L, 3L), committed, "every commit and rollback reaches the reconciler");
            assertEquals(3, b.head());
        }
    }

    @Test
    void validatorProblemsComeBackInThePortsFieldNames() {
        try (ConfigStore store = ConfigStore.open(dir)) {
            StoreBackend b = backend(store);
            CommitResult r = b.commit(List.of(Change.create(new Cluster("c1", "10.244.1.5/16", "", "", "")),
                    Change.create(net.edgegw.mgmt.port.Peer.psk("p1", "192.0.2.1", "gw", "short", "")),
                    Change.create(new net.edgegw.mgmt.port.Peer("p2", "192.0.2.2", "", "gw2",
                            net.edgegw.mgmt.port.Peer.Auth.CERTIFICATE, null, "nope", "", "aes999", ""))),
                    "a", "", "api");
            List<Problem> problems = assertInstanceOf(CommitResult.Rejected.class, r).problems();
            List<String> f = problems.stream().map(Problem::field).toList();
            assertTrue(f.contains("clusters/c1/podCidr"), f.toString());
            assertTrue(f.contains("peers/p1/psk"), f.toString());
            assertTrue(f.contains("peers/p2/certificate"), f.toString());
            assertTrue(f.contains("peers/p2/ca"), f.toString());
            assertTrue(f.contains("peers/p2/ikeProposals"), f.toString());
            assertFalse(problems.toString().contains("short"), "a problem never quotes the key: " + problems);
        }
    }

    /** Editing through the port keeps the PSK, extra CIDRs and proposals it cannot show. */
    @Test
    void editsKeepWhatThePortCannotExpress() {
        try (ConfigStore store = ConfigStore.open(dir)) {
            assertTrue(store.importYaml(Fixtures.exampleYaml(), "t", "test").ok());
            StoreBackend b = backend(store);
            Connection pods = (Connection) b.get(ConfigItem.Kind.CONNECTION, "pods").orElseThrow();
            assertEquals("onprem", pods.cluster());
            assertTrue(pods.remoteCidr().contains("10.128.0.0/14"), pods.remoteCidr());
            net.edgegw.mgmt.port.Peer gw = (net.edgegw.mgmt.port.Peer) b.get(ConfigItem.Kind.PEER, "cloud-gw")
                    .orElseThrow();
            assertTrue(gw.pskSet());
            net.edgegw.mgmt.port.Peer moved = new net.edgegw.mgmt.port.Peer(gw.name(), "198.51.100.7", gw.localId(),
                    gw.remoteId(), gw.auth(), null, gw.certificate(), gw.ca(), gw.ikeProposals(), "moved");
            assertEquals(new CommitResult.Committed(2), b.commit(List.of(Change.replace(moved),
                    Change.replace(new Connection("pods", "cloud-gw", "onprem", pods.remoteCidr(),
                            pods.espSuite(), false))), "a", "move", "api"));
            Config after = store.current().config();
            Peer p = after.peer("cloud-gw").orElseThrow();
            assertEquals("198.51.100.7", p.address());
            assertEquals(Secret.of(Fixtures.EXAMPLE_PSK), p.auth().psk(), "the PSK stays");
            assertEquals(Fixtures.example().peer("cloud-gw").orElseThrow().ikeProposals(), p.ikeProposals());
            net.edgegw.appliance.config.Connection c = after.connection("pods").orElseThrow();
            assertEquals(List.of("cloud"), c.remoteClusters(), "the remote cluster stays");
            assertEquals(2, c.proposals().size(), "the proposal list stays");
            assertEquals(net.edgegw.appliance.config.Connection.StartAction.NONE, c.startAction());
        }
    }

    /** A remote network no cluster holds becomes the connection's own cluster, and goes with it. */
    @Test
    void aNewRemoteNetworkBecomesAClusterOfItsConnection() {
        try (ConfigStore store = ConfigStore.open(dir)) {
            assertTrue(store.importYaml(Fixtures.exampleYaml(), "t", "test").ok());
            StoreBackend b = backend(store);
            assertEquals(new CommitResult.Committed(2), b.commit(List.of(Change.create(new Connection("dc2",
                    "cloud-gw", "onprem", "10.50.0.0/16", "aes256gcm16", true))), "a", "", "api"));
            Config cfg = store.current().config();
            assertEquals(List.of("10.50.0.0/16"), cfg.cluster("dc2-remote").orElseThrow().podCidrs());
            assertEquals(net.edgegw.appliance.config.Connection.StartAction.START,
                    cfg.connection("dc2").orElseThrow().startAction());
            assertEquals("10.50.0.0/16", ((Connection) b.get(ConfigItem.Kind.CONNECTION, "dc2").orElseThrow())
                    .remoteCidr());
            // A bad remote network is reported on the connection, not on a cluster the operator never made.
            List<String> f = fields(b.commit(List.of(Change.create(new Connection("dc3", "cloud-gw", "onprem",
                    "10.60.0.1/16", "aes256gcm16", true))), "a", "", "api"));
            assertEquals(List.of("connections/dc3/remoteCidr"), f);
            assertEquals(new CommitResult.Committed(3), b.commit(List.of(Change.delete(ConfigItem.Kind.CONNECTION,
                    "dc2")), "a", "", "api"));
            assertTrue(store.current().config().cluster("dc2-remote").isEmpty());
        }
    }

    @Test
    void usersTokensAndAuditPersistAcrossAReopen() {
        Instant t = Instant.parse("2026-11-25T03:00:00Z");
        User admin = new User("admin", Role.ADMIN, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", t);
        User viewer = new User("vic", Role.VIEWER, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$b3RoZXI", t);
        String hash = "ab".repeat(32);
        try (ConfigStore store = ConfigStore.open(dir)) {
            StoreBackend b = backend(store);
            assertTrue(b.createFirst(admin));
            assertFalse(b.createFirst(viewer), "first-boot setup closes with the first user");
            assertTrue(b.create(viewer));
            assertFalse(b.create(viewer), "name taken");
            b.addToken(new ApiToken("tok1", "ci", "vic", Role.VIEWER, hash, t));
            b.append(new AuditEvent(t, "admin", "user.create", "users/vic", "192.0.2.9", "role viewer"));
        }
        try (ConfigStore store = ConfigStore.open(dir)) {
            StoreBackend b = backend(store);
            assertEquals(List.of(admin, viewer), b.list());
            assertEquals(viewer, b.user("vic").orElseThrow());
            assertEquals("tok1", b.tokenBySecretHash(hash).orElseThrow().id());
            assertTrue(b.update(new User("vic", Role.OPERATOR, viewer.passwordHash(), t)));
            assertEquals(Role.OPERATOR, b.user("vic").orElseThrow().role());
            assertFalse(b.update(new User("nobody", Role.ADMIN, "x", t)));
            assertTrue(b.delete("vic"));
            assertTrue(b.tokens().isEmpty(), "a user's tokens die with it");
            assertFalse(b.revokeToken("tok1"));
            AuditEvent e = b.recent(1).get(0);
            assertEquals(new AuditEvent(t, "admin", "user.create", "users/vic", "192.0.2.9", "role viewer"), e);
        }
    }
}
