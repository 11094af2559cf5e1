package net.edgegw.mgmt.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryBackendTest {
    private final InMemoryBackend b = new InMemoryBackend();
    private final Cluster c1 = new Cluster("c1", "10.244.0.0/16", "10.96.0.0/12", "", "");
    private final Peer p1 = Peer.psk("p1", "192.0.2.1", "gw", "test-psk-0123456789", "");
    private final Connection t1 = new Connection("t1", "p1", "c1", "10.1.0.0/16", "aes128gcm16", true);

    @Test
    void transactionsAreAllOrNothingWithEveryProblem() {
        CommitResult r = b.commit(List.of(Change.create(c1), Change.create(new Connection("t1", "nope", "gone",
                "10.1.0.0/16", "aes128gcm16", true)), Change.delete(ConfigItem.Kind.PEER, "x")), "a", "", "api");
        Rejected rejected = new Rejected(assertInstanceOf(CommitResult.Rejected.class, r));
        assertEquals(List.of("peers/x", "connections/t1/peer", "connections/t1/cluster"), rejected.fields());
        assertEquals(0, b.head(), "nothing committed");
        assertTrue(b.list(ConfigItem.Kind.CLUSTER).isEmpty());
    }

    private record Rejected(CommitResult.Rejected r) {
        List<String> fields() {
            return r.problems().stream().map(Problem::field).toList();
        }
    }

    @Test
    void revisionsDiffAndRollback() {
        assertEquals(new CommitResult.Committed(1), b.commit(
                List.of(Change.create(c1), Change.create(p1), Change.create(t1)), "alice", "initial", "ui"));
        Cluster c1b = new Cluster("c1", "10.245.0.0/16", "10.96.0.0/12", "", "moved");
        assertEquals(new CommitResult.Committed(2), b.commit(List.of(Change.replace(c1b)), "bob", "move", "api"));
        List<DiffEntry> d = b.diff(2).orElseThrow();
        assertEquals(1, d.size());
        assertEquals("changed", d.get(0).change());
        assertEquals(c1, d.get(0).before());
        assertEquals(3, b.diff(1).orElseThrow().size());
        assertTrue(b.diff(9).isEmpty());

        assertEquals(new CommitResult.Committed(3), b.rollback(1, "carol", "undo", "rollback"));
        assertEquals(c1, b.get(ConfigItem.Kind.CLUSTER, "c1").orElseThrow());
        assertEquals(List.of(3L, 2L, 1L, 0L), b.revisions(10).stream().map(Revision::number).toList());
        assertEquals("carol", b.revision(3).orElseThrow().author());
        assertInstanceOf(CommitResult.Rejected.class, b.commit(List.of(Change.delete(ConfigItem.Kind.PEER, "p1")),
                "a", "", "api"), "t1 still uses p1");
        CommitResult twice = b.commit(List.of(Change.create(c1)), "a", "", "api");
        assertEquals(List.of("clusters/c1"), new Rejected((CommitResult.Rejected) twice).fields(), "create is not put");
        CommitResult missing = b.commit(List.of(Change.replace(new Cluster("c9", "10.9.0.0/16", "10.10.0.0/16", "",
                ""))), "a", "", "api");
        assertEquals(List.of("clusters/c9"), new Rejected((CommitResult.Rejected) missing).fields());
        assertEquals(3, b.head());
    }
}
