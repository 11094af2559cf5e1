package net.edgegw.appliance.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.edgegw.appliance.config.Config;
import net.edgegw.appliance.config.Fixtures;
import net.edgegw.appliance.config.Secret;
import net.edgegw.appliance.store.ConfigStore;
import net.edgegw.appliance.store.Snapshot;
import net.edgegw.mgmt.cli.GatewayCtl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** gatewayctl export / import / apply against the real server over the H2 store, as an operator would script it. */
@Timeout(120)
class GatewayCtlOverStoreTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private Run ctl(ApiClient api, String... args) {
        List<String> all = new ArrayList<>(List.of("--url", api.url(), "--cacert",
                dir.resolve("panel/tls/cert.pem").toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = GatewayCtl.run(all.toArray(String[]::new), Map.of("GATEWAYCTL_TOKEN", ApiClient.TOKEN),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void exportImportAndApply() throws Exception {
        List<Long> reconciled = new ArrayList<>();
        try (ConfigStore store = ConfigStore.open(dir.resolve("data"));
             ApiClient api = new ApiClient(new StoreBackend(store, StoreBackendTest.NO_STATUS,
                     (Snapshot s) -> reconciled.add(s.revision().number())), dir)) {
            Path example = Files.writeString(dir.resolve("example.yaml"), Fixtures.exampleYaml());
            Run imported = ctl(api, "import", example.toString());
            assertEquals(0, imported.status(), imported.err());
            assertEquals("imported " + example + ": now r1\n", imported.out());
            assertEquals(Fixtures.example(), store.current().config());
            assertEquals(List.of(1L), reconciled, "the reconciler hears of the import");

            Path exported = dir.resolve("export.yaml");
            Run export = ctl(api, "export", exported.toString());
            assertEquals(0, export.status(), export.err());
            String yaml = Files.readString(exported);
            assertTrue(yaml.contains("cloud-gw") && yaml.contains("10.244.0.0/16"), yaml);
            assertFalse(yaml.contains(Fixtures.EXAMPLE_PSK), "secrets are left out: " + yaml);

            // apply: a new cluster and the peer moved (its PSK not in the file): the rest stays.
            Path partial = Files.writeString(dir.resolve("partial.yaml"), """
                    clusters:
                      - name: branch
                        podCidrs: [10.50.0.0/16]
                    peers:
                      - name: cloud-gw
                        address: 198.51.100.7
                        remoteId: vpn.cloud.example.net
                        auth: {method: psk}
                        ikeProposals: [aes256gcm16-prfsha384-ecp384]
                    """);
            Run applied = ctl(api, "apply", partial.toString());
            assertEquals(0, applied.status(), applied.err());
            Config c = store.current().config();
            assertEquals(2, store.current().revision().number());
            assertEquals(List.of("onprem", "cloud", "branch"), c.clusters().stream().map(x -> x.name()).toList());
            assertEquals("198.51.100.7", c.peer("cloud-gw").orElseThrow().address());
            assertEquals(Secret.of(Fixtures.EXAMPLE_PSK), c.peer("cloud-gw").orElseThrow().auth().psk(),
                    "the stored PSK stays");
            assertEquals(1, c.connections().size(), "items the file does not name stay");
            assertEquals(Fixtures.example().settings(), c.settings(), "no settings key: settings stay");

            // A file with problems: every one listed, exit 1, nothing changed.
            Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                    clusters:
                      - name: branch
                        podCidrs: [10.50.0.1/16]
                    peers:
                      - name: p2
                        auth: {method: psk, psk: short}
                    """);
            Run refused = ctl(api, "apply", bad.toString());
            assertEquals(1, refused.status(), refused.out());
            assertTrue(refused.err().contains("422") && refused.err().contains("clusters[branch].podCidrs")
                    && refused.err().contains("peers[p2].address") && refused.err().contains("peers[p2].auth.psk"),
                    refused.err());
            assertFalse(refused.err().contains("short"), "a problem does not quote the key");
            assertEquals(2, store.current().revision().number(), "nothing changed");

            // import replaces everything: the exported file (without its PSK) brings r1's content back.
            Run back = ctl(api, "import", exported.toString());
            assertEquals(0, back.status(), back.err());
            assertEquals(Fixtures.example(), store.current().config(), "replaced whole, the PSK kept by name");
            assertEquals(List.of(1L, 2L, 3L), reconciled);

            HttpResponse<String> json = api.call("POST", "/api/v1/config/import", "application/json", "{}");
            assertEquals(415, json.statusCode(), json.body());
            HttpResponse<String> mode = api.call("POST", "/api/v1/config/import?mode=all", "application/yaml", yaml);
            assertEquals(400, mode.statusCode(), "the query schema's enum: " + mode.body());
            assertTrue(mode.body().contains("\"mode\""), mode.body());
            assertTrue(yaml.contains("workers: 0"), yaml);
            String big = "# " + "x".repeat(200_000) + "\n" + yaml.replace("workers: 0", "workers: 2");
            HttpResponse<String> large = api.call("POST", "/api/v1/config/import", "application/yaml", big);
            assertEquals(200, large.statusCode(), "past the 64 KiB of other requests: " + large.body());
            assertEquals(2, store.current().config().settings().dataPlane().workers());
            HttpResponse<String> same = api.call("POST", "/api/v1/config/import", "application/yaml", big);
            assertEquals(422, same.statusCode(), same.body());
            assertTrue(same.body().contains("nothing to commit"), same.body());
        }
    }
}
