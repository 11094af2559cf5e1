package net.edgegw.mgmt.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * Debian's chromium through Playwright (no browser download), headless at 1280x800, one page watched by
 * {@link PageProblems}, and the steps every panel test takes: open a page from the menu, fill and submit a form,
 * expect a toast or a field's error. Waits are Playwright's auto-waits on what the panel shows, with a generous
 * {@link #TIMEOUT_MS} for a loaded CI machine; nothing here sleeps. Shared with the appliance's end-to-end test
 * through mgmt-ui's test-jar.
 */
public final class BrowserSession implements AutoCloseable {
    public static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    /** {@code -Dedgegw.screenshots=../docs/screenshots} refreshes the committed ones (mgmt-ui/README.md). */
    public static final Path SHOTS = Paths.get(System.getProperty("edgegw.screenshots", "target/screenshots"));
    /** Every wait and action: a 2-core CI box running other suites beside us is slow, never this slow. */
    public static final double TIMEOUT_MS = 30_000;

    public final Page page;
    public final BrowserContext context;
    /** Console errors, page errors and CSP violations; {@link #expectFieldError} forgets the 4xx it provoked. */
    public final PageProblems problems;
    private final Playwright pw;
    private final Browser browser;
    /** The status of the last {@link #submit}'s answer (0 before any): the 4xx whose console line to forget. */
    private int lastStatus;

    public BrowserSession() {
        this(CHROMIUM);
    }

    /** With another chromium executable, e.g. a wrapper that runs it inside a network namespace. */
    public BrowserSession(Path chromium) {
        assertTrue(Files.isExecutable(chromium), chromium + " is missing: scripts/install-deps.sh installs chromium");
        pw = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = pw.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium).setHeadless(true)
                .setArgs(List.of("--no-sandbox")));
        context = browser.newContext(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true)
                .setViewportSize(1280, 800));
        context.setDefaultTimeout(TIMEOUT_MS);
        page = context.newPage();
        problems = PageProblems.watch(page);
    }

    /** A screenshot of the page into {@link #SHOTS}. */
    public void screenshot(String file) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(file)));
    }

    /** Opens the panel at {@code url} and logs in through its form (not waiting for what it shows next). */
    public void logIn(String url, String user, String password) {
        page.navigate(url + "/");
        submit("login-form", Map.of("username", user, "password", password));
    }

    /** Logs out with the header's button and waits for the login form. */
    public void logOut() {
        page.click("#logout");
        page.waitForSelector("#login-form");
    }

    /** Opens {@code view} ({@code clusters}, {@code settings}, ...) with its menu entry; {@link #awaitRoute}. */
    public void goTo(String view) {
        page.click("#nav a[data-view=" + view + "]");
        awaitRoute(view);
    }

    /**
     * Waits until the panel shows {@code route} ({@code clusters}, {@code tunnel/NAME}, ...) with what it loaded:
     * {@code #view[data-route]} names it, its heading is there and no API call is under way ({@code body[data-busy]}
     * gone; app.js renders an answer before the next task).
     */
    public void awaitRoute(String route) {
        page.waitForSelector("#view[data-route='" + route + "'] h1");
        page.waitForSelector("body:not([data-busy])",
                new Page.WaitForSelectorOptions().setState(WaitForSelectorState.ATTACHED));
    }

    /**
     * Clicks "New KIND" and waits until its form is ready: the panel focuses the name field only once the form's
     * choices are loaded and its submit button is enabled.
     */
    public void openForm(String kind) {
        page.click("#new-" + kind);
        page.waitForSelector("#" + kind + "-form [name=name]:focus");
    }

    /**
     * Fills the fields of form {@code formId} by name: selects and checkboxes first (they decide which inputs the
     * form shows, e.g. a peer's authentication), then the other inputs, so the map's order does not matter.
     * A checkbox takes "true" or "false".
     */
    public void fill(String formId, Map<String, String> fields) {
        for (boolean choices : new boolean[] {true, false}) {
            fields.forEach((name, value) -> {
                Locator field = page.locator("#" + formId + " [name='" + name + "']");
                String kind = (String) field.evaluate("e => e.type");
                if (kind.startsWith("select") && choices) {
                    field.selectOption(value);
                } else if (kind.equals("checkbox") && choices) {
                    field.setChecked(Boolean.parseBoolean(value));
                } else if (!kind.startsWith("select") && !kind.equals("checkbox") && !choices) {
                    field.fill(value);
                }
            });
        }
    }

    /**
     * Fills {@code formId} ({@link #fill}), submits it with its submit button (which waits for the button to be
     * enabled) and waits for the server's answer to the request it sends; a refused one (4xx) is also waited for
     * on the page: a field's or the form's error filled in. What a success shows (a toast, a row, a secret) is for
     * {@link #expectToast} or the test.
     *
     * @return the answer's HTTP status
     */
    public int submit(String formId, Map<String, String> fields) {
        fill(formId, fields);
        Response answer = page.waitForResponse(r -> r.url().contains("/api/") && !r.request().method().equals("GET"),
                () -> page.click("#" + formId + " button[type=submit]"));
        lastStatus = answer.status();
        if (lastStatus >= 400 && lastStatus < 500) {
            page.locator("#" + formId + " [data-error-for]:not(:empty)").first().waitFor();
        }
        return lastStatus;
    }

    /**
     * Waits for {@code field}'s error slot to say {@code text}, then forgets the console line of the refused
     * answer (Chromium logs every 4xx fetch; this one was wanted).
     */
    public void expectFieldError(String field, String text) {
        page.locator("[data-error-for='" + field + "']").filter(new Locator.FilterOptions().setHasText(text)).first()
                .waitFor();
        if (lastStatus >= 400) {
            problems.forget("status of " + lastStatus);
        }
    }

    /** Waits for the toast to show {@code text}. */
    public void expectToast(String text) {
        page.locator("#toast").filter(new Locator.FilterOptions().setHasText(text)).waitFor();
    }

    /** Waits until no toast is shown (before a screenshot that should not carry one). */
    public void awaitNoToast() {
        page.waitForSelector("#toast", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.HIDDEN));
    }

    /** No CSP violation and no console or page error. */
    public void assertClean() {
        problems.assertNone();
    }

    @Override
    public void close() {
        context.close();
        browser.close();
        pw.close();
    }
}
