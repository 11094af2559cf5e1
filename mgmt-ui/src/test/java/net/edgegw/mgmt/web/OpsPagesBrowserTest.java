package net.edgegw.mgmt.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.edgegw.mgmt.port.Change;
import net.edgegw.mgmt.port.ChildSaStatus;
import net.edgegw.mgmt.port.Cluster;
import net.edgegw.mgmt.port.Connection;
import net.edgegw.mgmt.port.IkeSaStatus;
import net.edgegw.mgmt.port.Peer;
import net.edgegw.mgmt.port.StatusSource;
import net.edgegw.mgmt.port.TunnelStatus;
import net.edgegw.mgmt.testing.BrowserSession;
import net.edgegw.mgmt.testing.RunningServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The operations pages in chromium (as {@link PanelBrowserTest}): the dashboard links a tunnel to its detail page
 * (IKE and CHILD SA, drops by reason) whose buttons rekey and terminate it; the log tail filters by level and text
 * and picks up new records by itself; the diagnostics page pings over loopback (the connection's cluster holds
 * 127.0.0.0/8). No console error, no CSP violation.
 */
@Tag("browser")
class OpsPagesBrowserTest {
    @Test
    @Timeout(180)
    void tunnelLogsAndDiagnosticsPages() {
        try (RunningServer s = RunningServer.start(); BrowserSession b = new BrowserSession()) {
            Page page = b.page;
            List<String> problems = b.problems;
            s.setUp();
            s.backend.commit(List.of(Change.create(new Cluster("edge-lab", "127.0.0.0/8", "10.43.0.0/16", "", "k3s")),
                    Change.create(Peer.psk("aws-eu", "203.0.113.7", "gw.aws.example", "a long enough pre-shared key", "")),
                    Change.create(new Connection("lab-to-aws", "aws-eu", "edge-lab", "10.96.0.0/16", "aes128gcm16",
                            true))), "test", "fixture", "test");
            s.backend.setTunnelStatus(new TunnelStatus("lab-to-aws", "ESTABLISHED", 48_213_992, 9_120_334, 41_002,
                    30_117, 5, new IkeSaStatus("ESTABLISHED", "8f3a11c2d4e5f607", "19ab2c3d4e5f6071", true,
                    "aes128gcm16", "prfsha256", "", "x25519", "192.0.2.1:4500", "203.0.113.7:4500", false, true,
                    Instant.now().minusSeconds(600), 13_800),
                    List.of(new ChildSaStatus("c1a2b3c4", "d5e6f708", "aes128gcm16", List.of("10.42.0.0/16"),
                            List.of("10.96.0.0/16"), 48_213_992, 9_120_334, 41_002, 30_117, 2_900)),
                    Map.of("REPLAY", 3L, "INTEG", 2L), ""));
            s.backend.addLog("INFO", "net.edgegw.appliance.daemon.Reconciler", "reconciled revision 1");
            s.backend.addLog("WARNING", "net.edgegw.appliance.ike", "[lab-to-aws] IKE_AUTH failed: AUTHENTICATION_FAILED");

            page.navigate(s.url() + "/");
            page.fill("#login-form [name=username]", RunningServer.ADMIN);
            page.fill("#login-form [name=password]", RunningServer.ADMIN_PASSWORD);
            page.click("#login-form button[type=submit]");

            // dashboard -> tunnel detail
            page.click("#tunnels a:has-text('lab-to-aws')");
            page.waitForSelector("#ike-algs:has-text('aes128gcm16-prfsha256-x25519')");
            assertTrue(page.textContent("#children").contains("c1a2b3c4"));
            assertTrue(page.textContent("#tunnel-body").contains("REPLAY"));
            b.screenshot("7-tunnel.png");
            page.click("#act-rekey-child");
            page.waitForSelector("#toast:has-text('rekey')");
            assertEquals(1, s.backend.rekeyCount("lab-to-aws", StatusSource.RekeyScope.CHILD));
            page.click("#act-terminate");
            page.waitForSelector("#tunnel-state:has-text('DOWN')");
            page.click("#act-initiate");
            page.waitForSelector("#tunnel-state:has-text('ESTABLISHED')");

            // log tail: level and text filters, then a new record arrives by auto-refresh
            page.click("#nav a[data-view=logs]");
            page.waitForSelector("#log-rows tr:has-text('reconciled revision 1')");
            page.selectOption("#log-level", "warning");
            page.waitForSelector("#log-rows tr:has-text('AUTHENTICATION_FAILED')");
            page.waitForCondition(() -> !page.textContent("#log-rows").contains("reconciled"));
            page.fill("#log-q", "nothing like this");
            page.waitForSelector("#no-logs:not([hidden])");
            page.fill("#log-q", "");
            s.backend.addLog("SEVERE", "io.vertx.core", "a brand new problem");
            page.waitForSelector("#log-rows tr:has-text('a brand new problem')");
            b.screenshot("8-logs.png");

            // diagnostics: ping over loopback from the cluster's network
            page.click("#nav a[data-view=diagnostics]");
            page.waitForSelector("#ping-form select[name=connection]:has(option[value=lab-to-aws])");
            page.fill("#ping-form [name=target]", "127.0.0.1");
            page.fill("#ping-form [name=count]", "2");
            page.click("#ping-run");
            page.waitForSelector("#ping-summary:has-text('2 of 2 replies')");
            assertTrue(page.textContent("#ping-output").contains("2 packets transmitted"));
            page.fill("#ping-form [name=target]", "not-an-address");
            page.click("#ping-run");
            page.waitForSelector("#ping-form [data-error-for=target]:has-text('address')");
            problems.removeIf(p -> p.contains("422")); // Chromium logs every 4xx fetch: this one was wanted
            b.screenshot("9-diagnostics.png");

            b.assertClean();
        }
    }
}
