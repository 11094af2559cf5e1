package net.edgegw.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConfigValidatorTest {

    @Test
    void theExampleIsValid() {
        assertEquals(List.of(), ConfigValidator.validate(Fixtures.example()));
        assertEquals(List.of(), ConfigValidator.validate(Config.EMPTY));
    }

    @Test
    void connectionExpandsToSameFamilyPairs() {
        Config c = Fixtures.example();
        List<SelectorPair> sel = c.selectors(c.connection("pods").orElseThrow());
        // onprem: 3 IPv4 + 1 IPv6 CIDR; cloud: 3 IPv4 + 1 IPv6 -> 3*3 + 1*1
        assertEquals(10, sel.size(), sel.toString());
        assertTrue(sel.contains(new SelectorPair("10.244.0.0/16", "10.128.0.0/14")));
        assertTrue(sel.contains(new SelectorPair("fd00:10:244:0:0:0:0:0/56", "fd00:20:128:0:0:0:0:0/56")));
        assertTrue(sel.stream().noneMatch(p -> p.local().contains(":") != p.remote().contains(":")));
    }

    @Test
    void transportModeUsesNodeCidrsOnly() {
        Config c = Fixtures.example();
        Connection pods = c.connection("pods").orElseThrow();
        Connection mesh = new Connection("mesh", pods.peer(), pods.localClusters(), pods.remoteClusters(),
                Connection.Protocol.ESP, List.of("aes256gcm16"), Connection.Mode.TRANSPORT, null, null, true, null);
        assertEquals(List.of(new SelectorPair("192.168.10.0/24", "172.31.0.0/20")), c.selectors(mesh));
    }

    /** One config with one problem of every kind: all are reported together, each with its field. */
    @Test
    void everyProblemIsReportedWithItsField() {
        Config ok = Fixtures.example();
        List<Cluster> clusters = new ArrayList<>(ok.clusters());
        clusters.add(new Cluster("branch", List.of("10.50.0.0/16", "10.51.1.7/16", "fd00::zz/64"),
                List.of("10.52.0.0/33"), List.of(), null));
        clusters.add(new Cluster("onprem", List.of("10.60.0.0/16"), List.of(), List.of(), null)); // duplicate name
        clusters.add(new Cluster("bad name!", List.of(), List.of(), List.of(), null));
        Peer good = ok.peers().get(0);
        List<Peer> peers = new ArrayList<>(ok.peers());
        peers.add(new Peer("weak", "10.1.2", null, "", Peer.Auth.psk(Secret.of("short")),
                List.of("aes128gcm16-prfsha256-modp1024"), 30, new Peer.Dpd(30, 10, Peer.DpdAction.CLEAR),
                new Peer.NatTraversal(true, false, 99999), null));
        peers.add(new Peer("pki", "gw.example.org", null, null, Peer.Auth.certificate("gw-cert", null),
                good.ikeProposals(), 3600, null, null, null));
        Connection pods = ok.connection("pods").orElseThrow();
        List<Connection> conns = new ArrayList<>(ok.connections());
        conns.add(new Connection("web", "nowhere", List.of("branch"), List.of("cloud", "mars"),
                Connection.Protocol.ESP, List.of("aes128gcm16-sha256"), null,
                new Connection.Lifetimes(30, 20, -1, 0), null, false, null));
        conns.add(new Connection("again", good.name(), List.of("onprem"), List.of("cloud"), null, pods.proposals(),
                null, null, null, false, null));
        conns.add(new Connection("loop", good.name(), List.of("cloud"), List.of("cloud"), null, pods.proposals(),
                null, null, null, false, null));
        Settings s = new Settings(List.of(new Settings.NetworkInterface("eth0", Settings.Role.WAN),
                new Settings.NetworkInterface("eth0", Settings.Role.LAN),
                new Settings.NetworkInterface("an-interface-name-too-long", null)),
                new Settings.DataPlane(Settings.Backend.TUN, 1000), new Settings.Logging(Settings.Level.INFO, -1));
        Config bad = new Config(clusters, peers, conns, s, List.of());

        List<Problem> problems = ConfigValidator.validate(bad);
        String all = problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
        String[][] expected = {
            {"clusters[branch].podCidrs[1]", "host bits set in '10.51.1.7/16' (did you mean 10.51.0.0/16?)"},
            {"clusters[branch].podCidrs[2]", "not an IP address literal"},
            {"clusters[branch].serviceCidrs[0]", "prefix length must be 0..32"},
            {"clusters[3].name", "duplicate name 'onprem' (also clusters[0])"},
            {"clusters[4].name", "is not a valid name"},
            {"clusters[4]", "at least one pod, service or node CIDR"},
            {"peers[weak].address", "neither an IP address literal nor a host name"},
            {"peers[weak].remoteId", "1..255 characters"},
            {"peers[weak].auth.psk", "at least 16 characters"},
            {"peers[weak].ikeProposals[0]", "unknown algorithm 'modp1024'"},
            {"peers[weak].ikeLifetime", "at least 60 seconds"},
            {"peers[weak].dpd.timeout", "longer than dpd.delay"},
            {"peers[weak].natTraversal.keepalive", "0 (off) .. 3600"},
            {"peers[pki].auth.certificate", "no certificate named 'gw-cert'"},
            {"peers[pki].auth.ca", "required with certificate authentication"},
            {"connections[web].peer", "no peer named 'nowhere'"},
            {"connections[web].remoteClusters[1]", "no cluster named 'mars'"},
            {"connections[web].proposals[0]", "no separate integrity"},
            {"connections[web].lifetimes.rekeySeconds", "at least 60"},
            {"connections[web].lifetimes.lifeSeconds", "longer than rekeySeconds"},
            {"connections[web].lifetimes.rekeyBytes", "0 (unused) or positive"},
            {"connections[again]", "traffic selectors overlap connections[pods] on 10.244.0.0/16 <-> 10.128.0.0/14 ("},
            {"connections[loop].remoteClusters[0]", "'cloud' is also a local cluster"},
            {"connections[loop].remoteClusters", "overlaps local"},
            {"settings.interfaces[1].name", "interface 'eth0' already has a role"},
            {"settings.interfaces[2].name", "1..15 characters"},
            {"settings.interfaces[2].role", "one of wan, lan, mgmt"},
            {"settings.dataPlane.workers", "0 (one per core) .. 256"},
            {"settings.logging.statusInterval", "0 (off)"},
        };
        for (String[] e : expected) {
            assertTrue(problems.stream().anyMatch(p -> p.field().equals(e[0]) && p.message().contains(e[1])),
                    "missing " + e[0] + ": " + e[1] + " in\n" + all);
        }
        assertEquals(expected.length, problems.size(), all);
    }

    @Test
    void certificateReferencesMustResolveToTheRightKind() {
        Config ok = Fixtures.example();
        Peer p = ok.peers().get(0);
        Config c = ok.withPeers(List.of(new Peer(p.name(), p.address(), null, null,
                        Peer.Auth.certificate("root", "root"), p.ikeProposals(), 3600, null, null, null)))
                .withCertificates(List.of(new CertificateRef("root", CertificateRef.Kind.CA, "garbage", null)));
        List<Problem> problems = ConfigValidator.validate(c);
        assertEquals(List.of(
                new Problem("certificates[root].certificate", "a PEM X.509 certificate is required"),
                new Problem("peers[cloud-gw].auth.certificate",
                        "certificates[root] is a ca certificate, not a gateway one")), problems);
    }
}
