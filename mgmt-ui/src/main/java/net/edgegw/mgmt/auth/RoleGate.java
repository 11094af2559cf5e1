package net.edgegw.mgmt.auth;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.web.HttpProblem;

/** Lets a request through only if its principal's role includes the route's: 401 without one, 403 below it. */
public final class RoleGate {
    private RoleGate() {
    }

    public static Handler<RoutingContext> require(Role role) {
        if (role == null) {
            return RoutingContext::next;
        }
        return ctx -> {
            Principal p = Authenticator.principal(ctx);
            if (p == null) {
                ctx.fail(new HttpProblem(401, "unauthenticated", "log in or send an API token"));
            } else if (!p.role().includes(role)) {
                ctx.fail(new HttpProblem(403, "forbidden", "needs role " + role.id() + ", you have " + p.role().id()));
            } else {
                ctx.next();
            }
        };
    }
}
