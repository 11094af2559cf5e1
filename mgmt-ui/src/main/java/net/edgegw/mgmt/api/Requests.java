package net.edgegw.mgmt.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import net.edgegw.mgmt.auth.Authenticator;
import net.edgegw.mgmt.auth.Principal;
import net.edgegw.mgmt.port.AuditEvent;
import net.edgegw.mgmt.port.AuditLog;
import net.edgegw.mgmt.port.CommitResult;
import net.edgegw.mgmt.port.Problem;
import net.edgegw.mgmt.web.HttpProblem;
import net.edgegw.mgmt.web.OpenApiValidator;

/** What every API handler needs from a request: its JSON body, its principal, and a way to audit it. */
final class Requests {
    private final AuditLog audit;
    private final Clock clock;

    Requests(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /** The body as a JSON object; 415 unless it is declared JSON, 400 unless it is a JSON object. */
    static JsonObject json(RoutingContext ctx) {
        if (!(OpenApiValidator.bodyJson(ctx, true) instanceof JsonObject o)) {
            throw new HttpProblem(400, "malformed-json", "the body must be a JSON object");
        }
        return o;
    }

    static Principal principal(RoutingContext ctx) {
        return Authenticator.principal(ctx);
    }

    static String source(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? "-" : ctx.request().remoteAddress().hostAddress();
    }

    /** {@code ui} for browser sessions, {@code api} for tokens: recorded with each revision. */
    static String channel(RoutingContext ctx) {
        Principal p = principal(ctx);
        return p != null && p.browser() ? "ui" : "api";
    }

    static String actor(RoutingContext ctx) {
        Principal p = principal(ctx);
        return p == null ? "-" : p.user();
    }

    void audit(RoutingContext ctx, String action, String target, String detail) {
        audit(ctx, actor(ctx), action, target, detail);
    }

    /** With an explicit actor: logins and setup happen before the request has a principal. */
    void audit(RoutingContext ctx, String actor, String action, String target, String detail) {
        audit.append(new AuditEvent(clock.instant(), actor, action, target, source(ctx), detail));
    }

    /** Positive number from a path parameter; 404 if it is not one. */
    static long number(RoutingContext ctx, String param) {
        String s = ctx.pathParam(param);
        if (s == null || !s.matches("\\d{1,18}")) {
            throw HttpProblem.notFound(param + " '" + s + "'");
        }
        return Long.parseLong(s);
    }

    static int limit(RoutingContext ctx, int dflt, int max) {
        String s = ctx.request().getParam("limit");
        if (s == null) {
            return dflt;
        }
        if (!s.matches("\\d{1,6}") || Integer.parseInt(s) < 1 || Integer.parseInt(s) > max) {
            throw HttpProblem.invalid(List.of(
                    new Problem("limit", "must be 1.." + max)));
        }
        return Integer.parseInt(s);
    }

    static void ok(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json");
        if (body instanceof Collection<?> c) {
            ctx.end(new JsonArray(new ArrayList<>(c)).encode());
        } else if (body instanceof JsonArray a) {
            ctx.end(a.encode());
        } else {
            ctx.end(((JsonObject) body).encode());
        }
    }

    /** The new revision, or 409 with the store's problems (e.g. a connection still uses a deleted peer). */
    static long revision(CommitResult r, RoutingContext ctx) {
        if (r instanceof CommitResult.Rejected rejected) {
            throw new HttpProblem(409, "rejected", "the configuration store refused the change",
                    rejected.problems(), 0);
        }
        long rev = ((CommitResult.Committed) r).revision();
        ctx.response().putHeader("X-Config-Revision", Long.toString(rev));
        return rev;
    }

    static void noContent(RoutingContext ctx) {
        ctx.response().setStatusCode(204).end();
    }
}
