package net.edgegw.mgmt.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.edgegw.mgmt.port.CertificateInfo;
import net.edgegw.mgmt.port.Change;
import net.edgegw.mgmt.port.Cluster;
import net.edgegw.mgmt.port.ConfigItem;
import net.edgegw.mgmt.port.Connection;
import net.edgegw.mgmt.port.Peer;
import net.edgegw.mgmt.port.TunnelStatus;
import net.edgegw.mgmt.testing.PageProblems;
import net.edgegw.mgmt.testing.RunningServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The admin panel in a real browser: Debian's chromium driven by Playwright (no browser download). First-boot
 * setup with the console token, a cluster, a peer and a connection created through the forms, logout and login, and no console error or
 * CSP violation on the way. Screenshots go to {@code target/screenshots} (or {@code -Dedgegw.screenshots}).
 */
@Tag("browser")
class PanelBrowserTest {
    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    /** {@code -Dedgegw.screenshots=../docs/screenshots} refreshes the committed ones (mgmt-ui/README.md). */
    private static final Path SHOTS = Paths.get(System.getProperty("edgegw.screenshots", "target/screenshots"));

    @Test
    @Timeout(180)
    void setupLoginCreateClusterWithoutConsoleErrorsOrCspViolations() {
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: scripts/install-deps.sh installs it");
        try (RunningServer s = RunningServer.start();
             Playwright pw = Playwright.create(new Playwright.CreateOptions()
                     .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = pw.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
                     .setHeadless(true).setArgs(List.of("--no-sandbox")));
             BrowserContext context = browser.newContext(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true)
                     .setViewportSize(1280, 800))) {
            // A tunnel for the dashboard to show, straight through the port.
            s.backend.commit(List.of(Change.create(new Cluster("edge-lab", "10.42.0.0/16", "10.43.0.0/16", "", "k3s")),
                    Change.create(Peer.psk("aws-eu", "203.0.113.7", "gw.aws.example", "test-psk-0123456789", "")),
                    Change.create(new Connection("lab-to-aws", "aws-eu", "edge-lab", "10.96.0.0/16", "aes128gcm16",
                            true))), "test", "fixture", "test");
            s.backend.setTunnelStatus(new TunnelStatus("lab-to-aws", "ESTABLISHED", 48_213_992, 9_120_334, 41_002,
                    30_117, 3));

            context.setDefaultTimeout(20_000);
            Page page = context.newPage();
            PageProblems problems = PageProblems.watch(page);

            page.navigate(s.url() + "/setup");
            page.waitForSelector("#setup-form");
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("01-setup.png")));
            page.fill("#setup-form [name=token]", s.setupToken());
            page.fill("#setup-form [name=username]", "root");
            page.fill("#setup-form [name=password]", RunningServer.ADMIN_PASSWORD);
            page.fill("#setup-form [name=password2]", RunningServer.ADMIN_PASSWORD);
            page.click("#setup-form button[type=submit]");

            page.waitForSelector("#tunnels tr:has-text('lab-to-aws')");
            assertTrue(page.textContent("#tunnels").contains("ESTABLISHED"));
            assertEquals("root", page.textContent("#who-name"));
            // Live throughput over the event stream: 1 MiB more in, and the row shows a rate and a chart line.
            page.waitForSelector("#live:not([hidden])");
            s.backend.setTunnelStatus(new TunnelStatus("lab-to-aws", "ESTABLISHED", 48_213_992 + (1 << 20),
                    9_120_334 + 4096, 41_900, 30_200, 3));
            // (waitForFunction would need 'unsafe-eval', which the CSP rightly refuses.)
            page.waitForSelector("#tunnels tr[data-tunnel=lab-to-aws] .rate-in:text-matches('KiB/s|MiB/s')");
            // A few seconds of varying traffic so that the chart (and the screenshot) has a shape.
            for (int i = 1; i <= 6; i++) {
                s.backend.setTunnelStatus(new TunnelStatus("lab-to-aws", "ESTABLISHED",
                        48_213_992 + (1 << 20) + i * (600_000L + (i % 3) * 400_000L), 9_120_334 + i * 150_000L,
                        41_900 + i * 700, 30_200 + i * 200, 3));
                page.waitForTimeout(1000);
            }
            // one point per event of the stream (a second apart): wait for four, should a loaded machine deliver late
            String points = "document.querySelector('#tunnels .spark polyline.in').getAttribute('points')"
                    + ".split(' ').length";
            try {
                page.waitForCondition(() -> ((Number) page.evaluate(points)).intValue() >= 4);
            } catch (com.microsoft.playwright.TimeoutError e) {
                throw new AssertionError("chart points: " + page.evaluate(points), e);
            }
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("02-dashboard.png")));

            page.click("#nav a[data-view=clusters]");
            page.click("#new-cluster");
            page.fill("#cluster-form [name=name]", "k8s-onprem");
            page.fill("#cluster-form [name=podCidr]", "10.244.0.1/16");
            page.fill("#cluster-form [name=serviceCidr]", "10.96.0.0/12");
            page.fill("#cluster-form [name=description]", "rack 3, kubeadm");
            // Client-side mistakes come back as per-field messages (a 422 is not a console error we count:
            // Chromium logs every 4xx fetch, so it is checked and then cleared).
            page.click("#cluster-form button[type=submit]");
            page.waitForSelector("[data-error-for=podCidr]:has-text('did you mean 10.244.0.0/16')");
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("03-cluster-error.png")));
            problems.forget("422");
            page.fill("#cluster-form [name=podCidr]", "10.244.0.0/16");
            page.click("#cluster-form button[type=submit]");
            page.waitForSelector("#clusters tr:has-text('k8s-onprem')");
            assertTrue(s.backend.get(ConfigItem.Kind.CLUSTER, "k8s-onprem").isPresent());
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("04-clusters.png")));

            page.click("#nav a[data-view=peers]");
            page.click("#new-peer");
            page.fill("#peer-form [name=name]", "gcp-us");
            page.fill("#peer-form [name=address]", "gw..example");
            page.fill("#peer-form [name=remoteId]", "gw.gcp.example");
            page.fill("#peer-form [name=psk]", "gcp-us-psk-0123456789");
            page.click("#peer-form button[type=submit]");
            page.waitForSelector("[data-error-for=address]:has-text('IP address or a DNS name')");
            problems.forget("422");
            page.fill("#peer-form [name=address]", "198.51.100.20");
            page.click("#peer-form button[type=submit]");
            page.waitForSelector("#peers tr:has-text('gcp-us')");
            assertTrue(page.textContent("#peers").contains("gw.gcp.example"));

            page.click("#nav a[data-view=connections]");
            page.click("#new-connection");
            page.fill("#connection-form [name=name]", "onprem-to-gcp");
            page.selectOption("#connection-form [name=peer]", "gcp-us");
            page.selectOption("#connection-form [name=cluster]", "k8s-onprem");
            page.fill("#connection-form [name=remoteCidr]", "10.128.0.0/20");
            page.selectOption("#connection-form [name=espSuite]", "aes256gcm16");
            page.click("#connection-form button[type=submit]");
            page.waitForSelector("#connections tr:has-text('onprem-to-gcp')");
            assertEquals(new Connection("onprem-to-gcp", "gcp-us", "k8s-onprem", "10.128.0.0/20", "aes256gcm16", true),
                    s.backend.get(ConfigItem.Kind.CONNECTION, "onprem-to-gcp").orElseThrow());
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("06-connections.png")));

            // Users and API tokens: a user created with a role, a token whose secret is shown once, revoked.
            context.grantPermissions(List.of("clipboard-read", "clipboard-write"));
            page.click("#nav a[data-view=users]");
            page.fill("#user-form [name=name]", "ops-jane");
            page.selectOption("#user-form [name=role]", "operator");
            page.fill("#user-form [name=password]", "jane-password-123");
            page.click("#user-form button[type=submit]");
            page.waitForSelector("#users tr[data-user=ops-jane]");
            assertEquals("OPERATOR", s.backend.user("ops-jane").orElseThrow().role().name());
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("10-users.png")));
            page.selectOption("#users tr[data-user=ops-jane] select", "viewer");
            page.waitForSelector("#toast:has-text('ops-jane is now viewer')");
            assertEquals("VIEWER", s.backend.user("ops-jane").orElseThrow().role().name());

            page.click("#nav a[data-view=tokens]");
            page.fill("#token-form [name=name]", "ci-pipeline");
            page.selectOption("#token-form [name=role]", "viewer");
            page.click("#token-form button[type=submit]");
            String secret = page.textContent("#token-secret");
            assertTrue(secret.startsWith("egw_"), secret);
            page.waitForSelector("#tokens tr:has-text('ci-pipeline')");
            page.click("#copy-secret");
            page.waitForSelector("#copy-secret:has-text('Copied')");
            assertEquals(secret, page.evaluate("navigator.clipboard.readText()"));
            assertEquals(200, s.get("/api/v1/status", RunningServer.Creds.bearer(secret)).status());
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("11-tokens.png")));
            page.click("#nav a[data-view=dashboard]");
            page.click("#nav a[data-view=tokens]");
            page.waitForSelector("#tokens tr:has-text('ci-pipeline')");
            assertEquals(0, page.locator("#token-secret").count(), "the secret is shown once only");
            assertTrue(!page.content().contains(secret), "nor anywhere else on the page");
            page.onDialog(d -> d.accept());
            page.click("#tokens tr:has-text('ci-pipeline') button:has-text('Revoke')");
            page.waitForSelector("#no-tokens:not([hidden])");
            assertEquals(401, s.get("/api/v1/status", RunningServer.Creds.bearer(secret)).status(), "revoked");
            page.click("#nav a[data-view=audit]");
            page.waitForSelector("#audit tr:has-text('token.revoke')");

            page.click("#logout");
            page.waitForSelector("#login-form");
            page.fill("#login-form [name=username]", "root");
            page.fill("#login-form [name=password]", RunningServer.ADMIN_PASSWORD);
            page.click("#login-form button[type=submit]");
            page.waitForSelector("#tunnels tr");
            page.click("#nav a[data-view=clusters]");
            page.waitForSelector("#clusters tr:has-text('k8s-onprem')");
            page.click("#nav a[data-view=revisions]");
            page.waitForSelector("#revisions tr:has-text('create cluster k8s-onprem')");
            page.waitForSelector("#toast", new Page.WaitForSelectorOptions()
                    .setState(com.microsoft.playwright.options.WaitForSelectorState.HIDDEN)); // the revoke's toast
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("05-revisions.png")));

            // The certificates and settings page modules: a listed certificate, a settings change with a bad field.
            s.backend.putCertificate(new CertificateInfo("lab-ca", CertificateInfo.Kind.CA, "CN=lab CA", "CN=lab CA",
                    "1f", Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2036-01-01T00:00:00Z"), List.of(),
                    true, true, List.of()), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", null);
            page.click("#nav a[data-view=certificates]");
            page.waitForSelector("#certificates tr:has-text('lab-ca')");
            page.waitForSelector("#issue-form [name=ca] option[value=lab-ca]", new Page.WaitForSelectorOptions()
                    .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("07-certificates.png")));
            page.click("#nav a[data-view=settings]");
            page.click("#add-nic");
            page.fill("#settings-form [name='interfaces[0].name']", "eth0 bad");
            page.click("#settings-form button[type=submit]");
            page.waitForSelector("[data-error-for='interfaces[0].name']:has-text('must match')");
            problems.forget("422");
            problems.forget("status of 400");
            page.fill("#settings-form [name='interfaces[0].name']", "eth0");
            page.fill("#settings-form [name=workers]", "2");
            page.click("#settings-form button[type=submit]");
            page.waitForSelector("#toast:has-text('Settings saved')");
            assertEquals(2, s.backend.settings().settings().workers());
            page.evaluate("window.scrollTo(0, 0)");
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("08-settings.png")));

            // #/system: the profile's CPU warning, then a (fake) signed bundle through the upload form.
            page.click("#nav a[data-view=system]");
            page.waitForSelector("#hw-warnings li:has-text('will be slow')");
            assertTrue(page.textContent("#hw-profile").contains("pclmulqdq"));
            // The HTTPS certificate card: what is served; an upload of files that are not PEM is refused per field.
            page.waitForSelector("#tls-info:has-text('self-signed')");
            assertTrue(page.textContent("#tls-info").contains("IP:127.0.0.1"));
            for (String field : new String[] {"certificatePem", "privateKeyPem"}) {
                page.setInputFiles("#tls-form [name=" + field + "]", new com.microsoft.playwright.options.FilePayload(
                        field + ".pem", "application/x-pem-file", "not pem".getBytes(StandardCharsets.US_ASCII)));
            }
            page.click("#tls-form button[type=submit]");
            page.waitForSelector("#tls-form [data-error-for=certificatePem]:has-text('PEM certificate')");
            problems.forget("422");
            page.setInputFiles("#update-form input[type=file]", new com.microsoft.playwright.options.FilePayload(
                    "edgegw-v2.bundle", "application/octet-stream",
                    net.edgegw.mgmt.port.FakeSystemControl.bundle("v2", new byte[200_000])));
            page.click("#update-form button[type=submit]");
            page.waitForSelector("#update-message:has-text('written to slot b')");
            assertEquals("b", s.backend.system().oneShot(), "the upload armed the trial boot of slot b");
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("09-system.png")));

            // A viewer: no Users or Audit link, their own (empty) token list, tokens only up to viewer.
            page.click("#logout");
            page.waitForSelector("#login-form");
            page.fill("#login-form [name=username]", "ops-jane");
            page.fill("#login-form [name=password]", "jane-password-123");
            page.click("#login-form button[type=submit]");
            page.waitForSelector("#who-role:has-text('viewer')");
            assertTrue(page.isHidden("#nav a[data-view=users]") && page.isHidden("#nav a[data-view=audit]"));
            page.click("#nav a[data-view=tokens]");
            page.waitForSelector("#no-tokens:not([hidden])");
            assertEquals(List.of("viewer"), page.locator("#token-form [name=role] option").allTextContents());

            problems.assertNone();
        }
    }
}
