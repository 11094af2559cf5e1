package net.edgegw.appliance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.edgegw.appliance.config.Cluster;
import net.edgegw.appliance.config.Config;
import net.edgegw.appliance.config.Connection;
import net.edgegw.appliance.config.Fixtures;
import net.edgegw.appliance.config.Peer;
import net.edgegw.appliance.store.Revision;
import net.edgegw.appliance.store.Snapshot;
import net.edgegw.mgmt.port.TunnelStatus.StateWord;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
    private final RecordingDriver driver = new RecordingDriver();
    private final Reconciler reconciler = new Reconciler(driver);
    private long revision;

    private Snapshot snapshot(Config c) {
        revision++;
        return new Snapshot(new Revision(revision, java.time.Instant.EPOCH, "t", "test", "", 0, ""), c);
    }

    /** The example config with a second connection "svc" over the same peer, and a third peer-less one. */
    private static Config twoConnections() {
        Config c = Fixtures.example();
        Connection pods = c.connection("pods").orElseThrow();
        Cluster dc2 = new Cluster("dc2", List.of("10.50.0.0/16"), List.of(), List.of(), null);
        Connection svc = new Connection("svc", pods.peer(), pods.localClusters(), List.of("dc2"), null,
                pods.proposals(), null, null, Connection.StartAction.START, false, null);
        List<Cluster> clusters = new ArrayList<>(c.clusters());
        clusters.add(dc2);
        return c.withClusters(clusters).withConnections(List.of(pods, svc));
    }

    @Test
    void onlyChangedConnectionsAreTouched() {
        Config c = twoConnections();
        Reconciler.Result r = reconciler.apply(snapshot(c));
        assertEquals(List.of("pods", "svc"), r.started());
        assertEquals(List.of("start pods", "start svc"), driver.drain());

        r = reconciler.apply(snapshot(c));
        assertEquals(List.of("pods", "svc"), r.unchanged());
        assertEquals(List.of(), driver.drain(), "the same config again touches nothing");

        // A cluster only svc uses: only svc changes.
        List<Cluster> clusters = new ArrayList<>(c.clusters());
        clusters.set(clusters.size() - 1, new Cluster("dc2", List.of("10.51.0.0/16"), List.of(), List.of(), null));
        Config moved = c.withClusters(clusters);
        r = reconciler.apply(snapshot(moved));
        assertEquals(List.of("svc"), r.updated());
        assertEquals(List.of("pods"), r.unchanged());
        assertEquals(List.of("update svc"), driver.drain());

        // A description is not running state; the peer's address is, for both connections.
        Peer gw = moved.peer("cloud-gw").orElseThrow();
        Peer gw2 = new Peer(gw.name(), "198.51.100.7", gw.localId(), gw.remoteId(), gw.auth(), gw.ikeProposals(),
                gw.ikeLifetimeSeconds(), gw.dpd(), gw.natTraversal(), gw.description());
        r = reconciler.apply(snapshot(moved.withPeers(List.of(gw2))));
        assertEquals(List.of("pods", "svc"), r.updated());
        assertEquals(List.of("update pods", "update svc"), driver.drain());

        r = reconciler.apply(snapshot(moved.withPeers(List.of(gw2)).withConnections(List.of(
                moved.connection("svc").orElseThrow()))));
        assertEquals(List.of("pods"), r.stopped());
        assertEquals(List.of("stop pods"), driver.drain());
        assertEquals(List.of("svc"), reconciler.states().stream().map(TunnelState::name).toList());
    }

    @Test
    void anOlderSnapshotArrivingLateChangesNothing() {
        Snapshot older = snapshot(Fixtures.example());
        reconciler.apply(snapshot(twoConnections()));
        driver.drain();
        reconciler.apply(older);
        assertEquals(List.of(), driver.drain(), "svc is not stopped by a stale revision");
        assertEquals(2, reconciler.revision());
    }

    @Test
    void failuresArePerConnectionAndRetried() {
        driver.refuse.put("pods", "no route to 203.0.113.1");
        Reconciler.Result r = reconciler.apply(snapshot(twoConnections()));
        assertEquals(Map.of("pods", "no route to 203.0.113.1"), r.failed());
        List<TunnelState> states = reconciler.states();
        assertEquals(StateWord.FAILED, states.get(0).state());
        assertEquals("no route to 203.0.113.1", states.get(0).detail());
        assertEquals(StateWord.UP, states.get(1).state(), "the other connection runs");
        driver.drain();

        driver.refuse.clear();
        r = reconciler.apply(snapshot(twoConnections()));
        assertEquals(List.of("start pods"), driver.drain(), "a failed connection is retried, not stopped");
        assertTrue(r.failed().isEmpty());
        assertEquals(StateWord.UP, reconciler.state("pods").orElseThrow().state());
    }

    @Test
    void failedConnectionsAreRetriedWithoutACommit() {
        driver.refuse.put("pods", "cannot resolve peer address vpn.cloud.example.net");
        reconciler.apply(snapshot(twoConnections()));
        driver.drain();
        assertEquals(List.of(), reconciler.retryFailed(), "still refused");
        assertEquals(List.of("start pods"), driver.drain(), "only the failed one is tried again");
        assertEquals(StateWord.FAILED, reconciler.state("pods").orElseThrow().state());
        driver.refuse.clear();
        assertEquals(List.of("pods"), reconciler.retryFailed());
        assertEquals(StateWord.UP, reconciler.state("pods").orElseThrow().state());
        driver.drain();
        assertEquals(List.of(), reconciler.retryFailed(), "nothing failed: nothing to do");
        assertEquals(List.of(), driver.drain());
    }

    @Test
    void aDriverExceptionFailsOnlyItsConnection() {
        driver.refuse.put("pods", "bug");
        Reconciler.Result r = reconciler.apply(snapshot(twoConnections()));
        assertEquals(List.of("pods"), List.copyOf(r.failed().keySet()));
        assertTrue(r.failed().get("pods").contains("driver bug"), r.failed().toString());
        assertEquals(StateWord.UP, reconciler.state("svc").orElseThrow().state());
    }

    @Test
    void restartAndShutdown() {
        reconciler.apply(snapshot(twoConnections()));
        driver.drain();
        assertTrue(reconciler.restart("svc"));
        assertFalse(reconciler.restart("nope"));
        assertEquals(List.of("stop svc", "start svc"), driver.drain());
        reconciler.close();
        assertEquals(List.of("stop pods", "stop svc"), driver.drain(), "shutdown stops each (IKE deletes)");
        assertTrue(driver.closed);
        assertTrue(reconciler.states().isEmpty());
    }

    @Test
    void operatorActionsReachOnlyRunningConnectionsAndLocalNetworksAreTheLocalSelectors() {
        driver.refuse.put("svc", "no route to peer");
        reconciler.apply(snapshot(twoConnections()));
        driver.drain();
        assertEquals(net.edgegw.mgmt.port.ActionResult.Outcome.ACCEPTED,
                reconciler.act("pods", d -> d.terminate("pods")).outcome());
        assertEquals(List.of("terminate pods"), driver.drain());
        net.edgegw.mgmt.port.ActionResult failed = reconciler.act("svc", d -> d.terminate("svc"));
        assertEquals(net.edgegw.mgmt.port.ActionResult.Outcome.CONFLICT, failed.outcome());
        assertTrue(failed.detail().contains("no route to peer"), failed.detail());
        assertEquals(net.edgegw.mgmt.port.ActionResult.Outcome.NOT_FOUND,
                reconciler.act("nope", d -> d.terminate("nope")).outcome());
        assertEquals(List.of(), driver.drain(), "neither reached the driver");
        // the default driver methods refuse rather than pretend
        assertEquals(net.edgegw.mgmt.port.ActionResult.Outcome.CONFLICT,
                reconciler.act("pods", d -> d.initiate("pods")).outcome());
        assertTrue(reconciler.localNetworks("svc").orElseThrow().contains("10.244.0.0/16"),
                reconciler.localNetworks("svc").toString());
        assertTrue(reconciler.localNetworks("nope").isEmpty());
        assertEquals(SaView.NONE, reconciler.sas("svc"));
    }
}
