package net.edgegw.mgmt.web;

import static net.edgegw.mgmt.port.TunnelStatus.StateWord.ESTABLISHED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.edgegw.mgmt.port.CertificateInfo;
import net.edgegw.mgmt.port.Change;
import net.edgegw.mgmt.port.Cluster;
import net.edgegw.mgmt.port.ConfigItem;
import net.edgegw.mgmt.port.Connection;
import net.edgegw.mgmt.port.FakeSystemControl;
import net.edgegw.mgmt.port.Peer;
import net.edgegw.mgmt.port.TunnelStatus;
import net.edgegw.mgmt.testing.BrowserSession;
import net.edgegw.mgmt.testing.RunningServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The admin panel in a real browser ({@link BrowserSession}: Debian's chromium driven by Playwright). First-boot
 * setup with the console token, a cluster, a peer and a connection created through the forms, logout and login, and
 * no console error or CSP violation on the way. Screenshots go to {@code target/screenshots} (or
 * {@code -Dedgegw.screenshots}).
 */
@Tag("browser")
class PanelBrowserTest {
    @Test
    @Timeout(180)
    void setupLoginCreateClusterWithoutConsoleErrorsOrCspViolations() {
        try (RunningServer s = RunningServer.start(); BrowserSession b = new BrowserSession()) {
            Page page = b.page;
            // A tunnel for the dashboard to show, straight through the port.
            s.backend.commit(List.of(Change.create(new Cluster("edge-lab", "10.42.0.0/16", "10.43.0.0/16", "", "k3s")),
                    Change.create(Peer.psk("aws-eu", "203.0.113.7", "gw.aws.example", "test-psk-0123456789", "")),
                    Change.create(new Connection("lab-to-aws", "aws-eu", "edge-lab", "10.96.0.0/16", "aes128gcm16",
                            true))), "test", "fixture", "test");
            s.backend.setTunnelStatus(new TunnelStatus("lab-to-aws", ESTABLISHED, 48_213_992, 9_120_334, 41_002,
                    30_117, 3));

            page.navigate(s.url() + "/setup");
            page.waitForSelector("#setup-form");
            b.screenshot("01-setup.png");
            assertEquals(201, b.submit("setup-form", Map.of("token", s.setupToken(), "username", "root",
                    "password", RunningServer.ADMIN_PASSWORD, "password2", RunningServer.ADMIN_PASSWORD)));

            page.waitForSelector("#tunnels tr:has-text('lab-to-aws')");
            assertTrue(page.textContent("#tunnels").contains("ESTABLISHED"));
            assertEquals("root", page.textContent("#who-name"));
            // Live throughput over the event stream: 1 MiB more in, and the row shows a rate and a chart line.
            page.waitForSelector("#live:not([hidden])");
            s.backend.setTunnelStatus(new TunnelStatus("lab-to-aws", ESTABLISHED, 48_213_992 + (1 << 20),
                    9_120_334 + 4096, 41_900, 30_200, 3));
            // (waitForFunction would need 'unsafe-eval', which the CSP rightly refuses.)
            page.waitForSelector("#tunnels tr[data-tunnel=lab-to-aws] .rate-in:text-matches('KiB/s|MiB/s')");
            // Varying traffic, each step held until the stream's next sample drew it, so that the chart (and the
            // screenshot) has a shape.
            for (int i = 1; i <= 6; i++) {
                int before = chartPoints(page);
                s.backend.setTunnelStatus(new TunnelStatus("lab-to-aws", ESTABLISHED,
                        48_213_992 + (1 << 20) + i * (600_000L + (i % 3) * 400_000L), 9_120_334 + i * 150_000L,
                        41_900 + i * 700, 30_200 + i * 200, 3));
                page.waitForCondition(() -> chartPoints(page) > before);
            }
            assertTrue(chartPoints(page) >= 4, "chart points: " + chartPoints(page));
            b.screenshot("02-dashboard.png");

            // Client-side mistakes come back as per-field messages (the 422 Chromium logs is then forgotten).
            b.goTo("clusters");
            b.openForm("cluster");
            assertEquals(422, b.submit("cluster-form", Map.of("name", "k8s-onprem", "podCidr", "10.244.0.1/16",
                    "serviceCidr", "10.96.0.0/12", "description", "rack 3, kubeadm")));
            b.expectFieldError("podCidr", "did you mean 10.244.0.0/16");
            b.screenshot("03-cluster-error.png");
            assertEquals(201, b.submit("cluster-form", Map.of("podCidr", "10.244.0.0/16")));
            b.expectToast("Cluster k8s-onprem created");
            page.waitForSelector("#clusters tr:has-text('k8s-onprem')");
            assertTrue(s.backend.get(ConfigItem.Kind.CLUSTER, "k8s-onprem").isPresent());
            b.screenshot("04-clusters.png");

            b.goTo("peers");
            b.openForm("peer");
            assertEquals(422, b.submit("peer-form", Map.of("name", "gcp-us", "address", "gw..example",
                    "remoteId", "gw.gcp.example", "psk", "gcp-us-psk-0123456789")));
            b.expectFieldError("address", "IP address or a DNS name");
            assertEquals(201, b.submit("peer-form", Map.of("address", "198.51.100.20")));
            b.expectToast("Peer gcp-us created");
            page.waitForSelector("#peers tr:has-text('gcp-us')");
            assertTrue(page.textContent("#peers").contains("gw.gcp.example"));

            b.goTo("connections");
            b.openForm("connection");
            assertEquals(201, b.submit("connection-form", Map.of("name", "onprem-to-gcp", "peer", "gcp-us",
                    "cluster", "k8s-onprem", "remoteCidr", "10.128.0.0/20", "espSuite", "aes256gcm16")));
            b.expectToast("Connection onprem-to-gcp created");
            page.waitForSelector("#connections tr:has-text('onprem-to-gcp')");
            assertEquals(new Connection("onprem-to-gcp", "gcp-us", "k8s-onprem", "10.128.0.0/20", "aes256gcm16", true),
                    s.backend.get(ConfigItem.Kind.CONNECTION, "onprem-to-gcp").orElseThrow());
            b.screenshot("06-connections.png");

            // Users and API tokens: a user created with a role, a token whose secret is shown once, revoked.
            b.context.grantPermissions(List.of("clipboard-read", "clipboard-write"));
            b.goTo("users");
            assertEquals(201, b.submit("user-form", Map.of("name", "ops-jane", "role", "operator",
                    "password", "jane-password-123")));
            b.expectToast("User ops-jane created");
            page.waitForSelector("#users tr[data-user=ops-jane]");
            assertEquals("OPERATOR", s.backend.user("ops-jane").orElseThrow().role().name());
            b.screenshot("10-users.png");
            page.selectOption("#users tr[data-user=ops-jane] select", "viewer");
            b.expectToast("ops-jane is now viewer");
            assertEquals("VIEWER", s.backend.user("ops-jane").orElseThrow().role().name());

            b.goTo("tokens");
            assertEquals(201, b.submit("token-form", Map.of("name", "ci-pipeline", "role", "viewer")));
            String secret = page.textContent("#token-secret");
            assertTrue(secret.startsWith("egw_"), secret);
            page.waitForSelector("#tokens tr:has-text('ci-pipeline')");
            page.click("#copy-secret");
            page.waitForSelector("#copy-secret:has-text('Copied')");
            assertEquals(secret, page.evaluate("navigator.clipboard.readText()"));
            assertEquals(200, s.get("/api/v1/status", RunningServer.Creds.bearer(secret)).status());
            b.screenshot("11-tokens.png");
            b.goTo("dashboard");
            b.goTo("tokens");
            page.waitForSelector("#tokens tr:has-text('ci-pipeline')");
            assertEquals(0, page.locator("#token-secret").count(), "the secret is shown once only");
            assertTrue(!page.content().contains(secret), "nor anywhere else on the page");
            page.onDialog(d -> d.accept());
            page.click("#tokens tr:has-text('ci-pipeline') button:has-text('Revoke')");
            b.expectToast("Token ci-pipeline revoked");
            page.waitForSelector("#no-tokens:not([hidden])");
            assertEquals(401, s.get("/api/v1/status", RunningServer.Creds.bearer(secret)).status(), "revoked");
            b.goTo("audit");
            page.waitForSelector("#audit tr:has-text('token.revoke')");

            b.logOut();
            assertEquals(200, b.submit("login-form", Map.of("username", "root",
                    "password", RunningServer.ADMIN_PASSWORD)));
            page.waitForSelector("#tunnels tr");
            b.goTo("clusters");
            page.waitForSelector("#clusters tr:has-text('k8s-onprem')");
            b.goTo("revisions");
            page.waitForSelector("#revisions tr:has-text('create cluster k8s-onprem')");
            b.awaitNoToast(); // the revoke's
            b.screenshot("05-revisions.png");

            // The certificates and settings page modules: a listed certificate, a settings change with a bad field.
            s.backend.putCertificate(new CertificateInfo("lab-ca", CertificateInfo.Kind.CA, "CN=lab CA", "CN=lab CA",
                    "1f", Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2036-01-01T00:00:00Z"), List.of(),
                    true, true, List.of()), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", null);
            b.goTo("certificates");
            page.waitForSelector("#certificates tr:has-text('lab-ca')");
            page.waitForSelector("#issue-form [name=ca] option[value=lab-ca]", new Page.WaitForSelectorOptions()
                    .setState(WaitForSelectorState.ATTACHED));
            b.screenshot("07-certificates.png");
            b.goTo("settings");
            page.click("#add-nic");
            // the request schema's pattern refuses the name before the settings are validated: 400, per field
            assertEquals(400, b.submit("settings-form", Map.of("interfaces[0].name", "eth0 bad")));
            b.expectFieldError("interfaces[0].name", "must match");
            assertEquals(200, b.submit("settings-form", Map.of("interfaces[0].name", "eth0", "workers", "2")));
            b.expectToast("Settings saved");
            assertEquals(2, s.backend.settings().settings().workers());
            page.evaluate("window.scrollTo(0, 0)");
            b.screenshot("08-settings.png");

            // #/system: the profile's CPU warning, then a (fake) signed bundle through the upload form.
            b.goTo("system");
            page.waitForSelector("#hw-warnings li:has-text('will be slow')");
            assertTrue(page.textContent("#hw-profile").contains("pclmulqdq"));
            // The HTTPS certificate card: what is served; an upload of files that are not PEM is refused per field.
            page.waitForSelector("#tls-info:has-text('self-signed')");
            assertTrue(page.textContent("#tls-info").contains("IP:127.0.0.1"));
            for (String field : new String[] {"certificatePem", "privateKeyPem"}) {
                page.setInputFiles("#tls-form [name=" + field + "]", new FilePayload(field + ".pem",
                        "application/x-pem-file", "not pem".getBytes(StandardCharsets.US_ASCII)));
            }
            assertEquals(422, b.submit("tls-form", Map.of()));
            b.expectFieldError("certificatePem", "PEM certificate");
            page.setInputFiles("#update-form input[type=file]", new FilePayload("edgegw-v2.bundle",
                    "application/octet-stream", FakeSystemControl.bundle("v2", new byte[200_000])));
            assertEquals(202, b.submit("update-form", Map.of()));
            page.waitForSelector("#update-message:has-text('written to slot b')");
            b.expectToast("Bundle accepted");
            assertEquals("b", s.backend.system().oneShot(), "the upload armed the trial boot of slot b");
            b.screenshot("09-system.png");

            // A viewer: no Users or Audit link, their own (empty) token list, tokens only up to viewer.
            b.logOut();
            b.submit("login-form", Map.of("username", "ops-jane", "password", "jane-password-123"));
            page.waitForSelector("#who-role:has-text('viewer')");
            assertTrue(page.isHidden("#nav a[data-view=users]") && page.isHidden("#nav a[data-view=audit]"));
            b.goTo("tokens");
            page.waitForSelector("#no-tokens:not([hidden])");
            assertEquals(List.of("viewer"), page.locator("#token-form [name=role] option").allTextContents());

            b.assertClean();
        }
    }

    /** How many samples the dashboard's chart of lab-to-aws draws. */
    private static int chartPoints(Page page) {
        return ((Number) page.evaluate("document.querySelector('#tunnels tr[data-tunnel=lab-to-aws] .spark "
                + "polyline.in').getAttribute('points').split(' ').length")).intValue();
    }
}
