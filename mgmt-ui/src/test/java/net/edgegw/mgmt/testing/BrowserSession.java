package net.edgegw.mgmt.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Debian's chromium through Playwright (no browser download), headless at 1280x800, one page that records console
 * errors, page errors and CSP violations; {@link #assertClean} fails on any of them.
 */
public final class BrowserSession implements AutoCloseable {
    public static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    /** {@code -Dedgegw.screenshots=../docs/screenshots} refreshes the committed ones (mgmt-ui/README.md). */
    public static final Path SHOTS = Paths.get(System.getProperty("edgegw.screenshots", "target/screenshots"));

    public final Page page;
    /** Console errors and page errors so far; a test may drop those it provoked (Chromium logs every 4xx). */
    public final List<String> problems = new CopyOnWriteArrayList<>();
    private final Playwright pw;
    private final Browser browser;
    private final BrowserContext context;

    public BrowserSession() {
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: scripts/install-deps.sh installs it");
        pw = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = pw.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM).setHeadless(true)
                .setArgs(List.of("--no-sandbox")));
        context = browser.newContext(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true)
                .setViewportSize(1280, 800));
        context.setDefaultTimeout(20_000);
        page = context.newPage();
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) {
                problems.add("console: " + m.text());
            }
        });
        page.onPageError(e -> problems.add("page error: " + e));
        page.addInitScript("document.addEventListener('securitypolicyviolation', e => "
                + "(window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI));");
    }

    public void screenshot(String file) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(file)));
    }

    /** Opens the panel at {@code url} and submits its login form (not waiting for what it shows next). */
    public void logIn(String url, String user, String password) {
        page.navigate(url + "/");
        page.fill("#login-form [name=username]", user);
        page.fill("#login-form [name=password]", password);
        page.click("#login-form button[type=submit]");
    }

    /** No CSP violation and no console or page error. */
    public void assertClean() {
        assertEquals(List.of(), page.evaluate("window.__csp || []"), "CSP violations");
        assertEquals(List.of(), problems, "console errors");
    }

    @Override
    public void close() {
        context.close();
        browser.close();
        pw.close();
    }
}
