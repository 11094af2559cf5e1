package net.edgegw.appliance.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.edgegw.appliance.config.Config;
import net.edgegw.appliance.config.ConfigYaml;
import net.edgegw.appliance.config.Connection;
import net.edgegw.appliance.config.Fixtures;
import net.edgegw.appliance.config.Peer;
import net.edgegw.appliance.ike.sa.IkeConfig;
import net.edgegw.appliance.ike.sa.Proposals;
import net.edgegw.dataplane.spd.TrafficSelector;
import org.junit.jupiter.api.Test;

/** The mapping of a configured connection to the IKE engine's peer, without a data plane. */
class IkeTunnelDriverTest {
    static final InetAddress LOCAL = address("192.0.2.1");
    static final InetAddress REMOTE = address("192.0.2.2");

    static InetAddress address(String s) {
        try {
            return InetAddress.getByAddress(TrafficSelector.parseAddress(s));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static Config example() {
        ConfigYaml.Read r = ConfigYaml.read(Fixtures.exampleYaml(), Fixtures.PLAIN);
        assertTrue(r.ok(), r.problems().toString());
        return r.config();
    }

    static Tunnel pods(Config c) {
        return Tunnel.of(c).stream().filter(t -> t.name().equals("pods")).findFirst().orElseThrow();
    }

    @Test
    void exampleConnectionBecomesOnePskPeerWithItsProposalsSelectorsAndTimers() {
        Tunnel t = pods(example());
        assertNull(IkeTunnelDriver.unsupported(t));
        IkeConfig c = IkeTunnelDriver.ikeConfig(t, LOCAL, REMOTE);
        assertEquals("pods", c.name());
        assertEquals(LOCAL, c.local().getAddress());
        assertEquals(IkeConfig.IKE_PORT, c.local().getPort());
        assertEquals(REMOTE, c.remote().getAddress());
        assertEquals("onprem.example.net", c.localId());
        assertEquals("vpn.cloud.example.net", c.remoteId());
        assertArrayEquals(Fixtures.EXAMPLE_PSK.getBytes(StandardCharsets.UTF_8), c.psk());
        assertEquals(Proposals.parseIke("aes128gcm16-prfsha256-x25519,aes256-sha256-prfsha256-modp2048").toString(),
                c.ikeProposals().toString());
        assertEquals(Proposals.parseEsp("aes128gcm16,chacha20poly1305-x25519-esn").toString(),
                c.espProposals().toString());
        // tunnel mode: pod, service and node CIDRs of each side, each once, both families
        assertEquals(List.of("10.244.0.0/16", "10.96.0.0/16", "192.168.10.0/24", "fd00:10:244::/56").stream()
                .map(TrafficSelector::cidr).toList().stream().sorted(java.util.Comparator.comparing(Object::toString))
                .toList(), c.localTs().stream().sorted(java.util.Comparator.comparing(Object::toString)).toList());
        assertEquals(4, c.remoteTs().size());
        assertTrue(c.remoteTs().contains(TrafficSelector.cidr("10.128.0.0/14")), c.remoteTs().toString());
        assertTrue(c.remoteTs().contains(TrafficSelector.cidr("fd00:20:128::/56")), c.remoteTs().toString());
        assertTrue(c.forceEncap(), "ESP always in UDP: the data plane receives ESP on 4500");
        assertEquals(30, c.dpdSeconds());
        assertEquals(14_400, c.ikeRekeySeconds());
        assertEquals(3600, c.childRekeySeconds());
    }

    @Test
    void identitiesDefaultToTheAddresses() {
        Config c = example();
        Peer p = c.peers().get(0);
        c = c.withPeers(List.of(new Peer(p.name(), "192.0.2.2", null, null, p.auth(), p.ikeProposals(),
                p.ikeLifetimeSeconds(), p.dpd(), p.natTraversal(), null)));
        IkeConfig k = IkeTunnelDriver.ikeConfig(pods(c), LOCAL, REMOTE);
        assertEquals("192.0.2.1", k.localId());
        assertEquals("192.0.2.2", k.remoteId());
    }

    @Test
    void whatTheEngineCannotRunIsAReasonNotAnException() {
        Config c = example();
        Connection x = c.connections().get(0);
        Config ah = c.withConnections(List.of(new Connection(x.name(), x.peer(), x.localClusters(),
                x.remoteClusters(), Connection.Protocol.AH, List.of("sha256"), x.mode(), x.lifetimes(),
                x.startAction(), x.enforce(), null)));
        assertTrue(IkeTunnelDriver.unsupported(pods(ah)).contains("AH"));
        Config transport = c.withConnections(List.of(new Connection(x.name(), x.peer(), x.localClusters(),
                x.remoteClusters(), x.protocol(), x.proposals(), Connection.Mode.TRANSPORT, x.lifetimes(),
                x.startAction(), x.enforce(), null)));
        assertTrue(IkeTunnelDriver.unsupported(pods(transport)).contains("transport"));
        Peer p = c.peers().get(0);
        Config cert = c.withPeers(List.of(new Peer(p.name(), p.address(), p.localId(), p.remoteId(),
                Peer.Auth.certificate("gw", "ca"), p.ikeProposals(), p.ikeLifetimeSeconds(), p.dpd(),
                p.natTraversal(), null)));
        assertTrue(IkeTunnelDriver.unsupported(pods(cert)).contains("PSK only"));
    }

    @Test
    void aConnectionTheEngineCannotRunFailsWithItsReasonAndStartsNothing() {
        Config c = example();
        Peer p = c.peers().get(0);
        Config cert = c.withPeers(List.of(new Peer(p.name(), p.address(), p.localId(), p.remoteId(),
                Peer.Auth.certificate("gw", "ca"), p.ikeProposals(), p.ikeLifetimeSeconds(), p.dpd(),
                p.natTraversal(), null)));
        IkeTunnelDriver d = new IkeTunnelDriver(null, 1);
        try {
            Tunnel t = pods(cert);
            assertTrue(d.start(t).contains("PSK only"));
            assertEquals(IkeTunnelDriver.DOWN, d.state("pods"));
            assertArrayEquals(new long[5], d.counters("pods"));
            d.stop(t); // nothing started: a no-op
        } finally {
            d.close(); // no data plane was started: nothing to remove
        }
    }

    @Test
    void onlyWhatTheEngineUsesCountsAsAChange() {
        Config c = example();
        Tunnel before = pods(c);
        Connection x = c.connections().get(0);
        Config described = c.withConnections(List.of(new Connection(x.name(), x.peer(), x.localClusters(),
                x.remoteClusters(), x.protocol(), x.proposals(), x.mode(), x.lifetimes(), x.startAction(),
                x.enforce(), "moved to rack 7")));
        assertNotEquals(before, pods(described)); // the reconciler calls update ...
        assertEquals(IkeTunnelDriver.effective(before), IkeTunnelDriver.effective(pods(described))); // ... a no-op
        assertNotEquals(IkeTunnelDriver.effective(before),
                IkeTunnelDriver.effective(pods(Fixtures.withPsk(c, "another long pre-shared key"))));
        Config none = c.withConnections(List.of(new Connection(x.name(), x.peer(), x.localClusters(),
                x.remoteClusters(), x.protocol(), x.proposals(), x.mode(), x.lifetimes(),
                Connection.StartAction.NONE, x.enforce(), x.description())));
        assertNotEquals(IkeTunnelDriver.effective(before), IkeTunnelDriver.effective(pods(none)));
    }

    @Test
    void selectorsShowAsCidrsWhenTheyAreOne() {
        assertEquals("10.244.1.0/24", IkeTunnelDriver.text(TrafficSelector.cidr("10.244.1.0/24")));
        assertEquals("fd00:20:128:0:0:0:0:0/56", IkeTunnelDriver.text(TrafficSelector.cidr("fd00:20:128::/56")));
        assertEquals("0.0.0.0/0", IkeTunnelDriver.text(TrafficSelector.cidr("0.0.0.0/0")));
        assertEquals("10.0.0.1-10.0.0.6", IkeTunnelDriver.text(TrafficSelector.range("10.0.0.1", "10.0.0.6", 0, 0, 65535)));
        assertEquals("10.0.0.0-10.0.0.255[443-443]",
                IkeTunnelDriver.text(TrafficSelector.cidr("10.0.0.0/24", 0, 443, 443)));
    }

    @Test
    void routesAreTheRemoteCidrs() {
        assertEquals(new IkeTunnelDriver.Route(address("10.96.1.0"), 24), IkeTunnelDriver.Route.of("10.96.1.0/24"));
        assertEquals(new IkeTunnelDriver.Route(address("fd00:20:128::"), 56),
                IkeTunnelDriver.Route.of("fd00:20:128::/56"));
    }
}
