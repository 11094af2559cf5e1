package net.edgegw.mgmt.cli;

import static net.edgegw.mgmt.port.TunnelStatus.StateWord.ESTABLISHED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.edgegw.mgmt.port.Change;
import net.edgegw.mgmt.port.Cluster;
import net.edgegw.mgmt.port.ConfigItem;
import net.edgegw.mgmt.port.Connection;
import net.edgegw.mgmt.port.Peer;
import net.edgegw.mgmt.port.TunnelStatus;
import net.edgegw.mgmt.testing.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** gatewayctl against a real server (in-memory backend) over HTTPS with API tokens. */
@Timeout(120)
class GatewayCtlTest {
    private static RunningServer s;
    private static String admin;
    private static String viewer;

    @BeforeAll
    static void start() {
        s = RunningServer.start();
        s.setUp();
        admin = s.createToken(s.adminSession(), "admin");
        viewer = s.createToken(s.adminSession(), "viewer");
        s.backend.commit(List.of(Change.create(new Cluster("edge-lab", "10.42.0.0/16", "10.43.0.0/16", "", "k3s")),
                Change.create(Peer.psk("aws-eu", "203.0.113.7", "gw.aws.example", "test-psk-0123456789", "")),
                Change.create(Peer.psk("spare", "198.51.100.9", "gw.spare.example", "test-psk-0123456789", "")),
                Change.create(new Connection("lab-to-aws", "aws-eu", "edge-lab", "10.96.0.0/16", "aes128gcm16",
                        true))), "test", "fixture", "test");
        s.backend.setTunnelStatus(new TunnelStatus("lab-to-aws", ESTABLISHED, 4821, 912, 41, 30, 3));
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    private record Run(int status, String out, String err) {
    }

    /** Runs gatewayctl with --insecure (the server's certificate is self-signed) and the given token in the env. */
    private static Run ctl(String token, String... args) {
        return ctlWith(Map.of("GATEWAYCTL_URL", s.url(), "GATEWAYCTL_TOKEN", token),
                java.util.stream.Stream.concat(java.util.stream.Stream.of("--insecure"), java.util.Arrays.stream(args))
                        .toArray(String[]::new));
    }

    private static Run ctlWith(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = GatewayCtl.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void readsStatusListsShowsAndRevisions() {
        Run status = ctl(viewer, "status");
        assertEquals(0, status.status(), status.err());
        assertTrue(status.out().matches("(?s)revision r\\d+, 1 clusters, \\d peers\n.*"), status.out());
        assertTrue(status.out().matches("(?s).*\nlab-to-aws +ESTABLISHED +4821 +912 +41/30 +3\n.*"), status.out());

        Run peers = ctl(viewer, "list", "peers");
        assertEquals(0, peers.status(), peers.err());
        assertTrue(peers.out().startsWith("NAME "), peers.out());
        assertTrue(peers.out().contains("aws-eu") && peers.out().contains("gw.aws.example"), peers.out());

        Run show = ctl(viewer, "show", "connections", "lab-to-aws");
        assertEquals(0, show.status(), show.err());
        assertEquals("aws-eu", new JsonObject(show.out()).getString("peer"));

        Run json = ctl(viewer, "--json", "list", "clusters");
        assertEquals("edge-lab", new io.vertx.core.json.JsonArray(json.out()).getJsonObject(0).getString("name"));

        Run revs = ctl(viewer, "revisions");
        assertEquals(0, revs.status(), revs.err());
        assertTrue(revs.out().startsWith("REV ") && revs.out().contains("fixture"), revs.out());
    }

    @Test
    void changesThroughTheApiAndReportsTheServersProblems() {
        Run restart = ctl(admin, "restart", "lab-to-aws");
        assertEquals(0, restart.status(), restart.err());
        assertEquals(1, s.backend.restartCount("lab-to-aws"));

        Run refused = ctl(viewer, "delete", "peers", "spare");
        assertEquals(1, refused.status());
        assertTrue(refused.err().startsWith("gatewayctl: 403 "), refused.err());
        assertTrue(s.backend.get(ConfigItem.Kind.PEER, "spare").isPresent());

        Run inUse = ctl(admin, "delete", "peers", "aws-eu");
        assertEquals(1, inUse.status());
        assertTrue(inUse.err().contains("lab-to-aws"), "the store's reason names the connection: " + inUse.err());

        long before = s.backend.head();
        Run deleted = ctl(admin, "delete", "peers", "spare");
        assertEquals(0, deleted.status(), deleted.err());
        assertEquals("deleted peers/spare\n", deleted.out());
        assertFalse(s.backend.get(ConfigItem.Kind.PEER, "spare").isPresent());

        Run rollback = ctl(admin, "rollback", String.valueOf(before));
        assertEquals(0, rollback.status(), rollback.err());
        assertEquals("rolled back to r" + before + ": now r" + (before + 2) + "\n", rollback.out());
        assertTrue(s.backend.get(ConfigItem.Kind.PEER, "spare").isPresent(), "the peer is back");

        Run missing = ctl(admin, "show", "peers", "nope");
        assertEquals(1, missing.status());
        assertTrue(missing.err().startsWith("gatewayctl: 404 ") && missing.err().contains("nope"), missing.err());
    }

    @Test
    void tlsTrustAuthAndUsageErrors() {
        Map<String, String> env = Map.of("GATEWAYCTL_URL", s.url(), "GATEWAYCTL_TOKEN", viewer);
        Run untrusted = ctlWith(env, "status");
        assertEquals(1, untrusted.status(), "the self-signed certificate is not trusted by default");
        assertTrue(untrusted.err().contains("gatewayctl: GET "), untrusted.err());

        Run pinned = ctlWith(env, "--cacert", s.dataDir.resolve("tls/cert.pem").toString(), "status");
        assertEquals(0, pinned.status(), pinned.err());

        Run badToken = ctlWith(Map.of(), "--url", s.url(), "--token", "egw_wrong", "--insecure", "status");
        assertEquals(1, badToken.status());
        assertTrue(badToken.err().startsWith("gatewayctl: 401 "), badToken.err());

        assertEquals(2, ctl(viewer, "list", "users").status());
        assertEquals(2, ctl(viewer, "rollback", "x").status());
        assertEquals(2, ctl(viewer).status());
        Run noUrl = ctlWith(Map.of(), "status");
        assertEquals(2, noUrl.status());
        assertTrue(noUrl.err().contains("GATEWAYCTL_URL"), noUrl.err());
    }

    @Test
    void tokensListCreateAndRevoke() {
        Run asToken = ctl(admin, "tokens", "create", "ci-deploy", "operator");
        assertEquals(2, asToken.status(), "a token alone cannot mint one: " + asToken.err());
        assertTrue(asToken.err().contains("GATEWAYCTL_USER"), asToken.err());
        Run wrongPassword = ctlWith(Map.of("GATEWAYCTL_URL", s.url(), "GATEWAYCTL_TOKEN", admin,
                "GATEWAYCTL_USER", RunningServer.ADMIN, "GATEWAYCTL_PASSWORD", "not the password"),
                "--insecure", "tokens", "create", "ci-deploy", "operator");
        assertEquals(1, wrongPassword.status(), wrongPassword.err());
        assertTrue(wrongPassword.err().startsWith("gatewayctl: 401 "), wrongPassword.err());
        Run created = ctlWith(Map.of("GATEWAYCTL_URL", s.url(), "GATEWAYCTL_TOKEN", admin,
                "GATEWAYCTL_USER", RunningServer.ADMIN, "GATEWAYCTL_PASSWORD", RunningServer.ADMIN_PASSWORD),
                "--insecure", "tokens", "create", "ci-deploy", "operator");
        assertEquals(0, created.status(), created.err());
        String secret = created.out().strip();
        assertTrue(secret.startsWith("egw_"), created.out());
        assertTrue(created.err().contains("shown only now"), created.err());
        assertEquals(0, ctl(secret, "status").status(), "the new token works");
        Run list = ctl(admin, "tokens", "list");
        assertEquals(0, list.status(), list.err());
        String line = list.out().lines().filter(l -> l.contains("ci-deploy")).findFirst().orElseThrow();
        assertTrue(line.contains("operator"), line);
        assertFalse(list.out().contains(secret), "the secret is never listed");
        String id = line.split(" +")[0];
        Run revoked = ctl(admin, "tokens", "revoke", id);
        assertEquals(0, revoked.status(), revoked.err());
        assertEquals(1, ctl(secret, "status").status(), "a revoked token is refused");

        Run unknownRole = ctlWith(Map.of("GATEWAYCTL_URL", s.url(), "GATEWAYCTL_TOKEN", admin,
                "GATEWAYCTL_USER", RunningServer.ADMIN, "GATEWAYCTL_PASSWORD", RunningServer.ADMIN_PASSWORD),
                "--insecure", "tokens", "create", "x", "root");
        assertEquals(1, unknownRole.status(), "an unknown role is refused");
        assertTrue(unknownRole.err().contains("role"), unknownRole.err());
        assertEquals(2, ctl(admin, "tokens", "rotate").status(), "usage");
    }

    @Test
    void exportAndARefusedImport(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Run export = ctl(admin, "export");
        assertEquals(0, export.status(), export.err());
        assertTrue(export.out().startsWith("version: 1\n"), export.out());
        assertTrue(export.out().contains("- name: aws-eu"), export.out());
        assertFalse(export.out().contains("test-psk-0123456789"), "secrets are left out");
        java.nio.file.Path file = dir.resolve("cfg.yaml");
        assertEquals(0, ctl(admin, "export", file.toString()).status());
        assertEquals(export.out(), java.nio.file.Files.readString(file));
        assertEquals(1, ctl(viewer, "export").status(), "export is for admins");

        long head = s.backend.head();
        Run refused = ctl(admin, "import", file.toString());
        assertEquals(1, refused.status(), refused.out());
        assertTrue(refused.err().contains("422"), refused.err());
        assertEquals(head, s.backend.head(), "nothing changed");
        Run missing = ctl(admin, "apply", dir.resolve("nope.yaml").toString());
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("cannot read"), missing.err());
    }

    @Test
    void operatorCommandsActOnTunnelsTailLogsAndPing() {
        String operator = s.createToken(s.adminSession(), "operator");
        Run term = ctl(operator, "terminate", "lab-to-aws");
        assertEquals(0, term.status(), term.err());
        assertTrue(term.out().startsWith("terminate lab-to-aws: "), term.out());
        assertTrue(ctl(viewer, "status").out().contains("lab-to-aws  DOWN"), "terminated");
        Run rekey = ctl(operator, "rekey", "lab-to-aws", "child");
        assertEquals(1, rekey.status(), "nothing to rekey while down");
        assertTrue(rekey.err().contains("409"), rekey.err());
        assertEquals(0, ctl(operator, "initiate", "lab-to-aws").status());
        assertEquals(2, ctl(operator, "rekey", "lab-to-aws", "everything").status());
        assertEquals(1, ctl(viewer, "initiate", "lab-to-aws").status(), "a viewer token may not");

        s.backend.addLog("INFO", "net.edgegw.appliance.daemon.Reconciler", "reconciled revision 7");
        s.backend.addLog("WARNING", "net.edgegw.appliance.ike", "IKE_AUTH failed: AUTHENTICATION_FAILED");
        Run logs = ctl(operator, "logs", "--level", "warning");
        assertEquals(0, logs.status(), logs.err());
        assertTrue(logs.out().contains("WARNING ike: IKE_AUTH failed") && !logs.out().contains("reconciled"),
                logs.out());
        Run grep = ctl(operator, "logs", "--grep", "revision 7");
        assertTrue(grep.out().contains("reconciled revision 7") && !grep.out().contains("IKE_AUTH"), grep.out());
        assertEquals(2, ctl(operator, "logs", "--colour", "red").status());

        // edge-lab's networks hold none of this host's addresses: the server says why, per field
        Run ping = ctl(operator, "ping", "lab-to-aws", "10.96.0.1", "--count", "2");
        assertEquals(1, ping.status(), ping.out());
        assertTrue(ping.err().contains("source: this host has no IPv4 address inside the local networks"),
                ping.err());
        assertEquals(2, ctl(operator, "ping", "lab-to-aws").status(), "ping needs a target");
    }
}
