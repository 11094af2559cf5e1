package net.edgegw.mgmt.web;

import static net.edgegw.mgmt.port.TunnelStatus.StateWord.ESTABLISHED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.edgegw.mgmt.port.Change;
import net.edgegw.mgmt.port.ChildSaStatus;
import net.edgegw.mgmt.port.Cluster;
import net.edgegw.mgmt.port.ConfigItem;
import net.edgegw.mgmt.port.Connection;
import net.edgegw.mgmt.port.IkeSaStatus;
import net.edgegw.mgmt.port.Peer;
import net.edgegw.mgmt.port.StatusSource;
import net.edgegw.mgmt.port.TunnelStatus;
import net.edgegw.mgmt.port.TunnelStatus.StateWord;
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
            s.setUp();
            s.backend.commit(List.of(Change.create(new Cluster("edge-lab", "127.0.0.0/8", "10.43.0.0/16", "", "k3s")),
                    Change.create(Peer.psk("aws-eu", "203.0.113.7", "gw.aws.example", "a long enough pre-shared key", "")),
                    Change.create(new Connection("lab-to-aws", "aws-eu", "edge-lab", "10.96.0.0/16", "aes128gcm16",
                            true))), "test", "fixture", "test");
            s.backend.setTunnelStatus(new TunnelStatus("lab-to-aws", ESTABLISHED, "", 48_213_992, 9_120_334, 41_002,
                    30_117, 5, new IkeSaStatus("ESTABLISHED", "8f3a11c2d4e5f607", "19ab2c3d4e5f6071", true,
                    "aes128gcm16", "prfsha256", "", "x25519", "192.0.2.1:4500", "203.0.113.7:4500", false, true,
                    Instant.now().minusSeconds(600), 13_800),
                    List.of(new ChildSaStatus("c1a2b3c4", "d5e6f708", "aes128gcm16", List.of("10.42.0.0/16"),
                            List.of("10.96.0.0/16"), 48_213_992, 9_120_334, 41_002, 30_117, 2_900)),
                    Map.of("REPLAY", 3L, "INTEG", 2L), ""));
            s.backend.addLog("INFO", "net.edgegw.appliance.daemon.Reconciler", "reconciled revision 1");
            s.backend.addLog("WARNING", "net.edgegw.appliance.ike", "[lab-to-aws] IKE_AUTH failed: AUTHENTICATION_FAILED");

            b.logIn(s.url(), RunningServer.ADMIN, RunningServer.ADMIN_PASSWORD);

            // dashboard -> tunnel detail
            page.click("#tunnels a:has-text('lab-to-aws')");
            page.waitForSelector("#ike-algs:has-text('aes128gcm16-prfsha256-x25519')");
            assertTrue(page.textContent("#children").contains("c1a2b3c4"));
            assertTrue(page.textContent("#tunnel-body").contains("REPLAY"));
            b.screenshot("12-tunnel.png");
            page.click("#act-rekey-child");
            b.expectToast("rekey");
            assertEquals(1, s.backend.rekeyCount("lab-to-aws", StatusSource.RekeyScope.CHILD));
            page.click("#act-terminate");
            page.waitForSelector("#tunnel-state:has-text('DOWN')");
            page.click("#act-initiate");
            page.waitForSelector("#tunnel-state:has-text('ESTABLISHED')");

            // log tail: level and text filters, then a new record arrives by auto-refresh
            b.goTo("logs");
            page.waitForSelector("#log-rows tr:has-text('reconciled revision 1')");
            page.selectOption("#log-level", "warning");
            page.waitForSelector("#log-rows tr:has-text('AUTHENTICATION_FAILED')");
            page.waitForCondition(() -> !page.textContent("#log-rows").contains("reconciled"));
            page.fill("#log-q", "nothing like this");
            page.waitForSelector("#no-logs:not([hidden])");
            page.fill("#log-q", "");
            s.backend.addLog("SEVERE", "io.vertx.core", "a brand new problem");
            page.waitForSelector("#log-rows tr:has-text('a brand new problem')");
            b.screenshot("13-logs.png");

            // diagnostics: ping over loopback from the cluster's network
            b.goTo("diagnostics");
            page.waitForSelector("#ping-form select[name=connection]:has(option[value=lab-to-aws])");
            assertEquals(200, b.submit("ping-form", Map.of("connection", "lab-to-aws", "target", "127.0.0.1",
                    "count", "2")));
            // ping -c 2 -w 3 sends until two replies are in: a reply later than the 0.2 s interval (a loaded
            // machine) makes it send another, so it is "2 of 2" or more sent; both replies must come back
            page.waitForSelector("#ping-summary:text-matches('^2 of [0-9]+ replies')");
            assertTrue(page.textContent("#ping-output").matches("(?s).*[0-9]+ packets transmitted, 2 received.*"),
                    page.textContent("#ping-output"));
            assertEquals(422, b.submit("ping-form", Map.of("target", "not-an-address")));
            b.expectFieldError("target", "address");
            b.screenshot("14-diagnostics.png");

            b.assertClean();
        }
    }

    /**
     * Every {@link StateWord} (the daemon's {@code UP} with its SPIs, {@code WAITING} and {@code FAILED} with their
     * detail, ... beside the in-memory backend's {@code ESTABLISHED}): UP and ESTABLISHED count as up, every badge
     * shows the word with a styled class and the detail beside it, whole even where it holds a colon; a submit while
     * a form still loads stays in the page; the grouped navigation at 1280x800 (sidebar) and 768x1024 (menu behind a
     * toggle) with nothing wider than the window.
     */
    @Test
    @Timeout(180)
    void tunnelStatesFormRaceAndNavigationAtLaptopAndTabletWidths() {
        try (RunningServer s = RunningServer.start(); BrowserSession b = new BrowserSession()) {
            Page page = b.page;
            s.setUp();
            List<Change> changes = new ArrayList<>(List.of(
                    Change.create(new Cluster("edge-lab", "10.42.0.0/16", "10.43.0.0/16", "", "k3s")),
                    Change.create(Peer.psk("aws-eu", "203.0.113.7", "gw.aws.example", "a long enough pre-shared key", ""))));
            Map<StateWord, String> details = Map.of(StateWord.UP, "spi in 0xc1a2b3c4 out 0xd5e6f708",
                    StateWord.WAITING, "IKE_SA_INIT timed out: no answer from 203.0.113.7",
                    StateWord.FAILED, "no route to 203.0.113.7");
            StateWord[] words = StateWord.values();
            for (int i = 0; i < words.length; i++) {
                changes.add(Change.create(new Connection(tunnel(words[i]), "aws-eu", "edge-lab",
                        "10." + (90 + i) + ".0.0/16", "aes128gcm16", true)));
            }
            s.backend.commit(changes, "test", "fixture", "test");
            for (StateWord w : words) {
                s.backend.setTunnelStatus(new TunnelStatus(tunnel(w), w, details.getOrDefault(w, ""), 1000, 1000, 10,
                        10, 0, null, List.of(), Map.of(), ""));
            }

            b.logIn(s.url(), RunningServer.ADMIN, RunningServer.ADMIN_PASSWORD);
            page.waitForSelector("#tunnels tr[data-tunnel=" + tunnel(words[words.length - 1]) + "]");
            assertEquals("2 / " + words.length, page.textContent("#s-up"), "UP and ESTABLISHED both count as up");
            for (StateWord w : words) {
                String row = "#tunnels tr[data-tunnel=" + tunnel(w) + "]";
                String badge = row + " .badge";
                assertEquals(w.name(), page.textContent(badge));
                String cls = "state-" + w.name().toLowerCase().replace('_', '-');
                assertTrue(page.getAttribute(badge, "class").contains(cls), tunnel(w));
                // Every state has a rule in app.css: its badge is not the plain grey one.
                Object styled = page.evaluate("([sel, cls]) => [...document.styleSheets].some(sh => [...sh.cssRules]"
                        + ".some(r => r.selectorText && r.selectorText.split(',').map(x => x.trim())"
                        + ".includes('.' + cls)))", List.of(badge, cls));
                assertEquals(Boolean.TRUE, styled, cls + " has no CSS rule");
                String detail = details.get(w);
                if (detail != null) {
                    assertEquals(detail, page.getAttribute(badge, "title"));
                    assertEquals(detail, page.textContent(row + " .state-detail"));
                } else {
                    assertEquals(null, page.getAttribute(badge, "title"), tunnel(w));
                    assertEquals(0, page.locator(row + " .state-detail").count(), tunnel(w));
                }
            }
            page.click("#tunnels a:has-text('t-waiting')");
            b.awaitRoute("tunnel/t-waiting");
            assertEquals("WAITING", page.textContent("#tunnel-state.state-waiting"));
            assertEquals(details.get(StateWord.WAITING), page.textContent("#tunnel-body .state-detail"));

            // Form race: the peers answer is held back; a submit meanwhile neither reloads the page nor posts.
            List<Route> held = new ArrayList<>();
            page.route("**/api/v1/peers", held::add);
            page.navigate(s.url() + "/#/connections/new");
            page.waitForCondition(() -> !held.isEmpty());
            page.evaluate("window.__stay = 1");
            assertTrue(page.isDisabled("#connection-form button[type=submit]"), "submit waits for the choices");
            page.fill("#connection-form [name=name]", "too-quick");
            // A listener added after the panel's sees whether the panel's handler took the submit from the browser.
            Object prevented = page.evaluate("() => { const f = document.querySelector('#connection-form');"
                    + " let p = null; f.addEventListener('submit', e => { p = e.defaultPrevented; }, { once: true });"
                    + " f.requestSubmit(); return p; }");
            assertEquals(Boolean.TRUE, prevented, "the browser would have submitted the form (a reload)");
            held.forEach(Route::resume);
            page.unroute("**/api/v1/peers");
            page.waitForSelector("#connection-form button[type=submit]:enabled");
            page.waitForSelector("#connection-form [name=peer] option[value=aws-eu]", new Page.WaitForSelectorOptions()
                    .setState(WaitForSelectorState.ATTACHED));
            assertEquals(1, ((Number) page.evaluate("window.__stay")).intValue(), "the page was not reloaded");
            assertTrue(s.backend.get(ConfigItem.Kind.CONNECTION, "too-quick").isEmpty(), "nothing was posted");

            // Laptop: the grouped sidebar, no toggle, nothing overflows on the widest pages.
            String[] pages = {"dashboard", "tunnel/t-waiting", "connections", "peers", "certificates", "settings",
                "system", "users", "tokens", "audit", "logs", "diagnostics", "revisions"};
            for (int[] size : new int[][] {{1280, 800}, {768, 1024}}) {
                page.setViewportSize(size[0], size[1]);
                for (String p : pages) {
                    page.navigate(s.url() + "/#/" + p);
                    b.awaitRoute(p);
                    assertTrue((Boolean) page.evaluate("document.documentElement.scrollWidth <= innerWidth"),
                            p + " overflows at " + size[0] + " px: " + page.evaluate("document.documentElement.scrollWidth"));
                }
            }
            page.setViewportSize(1280, 800);
            page.navigate(s.url() + "/#/dashboard");
            page.waitForSelector("#tunnels tr");
            assertTrue(page.isVisible("#nav a[data-view=diagnostics]") && page.isHidden("#nav-toggle"));
            assertEquals(List.of("Status", "Configuration", "Operations", "Administration"),
                    page.locator("#nav .nav-title").allTextContents());
            assertEquals("page", page.getAttribute("#nav a[data-view=dashboard]", "aria-current"));

            // Tablet: the menu behind a real button, by keyboard: Enter opens, a link closes, Escape closes.
            page.setViewportSize(768, 1024);
            assertTrue(page.isHidden("#nav a[data-view=logs]"));
            assertEquals("false", page.getAttribute("#nav-toggle", "aria-expanded"));
            page.focus("#nav-toggle");
            page.keyboard().press("Enter");
            page.waitForSelector("#nav a[data-view=logs]:visible");
            assertEquals("true", page.getAttribute("#nav-toggle", "aria-expanded"));
            b.screenshot("15-menu-tablet.png");
            assertEquals("dashboard", page.evaluate("document.activeElement.dataset.view"), "focus moves into the menu");
            assertTrue((Boolean) page.evaluate("document.activeElement.matches(':focus-visible')"), "focus is visible");
            page.keyboard().press("Tab");
            assertEquals("logs", page.evaluate("document.activeElement.dataset.view"));
            page.keyboard().press("Escape");
            page.waitForSelector("#nav a[data-view=logs]", new Page.WaitForSelectorOptions()
                    .setState(WaitForSelectorState.HIDDEN));
            assertEquals("nav-toggle", page.evaluate("document.activeElement.id"));
            page.click("#nav-toggle");
            page.click("#nav a[data-view=logs]");
            page.waitForSelector("#log-q");
            assertEquals("false", page.getAttribute("#nav-toggle", "aria-expanded"));
            assertFalse(page.isVisible("#nav a[data-view=logs]"));

            b.assertClean();
        }
    }
    /**
     * Config history with its diff: a cluster created and then edited through the forms; the latest revision's
     * disclosure button, worked from the keyboard, opens what it changed, the edited fields before and after; a PSK
     * change shows as the API's note, never as the key.
     */
    @Test
    @Timeout(180)
    void revisionRowOpensWhatItChangedBeforeAndAfter() {
        try (RunningServer s = RunningServer.start(); BrowserSession b = new BrowserSession()) {
            Page page = b.page;
            s.setUp();
            s.backend.commit(List.of(Change.create(Peer.psk("aws-eu", "203.0.113.7", "gw.aws.example",
                    "first pre-shared key value", ""))), "test", "fixture", "test");
            b.logIn(s.url(), RunningServer.ADMIN, RunningServer.ADMIN_PASSWORD);

            b.goTo("clusters");
            b.openForm("cluster");
            assertEquals(201, b.submit("cluster-form", Map.of("name", "k8s-onprem", "podCidr", "10.244.0.0/16",
                    "serviceCidr", "10.96.0.0/12", "description", "rack 3")));
            b.expectToast("Cluster k8s-onprem created");
            page.click("#clusters tr:has-text('k8s-onprem') a:has-text('Edit')");
            page.waitForSelector("#cluster-form [name=name]:focus"); // the item is loaded into the form
            assertEquals(200, b.submit("cluster-form", Map.of("podCidr", "10.245.0.0/16",
                    "description", "rack 4, kubeadm")));
            b.expectToast("Cluster k8s-onprem saved");
            page.waitForSelector("#clusters tr:has-text('rack 4, kubeadm')");
            long edited = s.backend.revisions(1).get(0).number();

            b.goTo("revisions");
            String toggle = "#revisions button[aria-controls=rev-diff-" + edited + "]";
            page.waitForSelector(toggle);
            assertEquals("false", page.getAttribute(toggle, "aria-expanded"));
            assertFalse(page.isVisible("#rev-diff-" + edited));
            page.focus(toggle);
            page.keyboard().press("Enter");
            page.waitForSelector("#rev-diff-" + edited + " .diff-changed");
            assertEquals("true", page.getAttribute(toggle, "aria-expanded"));
            String pod = "#rev-diff-" + edited + " tr[data-field=podCidr]";
            assertEquals("10.244.0.0/16", page.textContent(pod + " del"));
            assertEquals("10.245.0.0/16", page.textContent(pod + " ins"));
            String desc = "#rev-diff-" + edited + " tr[data-field=description]";
            assertEquals("rack 3", page.textContent(desc + " del"));
            assertEquals("rack 4, kubeadm", page.textContent(desc + " ins"));
            assertEquals(0, page.locator("#rev-diff-" + edited + " tr[data-field=serviceCidr]").count(),
                    "an unchanged field is not listed");
            // The creation one row down: an added item, its fields new.
            page.click("#revisions button[aria-controls=rev-diff-" + (edited - 1) + "]");
            page.waitForSelector("#rev-diff-" + (edited - 1) + " .badge.diff-added:has-text('added')");
            assertEquals("10.244.0.0/16",
                    page.textContent("#rev-diff-" + (edited - 1) + " tr[data-field=podCidr] ins"));
            b.awaitNoToast(); // the save's
            b.screenshot("17-revision-diff.png");
            page.focus(toggle);
            page.keyboard().press("Space"); // closes it
            assertEquals("false", page.getAttribute(toggle, "aria-expanded"));
            assertFalse(page.isVisible("#rev-diff-" + edited));

            // A PSK change: the note, not the key.
            s.backend.commit(List.of(Change.replace(Peer.psk("aws-eu", "203.0.113.7", "gw.aws.example",
                    "second pre-shared key value", ""))), "test", "rotate psk", "test");
            long rotated = s.backend.revisions(1).get(0).number();
            b.goTo("clusters");
            page.waitForSelector("#clusters tr:has-text('k8s-onprem')");
            b.goTo("revisions");
            page.click("#revisions button[aria-controls=rev-diff-" + rotated + "]");
            page.waitForSelector("#rev-diff-" + rotated + " .diff-note:has-text('psk changed')");
            String text = page.textContent("#revisions");
            assertFalse(text.contains("pre-shared key value"), text);

            b.assertClean();
        }
    }

    /** The connection showing {@code w}: t-up, t-no-engine, ... */
    private static String tunnel(StateWord w) {
        return "t-" + w.name().toLowerCase().replace('_', '-');
    }
}
