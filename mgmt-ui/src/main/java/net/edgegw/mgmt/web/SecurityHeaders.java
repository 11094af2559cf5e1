package net.edgegw.mgmt.web;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Response headers on every answer: a CSP that allows only our own script and style files (no inline code, no
 * eval, no framing), HSTS, nosniff, no referrer, and no caching of API answers.
 */
public final class SecurityHeaders implements Handler<RoutingContext> {
    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Override
    public void handle(RoutingContext ctx) {
        MultiMap h = ctx.response().headers();
        h.set("Content-Security-Policy", CSP);
        h.set("Strict-Transport-Security", "max-age=31536000");
        h.set("X-Frame-Options", "DENY");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cross-Origin-Opener-Policy", "same-origin");
        h.set("Cross-Origin-Resource-Policy", "same-origin");
        h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        boolean api = ctx.request().path().startsWith("/api/") || ctx.request().path().equals("/metrics");
        // API answers are never stored; the panel's files are revalidated so an upgrade shows at once.
        h.set("Cache-Control", api ? "no-store" : "no-cache");
        ctx.next();
    }
}
