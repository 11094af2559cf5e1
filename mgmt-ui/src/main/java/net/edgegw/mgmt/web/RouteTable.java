package net.edgegw.mgmt.web;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.edgegw.mgmt.auth.RoleGate;
import net.edgegw.mgmt.port.Role;

/**
 * One resource's sub-router: every route is declared with the least role it needs (or public) and how it takes
 * its body ({@link BodyPolicy}, JSON up to 64 KiB unless it says otherwise), both kept as route metadata so that
 * {@link #walk} can list the whole router for the server's body step ({@link BodyLimits}) and for the OpenAPI
 * and authorisation tests. Each
 * route checks the role, then validates the request against its OpenAPI operation ({@link OpenApiValidator}),
 * then runs its handler.
 * Handlers run on worker threads: the backend is blocking (H2).
 */
public final class RouteTable {
    static final String ROLE = "edgegw.role";
    static final String BODY = "edgegw.body";
    static final String SUB_ROUTER = "edgegw.subRouter";
    public static final String PUBLIC = "public";

    static final String METHOD_FALLBACK = "edgegw.methodFallback";

    private final Router router;
    private final Map<String, Set<HttpMethod>> methods = new LinkedHashMap<>();

    public RouteTable(Vertx vertx) {
        this.router = Router.router(vertx);
    }

    /** Declares a route with a JSON body ({@link BodyPolicy#JSON}); {@code role == null} makes it public. */
    public RouteTable add(HttpMethod method, String path, Role role, Handler<RoutingContext> handler) {
        return add(method, path, role, BodyPolicy.JSON, handler);
    }

    /** Declares a route that takes its body as {@code body} says; {@code role == null} makes it public. */
    public RouteTable add(HttpMethod method, String path, Role role, BodyPolicy body,
                          Handler<RoutingContext> handler) {
        router.route(method, path)
                .putMetadata(ROLE, role == null ? PUBLIC : role.id())
                .putMetadata(BODY, body)
                .handler(RoleGate.require(role))
                .handler(OpenApiValidator::check)
                .blockingHandler(handler, false);
        methods.computeIfAbsent(path, p -> new LinkedHashSet<>()).add(method);
        return this;
    }

    /** Mounts this table under {@code prefix} (e.g. {@code /api/v1/clusters}) of {@code parent}. */
    public void mountOn(Router parent, String prefix) {
        // A known path with another method is 405 with Allow (RFC 9110 §15.5.6), not a 404 from further down.
        methods.forEach((path, allowed) -> router.route(path).putMetadata(METHOD_FALLBACK, true).handler(ctx -> {
            ctx.response().putHeader("Allow", String.join(", ", allowed.stream().map(HttpMethod::name).toList()));
            ctx.fail(405);
        }));
        mount(parent, prefix, router);
    }

    static Route mount(Router parent, String prefix, Router sub) {
        return parent.route(prefix + "*").putMetadata(SUB_ROUTER, sub).subRouter(sub);
    }

    /**
     * A route as the outside sees it: method, full path in Vert.x syntax ({@code /api/v1/clusters/:name}), role,
     * body policy.
     */
    public record Entry(HttpMethod method, String path, String role, BodyPolicy body) {
    }

    /**
     * Every route of {@code router} that has a declared role, sub-routers included, sorted by path; an API route
     * (under {@code /api} or {@code /metrics}) without a declared role is an error.
     */
    public static List<Entry> walk(Router router) {
        List<Entry> out = new ArrayList<>();
        walk(router, "", out);
        out.sort(Comparator.comparing(Entry::path).thenComparing(e -> e.method().name()));
        return out;
    }

    private static void walk(Router router, String prefix, List<Entry> out) {
        for (Route r : router.getRoutes()) {
            Router sub = r.getMetadata(SUB_ROUTER);
            String path = r.getPath() == null ? "" : r.getPath();
            if (sub != null) {
                walk(sub, prefix + (path.endsWith("/") ? path.substring(0, path.length() - 1) : path), out);
                continue;
            }
            String role = r.getMetadata(ROLE);
            String full = prefix + path;
            if (role == null) {
                boolean api = full.startsWith("/api") || full.startsWith("/metrics");
                if (api && r.isExactPath() && r.getMetadata(METHOD_FALLBACK) == null) {
                    throw new IllegalStateException("route " + r.methods() + " " + full + " declares no role");
                }
                continue;
            }
            if (full.length() > 1 && full.endsWith("/")) {
                full = full.substring(0, full.length() - 1);
            }
            BodyPolicy body = r.getMetadata(BODY);
            for (HttpMethod m : r.methods()) {
                out.add(new Entry(m, full, role, body == null ? BodyPolicy.JSON : body));
            }
        }
    }
}
