package net.edgegw.appliance.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.edgegw.mgmt.testing.BrowserSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 6: the admin panel end to end, all parts real. The daemon ({@link Main}) runs in a network namespace with a
 * strongSwan peer in another ({@link PanelWorld}, {@code src/test/resources/interop/panel-e2e.sh}, namespaces
 * {@code egui-*} or {@code $EG_NS_PREFIX*}); Debian's chromium ({@link BrowserSession}), started inside the
 * daemon's namespace, does the first-boot setup with the token from the daemon's log, logs out and in, creates a
 * cluster, a PSK peer and a connection through the forms, watches the tunnel come up on the dashboard and its
 * rates and chart move while iperf3 runs through it, then rolls back to the revision before the connection and sees
 * the tunnel go (gone from the dashboard, no SA left in strongSwan, no path onprem to cloud). Fails on any console
 * error or CSP violation. The dashboard with the live tunnel goes to {@code target/screenshots} (or
 * {@code -Dedgegw.screenshots}).
 */
@Tag("netns")
@Tag("browser")
class PanelEndToEndTest {
    private static final String PASSWORD = "panel-e2e-admin-password";
    private static final String CONNECTION = "onprem-to-cloud";
    private static final Pattern RATE = Pattern.compile("([0-9.]+) (B|KiB|MiB|GiB)/s");
    /** iperf3 through the tunnel: long enough for the rates to be sampled after a slow start. */
    private static final int TRAFFIC_SECONDS = 40;

    @Test
    @Timeout(value = 420, unit = TimeUnit.SECONDS)
    void setupLoginConnectWatchTrafficAndRollBack() throws Exception {
        long started = System.nanoTime();
        Path out = Path.of("target/interop/panel-e2e").toAbsolutePath();
        String psk;
        try (PanelWorld world = PanelWorld.start(out);
             BrowserSession b = new BrowserSession(Paths.get(world.get("chromium")))) {
            psk = world.get("psk");
            b.page.onDialog(d -> d.accept()); // the rollback's confirm()
            try {
                walkThrough(b, world);
            } catch (Exception | AssertionError e) {
                try {
                    b.page.screenshot(new Page.ScreenshotOptions().setPath(out.resolve("failure.png")));
                } catch (RuntimeException shot) {
                    e.addSuppressed(shot);
                }
                throw e;
            }
            b.assertClean();
        } catch (Exception | AssertionError e) {
            // the script copied the daemon's and charon's logs into out when it exited
            e.addSuppressed(new AssertionError("logs (and failure.png) in " + out + "\n--- panel-e2e.sh ---\n"
                    + tail(out.resolve("run.log")) + "\n--- daemon ---\n" + tail(out.resolve("daemon.log"))
                    + "\n--- charon ---\n" + tail(out.resolve("charon.log"))));
            throw e;
        }
        // the PSK typed into the form is write-only: not in the daemon's log (copied to out by the script's exit)
        String daemonLog = Files.readString(out.resolve("daemon.log"));
        assertTrue(daemonLog.contains("authenticated with PSK"), daemonLog);
        assertFalse(daemonLog.contains(psk), "the PSK is in the daemon's log");
        System.out.printf("PanelEndToEndTest: %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    /** Setup, login, cluster, peer, connection; the tunnel up and moving on the dashboard; the rollback. */
    private static void walkThrough(BrowserSession b, PanelWorld world) throws Exception {
        Page page = b.page;
        String base = "https://127.0.0.1:" + world.get("port");
        // First boot: the token printed in the daemon's log, once.
        page.navigate(base + "/setup");
        assertEquals(201, b.submit("setup-form", Map.of("token", world.get("token"), "username", "admin",
                "password", PASSWORD, "password2", PASSWORD)));
        page.waitForSelector("#no-tunnels:not([hidden])");
        b.logOut();
        assertEquals(200, b.submit("login-form", Map.of("username", "admin", "password", PASSWORD)));
        assertEquals("admin", page.waitForSelector("#who-name:has-text('admin')").textContent());

        // no path onprem -> cloud without the tunnel (so the pings below go through it)
        assertNotEquals(0, world.commandStatus("ping"), "onprem reaches cloud before any connection");

        b.goTo("clusters");
        b.openForm("cluster");
        assertEquals(201, b.submit("cluster-form", Map.of("name", "onprem", "podCidr", world.get("localNet"),
                "serviceCidr", world.get("serviceNet"), "description", "the LAN behind this gateway")));
        b.expectToast("Cluster onprem created");
        page.waitForSelector("#clusters tr:has-text('onprem')");

        b.goTo("peers");
        b.openForm("peer");
        assertEquals(201, b.submit("peer-form", Map.of("name", "gw-b", "address", world.get("peer"),
                "localId", world.get("localId"), "remoteId", world.get("remoteId"), "auth", "psk",
                "psk", world.get("psk"), "ikeProposals", world.get("ike"),
                "description", "strongSwan in gw-b")));
        b.expectToast("Peer gw-b created");
        assertTrue(page.waitForSelector("#peers tr:has-text('gw-b')").textContent().contains("PSK"));

        b.goTo("connections");
        b.openForm("connection");
        assertEquals(201, b.submit("connection-form", Map.of("name", CONNECTION, "peer", "gw-b",
                "cluster", "onprem", "remoteCidr", world.get("remoteNet"), "espSuite", "aes128gcm16")));
        b.expectToast("Connection " + CONNECTION + " created");
        page.waitForSelector("#connections tr:has-text('" + CONNECTION + "')");

        // The daemon brings the tunnel up by itself (start action start); the dashboard shows it.
        b.goTo("dashboard");
        String row = "#tunnels tr[data-tunnel=" + CONNECTION + "]";
        page.waitForSelector(row + " .badge:text-matches('^(UP|ESTABLISHED)')",
                new Page.WaitForSelectorOptions().setTimeout(60_000));
        assertTrue(world.command("sas").contains("INSTALLED"), "strongSwan has no CHILD SA installed");
        assertEquals(0, world.commandStatus("ping"), "ping onprem -> cloud through the tunnel");

        // Traffic through the tunnel: the rendered rates change and are above zero, the chart has points.
        String bytesBefore = page.textContent(row + " td:nth-child(3)");
        world.command("traffic " + TRAFFIC_SECONDS);
        // samples of what the row renders, each after the stream's next one: eight at least (the chart gets a shape
        // for the screenshot), more while fewer than three different rates have shown each way (iperf3 and its
        // connection may start late on a loaded machine), but not after the traffic's end
        List<Double> in = new ArrayList<>();
        List<Double> outRates = new ArrayList<>();
        long sampling = System.nanoTime();
        while (in.size() < 8 || (distinctPositive(outRates) < 3 || distinctPositive(in) < 3)
                && System.nanoTime() - sampling < TimeUnit.SECONDS.toNanos(TRAFFIC_SECONDS - 5)) {
            String before = chartLine(page, row);
            page.waitForCondition(() -> !chartLine(page, row).equals(before));
            in.add(bytesPerSecond(page.textContent(row + " .rate-in")));
            outRates.add(bytesPerSecond(page.textContent(row + " .rate-out")));
        }
        assertTrue(distinctPositive(outRates) >= 3, "rates out shown: " + outRates);
        assertTrue(distinctPositive(in) >= 3, "rates in shown (TCP's ACKs): " + in);
        assertNotEquals(bytesBefore, page.textContent(row + " td:nth-child(3)"), "bytes in did not move");
        Object ys = page.evaluate("Array.from(new Set(document.querySelector('" + row + " .spark polyline.in')"
                + ".getAttribute('points').split(' ').map(p => p.split(',')[1]))).length");
        assertTrue(((Number) ys).intValue() >= 2, "the chart's in line is flat: " + ys + " heights");
        b.screenshot("16-dashboard-live-tunnel.png");

        // Roll back to the revision before the connection: the tunnel goes.
        b.goTo("revisions");
        String made = page.textContent("#revisions tr:has-text('create connection " + CONNECTION + "') td");
        long before = Long.parseLong(made.trim().substring(1)) - 1;
        page.click("#revisions tr:has(button[title='What r" + before + " changed']) button:has-text('Roll back to this')");
        b.expectToast("Rolled back to r" + before);
        b.goTo("dashboard");
        page.waitForSelector("#no-tunnels:not([hidden])", new Page.WaitForSelectorOptions().setTimeout(30_000));
        page.waitForSelector(row, new Page.WaitForSelectorOptions().setState(WaitForSelectorState.DETACHED));
        String sas = world.command("sas");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((sas.contains("ESTABLISHED") || sas.contains("INSTALLED")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            sas = world.command("sas");
        }
        assertFalse(sas.contains("ESTABLISHED") || sas.contains("INSTALLED"), "strongSwan still has SAs:\n" + sas);
        assertNotEquals(0, world.commandStatus("ping"), "onprem still reaches cloud after the rollback");
    }

    /**
     * The points of the chart's in line in {@code row}: a new sample changes them (under traffic, also once the
     * chart holds its 60 and shifts).
     */
    private static String chartLine(Page page, String row) {
        return page.getAttribute(row + " .spark polyline.in", "points");
    }

    /** The last 60 lines of a log (empty when it is missing). */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (java.io.IOException e) {
            return "(" + e + ")";
        }
    }

    private static long distinctPositive(List<Double> rates) {
        return rates.stream().filter(r -> r > 0).distinct().count();
    }

    /** "512.3 KiB/s" as bytes per second; -1 for anything else (the dash before the second sample). */
    static double bytesPerSecond(String text) {
        Matcher m = RATE.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            return -1;
        }
        int shift = switch (m.group(2)) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            default -> 0;
        };
        return Double.parseDouble(m.group(1)) * (1L << shift);
    }
}
