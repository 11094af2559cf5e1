package net.edgegw.mgmt.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The body step on {@code /api/*}, in front of authentication: a request gets the {@link BodyPolicy} that the
 * route which will take it declared — a body handler with that route's limit (413 past it, before any parsing),
 * or, for a streamed body, none: the request stays paused for its handler. A request that no route takes gets
 * the JSON default (its 404 or 405 comes later). The routes are learnt from the mounted router
 * ({@link RouteTable#walk}); no path is special here.
 */
final class BodyLimits implements Handler<RoutingContext> {
    /** A declared route: method, path split at '/' ({@code :name} matches one segment), its policy. */
    private record Declared(HttpMethod method, String[] segments, BodyPolicy policy) {
        /** How well it matches: -1 not at all, else its number of literal segments (the most literal wins). */
        int match(HttpMethod m, String[] path) {
            if (m != method || path.length != segments.length) {
                return -1;
            }
            int literal = 0;
            for (int i = 0; i < path.length; i++) {
                if (segments[i].startsWith(":")) {
                    if (path[i].isEmpty()) {
                        return -1;
                    }
                } else if (segments[i].equals(path[i])) {
                    literal++;
                } else {
                    return -1;
                }
            }
            return literal;
        }
    }

    /** What was learnt: the routes, and one body handler per distinct limit. */
    private record Learnt(List<Declared> routes, Map<Long, BodyHandler> handlers) {
        BodyPolicy policy(HttpMethod method, String path) {
            String[] p = segments(path);
            BodyPolicy best = BodyPolicy.JSON;
            int bestScore = -1;
            for (Declared d : routes) {
                int score = d.match(method, p);
                if (score > bestScore) {
                    best = d.policy();
                    bestScore = score;
                }
            }
            return best;
        }
    }

    private volatile Learnt learnt = new Learnt(List.of(), Map.of(BodyPolicy.JSON.limit(), handler(BodyPolicy.JSON)));

    /** Takes every route's declared policy; call once the API is mounted, before the server listens. */
    void learn(List<RouteTable.Entry> routes) {
        List<Declared> out = new ArrayList<>();
        Map<Long, BodyHandler> handlers = new HashMap<>(learnt.handlers());
        for (RouteTable.Entry e : routes) {
            out.add(new Declared(e.method(), segments(e.path()), e.body()));
            if (!e.body().streamed()) {
                handlers.computeIfAbsent(e.body().limit(), l -> handler(e.body()));
            }
        }
        learnt = new Learnt(List.copyOf(out), Map.copyOf(handlers));
    }

    /** The policy of the route that takes {@code method path}, or the JSON default when none does. */
    BodyPolicy policy(HttpMethod method, String path) {
        return learnt.policy(method, path);
    }

    @Override
    public void handle(RoutingContext ctx) {
        Learnt l = learnt;
        BodyPolicy p = l.policy(ctx.request().method(), ctx.normalizedPath());
        if (!p.streamed()) {
            l.handlers().get(p.limit()).handle(ctx);
            return;
        }
        ctx.request().pause(); // its handler reads it (after authentication and the role gate)
        // Refused before its body was read (401, 403, 409...): close rather than read the rest.
        ctx.response().headersEndHandler(v -> {
            if (!ctx.request().isEnded()) {
                ctx.response().putHeader("Connection", "close");
            }
        });
        ctx.next();
    }

    private static BodyHandler handler(BodyPolicy p) {
        return BodyHandler.create(false).setBodyLimit(p.limit());
    }

    private static String[] segments(String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.split("/", -1);
    }
}
