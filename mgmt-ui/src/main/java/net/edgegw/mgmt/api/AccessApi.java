package net.edgegw.mgmt.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import net.edgegw.mgmt.auth.Argon2id;
import net.edgegw.mgmt.auth.LoginThrottle;
import net.edgegw.mgmt.auth.Principal;
import net.edgegw.mgmt.auth.Session;
import net.edgegw.mgmt.auth.SessionStore;
import net.edgegw.mgmt.auth.SetupGate;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.port.User;
import net.edgegw.mgmt.port.UserDirectory;
import net.edgegw.mgmt.web.HttpProblem;
import net.edgegw.mgmt.web.RouteTable;

/**
 * Getting in: {@code /api/v1/setup} (first admin, with the one-time setup token; 410 once done) and
 * {@code /api/v1/session} (login with throttling, who am I, logout). Logins, failed ones too, are audited.
 */
final class AccessApi {
    private final UserDirectory users;
    private final Argon2id hasher;
    private final SessionStore sessions;
    private final LoginThrottle throttle;
    private final SetupGate setup;
    private final Requests requests;
    private final Clock clock;
    /** Verified against when the user does not exist, so that a login takes as long either way. */
    private final String dummyHash;

    AccessApi(UserDirectory users, Argon2id hasher, SessionStore sessions, LoginThrottle throttle, SetupGate setup,
              Requests requests, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.sessions = sessions;
        this.throttle = throttle;
        this.setup = setup;
        this.requests = requests;
        this.clock = clock;
        this.dummyHash = hasher.hash("not a password of anyone");
    }

    RouteTable setupRoutes(Vertx vertx) {
        return new RouteTable(vertx)
                .add(HttpMethod.GET, "/", null, this::setupState)
                .add(HttpMethod.POST, "/", null, this::setup);
    }

    RouteTable sessionRoutes(Vertx vertx) {
        return new RouteTable(vertx)
                .add(HttpMethod.POST, "/", null, this::login)
                .add(HttpMethod.GET, "/", null, this::whoami)
                .add(HttpMethod.DELETE, "/", Role.VIEWER, this::logout)
                .add(HttpMethod.PUT, "/password", Role.VIEWER, this::changePassword);
    }

    private void setupState(RoutingContext ctx) {
        Requests.ok(ctx, 200, new JsonObject().put("required", setup.isOpen()));
    }

    private void setup(RoutingContext ctx) {
        Fields f = new Fields(Requests.json(ctx)).only(Set.of("token", "username", "password"));
        String token = f.text("token");
        switch (setup.check(token)) {
            case CLOSED -> throw new HttpProblem(410, "setup-done", "setup is done; log in instead");
            case WRONG_TOKEN -> {
                requests.audit(ctx, "setup.failed", "setup", "wrong setup token");
                throw new HttpProblem(403, "setup-token", "wrong setup token (it was printed on the console)");
            }
            case OK -> { }
        }
        String name = f.name("username");
        String password = f.password("password");
        f.check();
        User admin = new User(name, Role.ADMIN, hasher.hash(password), clock.instant());
        boolean created = users.createFirst(admin);
        setup.close();
        if (!created) {
            throw new HttpProblem(410, "setup-done", "setup is done; log in instead");
        }
        requests.audit(ctx, name, "setup", "users/" + name, "first admin created with the setup token");
        Requests.ok(ctx, 201, UserApi.encode(admin));
    }

    private void login(RoutingContext ctx) {
        Fields f = new Fields(Requests.json(ctx)).only(Set.of("username", "password"));
        String name = f.string("username", true, 64);
        String password = f.string("password", true, Fields.MAX_PASSWORD);
        f.check();
        String source = Requests.source(ctx);
        Duration wait = throttle.retryAfter(name, source);
        if (!wait.isZero()) {
            requests.audit(ctx, name, "login.throttled", "users/" + name, "");
            throw new HttpProblem(429, "throttled", "too many failed logins; try again later", java.util.List.of(),
                    Math.max(1, wait.toSeconds()));
        }
        Optional<User> user = users.user(name);
        boolean ok = Argon2id.verify(user.map(User::passwordHash).orElse(dummyHash), password) && user.isPresent();
        if (!ok) {
            throttle.failed(name, source);
            requests.audit(ctx, name, "login.failed", "users/" + name, "");
            throw new HttpProblem(401, "login-failed", "wrong user name or password");
        }
        throttle.succeeded(name);
        // A session this browser already had (perhaps planted by someone else) ends: a login always starts a
        // fresh session id (session fixation).
        Cookie old = ctx.request().getCookie(SessionStore.COOKIE);
        if (old != null) {
            sessions.remove(old.getValue());
        }
        Session s = sessions.create(name);
        ctx.response().addCookie(Cookie.cookie(SessionStore.COOKIE, s.id()).setPath("/").setHttpOnly(true)
                .setSecure(true).setSameSite(CookieSameSite.STRICT).setMaxAge(sessions.maxAge().toSeconds()));
        requests.audit(ctx, name, "login", "users/" + name, "session");
        Requests.ok(ctx, 200, new JsonObject().put("user", name).put("role", user.get().role().id())
                .put("csrfToken", s.csrfToken()));
    }

    /** Public, so that the panel learns whether it is logged in without a 401 (a console error) at each load. */
    private void whoami(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        if (p == null) {
            Requests.ok(ctx, 200, new JsonObject().put("authenticated", false));
            return;
        }
        JsonObject o = new JsonObject().put("authenticated", true).put("user", p.user()).put("role", p.role().id())
                .put("via", p.browser() ? "session" : "token");
        if (p.browser()) {
            o.put("csrfToken", p.session().csrfToken());
        }
        Requests.ok(ctx, 200, o);
    }

    /**
     * Changes the caller's own password, given the current one (a stolen session or token alone cannot take the
     * account over); wrong guesses count against the login throttle. The user's other sessions end, this one
     * stays; tokens stay.
     */
    private void changePassword(RoutingContext ctx) {
        Fields f = new Fields(Requests.json(ctx)).only(Set.of("currentPassword", "newPassword"));
        String current = f.string("currentPassword", true, Fields.MAX_PASSWORD);
        String next = f.password("newPassword");
        f.check();
        Principal p = Requests.principal(ctx);
        String source = Requests.source(ctx);
        Duration wait = throttle.retryAfter(p.user(), source);
        if (!wait.isZero()) {
            throw new HttpProblem(429, "throttled", "too many wrong passwords; try again later", java.util.List.of(),
                    Math.max(1, wait.toSeconds()));
        }
        User u = users.user(p.user()).orElseThrow(() -> new HttpProblem(401, "unauthenticated", "log in again"));
        if (!Argon2id.verify(u.passwordHash(), current)) {
            throttle.failed(p.user(), source);
            requests.audit(ctx, "password.failed", "users/" + p.user(), "wrong current password");
            throw HttpProblem.invalid(java.util.List.of(new net.edgegw.mgmt.port.Problem("currentPassword",
                    "is not your current password")));
        }
        if (!users.update(new User(u.name(), u.role(), hasher.hash(next), u.created()))) {
            throw new HttpProblem(401, "unauthenticated", "log in again");
        }
        sessions.removeUser(u.name(), p.session());
        requests.audit(ctx, "password.change", "users/" + u.name(), "other sessions ended");
        Requests.noContent(ctx);
    }

    private void logout(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        if (p.browser()) {
            sessions.remove(p.session().id());
            ctx.response().addCookie(Cookie.cookie(SessionStore.COOKIE, "").setPath("/").setHttpOnly(true)
                    .setSecure(true).setSameSite(CookieSameSite.STRICT).setMaxAge(0));
            requests.audit(ctx, "logout", "users/" + p.user(), "");
        }
        Requests.noContent(ctx);
    }
}
