package net.edgegw.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConfigYamlTest {

    private static final SecretCodec PLAIN = Fixtures.PLAIN;

    @Test
    void exampleReadsAsDocumented() {
        Config c = Fixtures.example();
        assertEquals(2, c.clusters().size());
        Peer p = c.peer("cloud-gw").orElseThrow();
        assertEquals(Fixtures.EXAMPLE_PSK, p.auth().psk().reveal());
        assertEquals(new Peer.Dpd(30, 150, Peer.DpdAction.RESTART), p.dpd());
        Connection conn = c.connection("pods").orElseThrow();
        assertEquals(Connection.StartAction.START, conn.startAction());
        assertTrue(conn.enforce());
        assertEquals(Settings.Role.MGMT, c.settings().interfaces().get(2).role());
    }

    /** The example in appliance/CONFIG.md is a valid configuration (surefire runs in the module directory). */
    @Test
    void theDocumentedExampleIsValid() throws Exception {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("CONFIG.md"));
        int start = doc.indexOf("```yaml\n") + "```yaml\n".length();
        String yaml = doc.substring(start, doc.indexOf("```", start));
        ConfigYaml.Read r = ConfigYaml.readAndValidate(yaml, SecretCodec.OMIT, c -> c);
        assertTrue(r.ok(), r.problems().toString());
        assertEquals(Fixtures.example().connections(), r.config().connections());
    }

    @Test
    void writeThenReadIsTheSameConfigAndWritingIsCanonical() {
        Config c = Fixtures.example();
        String text = ConfigYaml.write(c, PLAIN);
        ConfigYaml.Read back = ConfigYaml.read(text, PLAIN);
        assertTrue(back.ok(), back.problems().toString());
        assertEquals(c, back.config());
        assertEquals(text, ConfigYaml.write(back.config(), PLAIN));
    }

    @Test
    void defaultsFillWhatIsLeftOut() {
        ConfigYaml.Read r = ConfigYaml.read("""
                clusters: [{name: a, podCidrs: [10.1.0.0/16]}, {name: b, podCidrs: [10.2.0.0/16]}]
                peers: [{name: p, address: 192.0.2.2, auth: {method: psk, psk: abcdefghijklmnopq},
                         ikeProposals: [aes128gcm16-prfsha256-x25519]}]
                connections: [{name: c, peer: p, localClusters: [a], remoteClusters: [b], proposals: [aes128gcm16]}]
                """, SecretCodec.OMIT);
        assertTrue(r.ok(), r.problems().toString());
        Connection c = r.config().connections().get(0);
        assertEquals(Connection.Mode.TUNNEL, c.mode());
        assertEquals(Connection.StartAction.ON_TRAFFIC, c.startAction());
        assertEquals(Connection.Lifetimes.DEFAULT, c.lifetimes());
        assertEquals(Peer.NatTraversal.DEFAULT, r.config().peers().get(0).natTraversal());
        assertEquals(Settings.DEFAULT, r.config().settings());
        assertEquals(List.of(), ConfigValidator.validate(r.config()));
    }

    @Test
    void omittedSecretsAreNotWritten() {
        String text = ConfigYaml.write(Fixtures.example(), SecretCodec.OMIT);
        assertFalse(text.contains(Fixtures.EXAMPLE_PSK));
        assertFalse(text.contains("psk:"), text);
        ConfigYaml.Read back = ConfigYaml.read(text, SecretCodec.OMIT);
        assertNull(back.config().peers().get(0).auth().psk());
        assertEquals(Peer.AuthMethod.PSK, back.config().peers().get(0).auth().method());
    }

    @Test
    void syntaxErrorNamesTheLine() {
        ConfigYaml.Read r = ConfigYaml.read("clusters:\n  - name: a\n    podCidrs: [10.0.0.0/8\npeers: []\n",
                SecretCodec.OMIT);
        assertFalse(r.ok());
        assertEquals(1, r.problems().size());
        assertTrue(r.problems().get(0).message().startsWith("not valid YAML at line"), r.problems().toString());
    }

    @Test
    void duplicateKeysAndNonMappingsAreProblems() {
        assertFalse(ConfigYaml.read("clusters: []\nclusters: []\n", SecretCodec.OMIT).ok());
        assertEquals(List.of(new Problem("", "expected a mapping")),
                ConfigYaml.read("- just\n- a list\n", SecretCodec.OMIT).problems());
        assertEquals(List.of(new Problem("", "empty document")), ConfigYaml.read("  \n", SecretCodec.OMIT).problems());
    }

    @Test
    void readAndValidateReportsBothKindsOnceEach() {
        ConfigYaml.Read r = ConfigYaml.readAndValidate("""
                clusters: [{name: a, podCidrs: [10.1.0.0/16]}, {name: b, podCidrs: [10.2.0.0/33]}]
                peers: [{name: p, address: 192.0.2.2, auth: {method: kerberos}, ikeProposals: [aes128gcm16-x25519]}]
                connections: [{name: c, peer: q, localClusters: [a], remoteClusters: [b], proposals: [aes128gcm16]}]
                """, SecretCodec.OMIT, c -> c);
        assertEquals(List.of(
                new Problem("peers[p].auth.method", "'kerberos' is not one of [psk, certificate]"),
                new Problem("clusters[b].podCidrs[0]", "prefix length must be 0..32: '10.2.0.0/33'"),
                new Problem("peers[p].ikeProposals[0]",
                        "an AEAD IKE proposal needs a PRF (e.g. prfsha256) in 'aes128gcm16-x25519'"),
                new Problem("connections[c].peer", "no peer named 'q'")), r.problems());
        // the validator's "auth.method required" is left out: the file's own problem already names that field
    }

    /** Every structural problem of a file at once, each with its path. */
    @Test
    void everyTypeProblemIsReportedWithItsPath() {
        ConfigYaml.Read r = ConfigYaml.read("""
                version: 7
                colors: [red]
                clusters:
                  - name: a
                    podCidrs: 10.0.0.0/8
                    nodeCidrs: [10.1.0.0/16, {x: 1}]
                peers:
                  - name: p
                    address: 192.0.2.1
                    ikeLifetime: soon
                    auth: {method: kerberos}
                    dpd: {delay: 30, action: explode}
                    natTraversal: {enabled: maybe}
                connections:
                  - name: c
                    mode: tunel
                    lifetimes: {rekeyBytes: 99999999999999999999999}
                    startAction: later
                settings:
                  interfaces: [{name: eth0, role: dmz}]
                  dataPlane: {workers: 99999999999}
                  logging: {verbosity: 3}
                certificates: {name: x}
                """, SecretCodec.OMIT);
        assertFalse(r.ok());
        String all = r.problems().stream().map(Problem::toString).collect(Collectors.joining("\n"));
        String[] expected = {
            "version: unsupported schema version '7'",
            "colors: unknown field",
            "clusters[a].podCidrs: expected a list",
            "clusters[a].nodeCidrs[1]: expected a string",
            "peers[p].ikeLifetime: expected an integer, found 'soon'",
            "peers[p].auth.method: 'kerberos' is not one of [psk, certificate]",
            "peers[p].dpd.action: 'explode' is not one of [restart, clear, hold]",
            "peers[p].natTraversal.enabled: expected true or false, found 'maybe'",
            "connections[c].mode: 'tunel' is not one of [tunnel, transport]",
            "connections[c].lifetimes.rekeyBytes: expected an integer",
            "connections[c].startAction: 'later' is not one of [start, on-traffic, none]",
            "settings.interfaces[0].role: 'dmz' is not one of [wan, lan, mgmt]",
            "settings.dataPlane.workers: out of range",
            "settings.logging.verbosity: unknown field",
            "certificates: expected a list",
        };
        for (String e : expected) {
            assertTrue(all.contains(e), "missing '" + e + "' in\n" + all);
        }
        assertEquals(expected.length, r.problems().size(), all);
    }
}
