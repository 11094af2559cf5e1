package net.edgegw.mgmt.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import net.edgegw.mgmt.auth.Argon2id;
import net.edgegw.mgmt.auth.Principal;
import net.edgegw.mgmt.auth.Secrets;
import net.edgegw.mgmt.auth.SessionStore;
import net.edgegw.mgmt.port.ApiToken;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.port.User;
import net.edgegw.mgmt.port.UserDirectory;
import net.edgegw.mgmt.web.HttpProblem;
import net.edgegw.mgmt.web.RouteTable;

/**
 * {@code /api/v1/users} (admins) and {@code /api/v1/tokens} (everyone their own, admins all). The last admin
 * cannot be deleted or demoted (checked atomically by the directory); a token's secret is returned once, by the
 * POST that creates it, and only its SHA-256 is kept.
 */
final class UserApi {
    private static final Set<String> ROLES = Set.of("admin", "operator", "viewer");

    private final UserDirectory users;
    private final Argon2id hasher;
    private final SessionStore sessions;
    private final Secrets secrets;
    private final Requests requests;
    private final Clock clock;

    UserApi(UserDirectory users, Argon2id hasher, SessionStore sessions, Secrets secrets, Requests requests,
            Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.sessions = sessions;
        this.secrets = secrets;
        this.requests = requests;
        this.clock = clock;
    }

    RouteTable userRoutes(Vertx vertx) {
        return new RouteTable(vertx)
                .add(HttpMethod.GET, "/", Role.ADMIN, this::list)
                .add(HttpMethod.POST, "/", Role.ADMIN, this::create)
                .add(HttpMethod.PUT, "/:name", Role.ADMIN, this::update)
                .add(HttpMethod.DELETE, "/:name", Role.ADMIN, this::delete);
    }

    /** Everyone manages their own tokens; an admin sees and revokes everybody's. */
    RouteTable tokenRoutes(Vertx vertx) {
        return new RouteTable(vertx)
                .add(HttpMethod.GET, "/", Role.VIEWER, this::listTokens)
                .add(HttpMethod.POST, "/", Role.VIEWER, this::createToken)
                .add(HttpMethod.DELETE, "/:id", Role.VIEWER, this::revokeToken);
    }

    static JsonObject encode(User u) {
        return new JsonObject().put("name", u.name()).put("role", u.role().id()).put("created", u.created().toString());
    }

    private static JsonObject encode(ApiToken t) {
        return new JsonObject().put("id", t.id()).put("name", t.name()).put("owner", t.owner())
                .put("role", t.role().id()).put("created", t.created().toString());
    }

    private void list(RoutingContext ctx) {
        Requests.ok(ctx, 200, users.list().stream().map(UserApi::encode).toList());
    }

    private void create(RoutingContext ctx) {
        Fields f = new Fields(Requests.json(ctx)).only(Set.of("name", "role", "password"));
        String name = f.name("name");
        Role role = Role.of(f.oneOf("role", ROLES, null)).orElse(Role.VIEWER);
        String password = f.password("password");
        f.check();
        User u = new User(name, role, hasher.hash(password), clock.instant());
        if (!users.create(u)) {
            throw new HttpProblem(409, "exists", "user '" + name + "' exists already",
                    List.of(new net.edgegw.mgmt.port.Problem("name", "is taken")), 0);
        }
        requests.audit(ctx, "user.create", "users/" + name, "role " + role.id());
        Requests.ok(ctx, 201, encode(u));
    }

    private User existing(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        return users.user(name).orElseThrow(() -> HttpProblem.notFound("user '" + name + "'"));
    }

    private void update(RoutingContext ctx) {
        JsonObject body = Requests.json(ctx);
        Fields f = new Fields(body).only(Set.of("role", "password"));
        User u = existing(ctx);
        Role role = Role.of(f.oneOf("role", ROLES, u.role().id())).orElse(u.role());
        String password = body.containsKey("password") ? f.password("password") : null;
        f.check();
        User updated = new User(u.name(), role, password == null ? u.passwordHash() : hasher.hash(password),
                u.created());
        guarded(users.updateKeepingAnAdmin(updated), u.name(), "demoted");
        if (role != u.role() || password != null) {
            // Their other sessions end (they log in again with the new role or password); an admin changing
            // their own account keeps the session that made the change. Tokens stay (capped by the role).
            endSessions(ctx, u.name());
        }
        requests.audit(ctx, "user.update", "users/" + u.name(),
                "role " + role.id() + (password == null ? "" : ", password changed"));
        Requests.ok(ctx, 200, encode(updated));
    }

    private void delete(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        guarded(users.deleteKeepingAnAdmin(name), name, "deleted");
        sessions.removeUser(name);
        requests.audit(ctx, "user.delete", "users/" + name, "");
        Requests.noContent(ctx);
    }

    /** 404 or 409 for what the directory refused; the last-admin check is the directory's, atomic. */
    private static void guarded(UserDirectory.Guarded g, String name, String what) {
        switch (g) {
            case NO_SUCH_USER -> throw HttpProblem.notFound("user '" + name + "'");
            case LAST_ADMIN -> throw new HttpProblem(409, "last-admin", "the last admin cannot be " + what);
            case DONE -> { }
        }
    }

    /** Ends {@code user}'s sessions except the caller's own when the caller is that user. */
    private void endSessions(RoutingContext ctx, String user) {
        Principal p = Requests.principal(ctx);
        sessions.removeUser(user, p != null && p.user().equals(user) ? p.session() : null);
    }

    private void listTokens(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        Requests.ok(ctx, 200, users.tokens().stream().filter(t -> mayManage(p, t)).map(UserApi::encode).toList());
    }

    /** An admin manages every token, anyone else their own. */
    private static boolean mayManage(Principal p, ApiToken t) {
        return p.role() == Role.ADMIN || p.user().equals(t.owner());
    }

    private void createToken(RoutingContext ctx) {
        Fields f = new Fields(Requests.json(ctx)).only(Set.of("name", "role"));
        String name = f.string("name", true, 64);
        Role role = Role.of(f.oneOf("role", ROLES, null)).orElse(Role.VIEWER);
        f.check();
        Principal p = Requests.principal(ctx);
        if (!p.browser()) {
            // Else a leaked token could mint successors that outlive its revocation.
            throw new HttpProblem(403, "forbidden", "API tokens are created from a logged-in session, not with one");
        }
        if (!p.role().includes(role)) {
            throw new HttpProblem(403, "forbidden", "a token cannot have more rights than its owner");
        }
        String secret = "egw_" + secrets.next();
        ApiToken t = new ApiToken(secrets.nextId(), name, p.user(), role, Secrets.sha256Hex(secret), clock.instant());
        users.addToken(t);
        requests.audit(ctx, "token.create", "tokens/" + t.id(), name + ", role " + role.id());
        Requests.ok(ctx, 201, encode(t).put("secret", secret));
    }

    private void revokeToken(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Principal p = Requests.principal(ctx);
        // Someone else's token is "not found" to a non-admin, not "forbidden": ids are not to be probed.
        boolean mine = users.tokens().stream().anyMatch(t -> t.id().equals(id) && mayManage(p, t));
        if (!mine || !users.revokeToken(id)) {
            throw HttpProblem.notFound("token '" + id + "'");
        }
        requests.audit(ctx, "token.revoke", "tokens/" + id, "");
        Requests.noContent(ctx);
    }
}
