package net.edgegw.mgmt.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Page;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a panel page must not produce in a browser test: console errors, uncaught page errors and CSP violations
 * (an init script records {@code securitypolicyviolation} events in {@code window.__csp}). Shared by
 * {@code PanelBrowserTest} and the appliance's end-to-end test (mgmt-ui's test-jar).
 */
public final class PageProblems {
    private final Page page;
    private final List<String> problems = new CopyOnWriteArrayList<>();

    private PageProblems(Page page) {
        this.page = page;
    }

    /** Starts watching {@code page}; call before its first navigation. */
    public static PageProblems watch(Page page) {
        PageProblems p = new PageProblems(page);
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) {
                p.problems.add("console: " + m.text());
            }
        });
        page.onPageError(e -> p.problems.add("page error: " + e));
        page.addInitScript("document.addEventListener('securitypolicyviolation', e => "
                + "(window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI));");
        return p;
    }

    /**
     * Forgets the console errors containing {@code text}: Chromium logs every 4xx fetch, so an expected answer
     * (a 422 with per-field errors) is checked by the test and then forgotten.
     */
    public void forget(String text) {
        problems.removeIf(p -> p.contains(text));
    }

    /** Fails on any CSP violation or console/page error so far. */
    public void assertNone() {
        assertEquals(List.of(), page.evaluate("window.__csp || []"), "CSP violations");
        assertEquals(List.of(), problems, "console errors");
    }
}
