package net.edgegw.mgmt.auth;

import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import net.edgegw.mgmt.port.ApiToken;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.port.User;
import net.edgegw.mgmt.port.UserDirectory;
import net.edgegw.mgmt.web.HttpProblem;

/**
 * Finds who makes a request: an {@code Authorization: Bearer} API token, else the session cookie. The role is read
 * from the user directory on every request, so a deleted or demoted user loses access at once; a token's role is
 * capped by its owner's. Browser-session requests that change state must carry the session's CSRF token in
 * {@value SessionStore#CSRF_HEADER}; bearer requests need none (a browser never adds that header by itself).
 */
public final class Authenticator implements Handler<RoutingContext> {
    private static final String KEY = "edgegw.principal";
    private static final String BEARER = "Bearer ";

    private final UserDirectory users;
    private final SessionStore sessions;

    public Authenticator(UserDirectory users, SessionStore sessions) {
        this.users = users;
        this.sessions = sessions;
    }

    /** The request's principal, or {@code null} if anonymous. */
    public static Principal principal(RoutingContext ctx) {
        return ctx.get(KEY);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String authz = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        Principal p;
        if (authz != null) {
            p = authz.regionMatches(true, 0, BEARER, 0, BEARER.length())
                    ? byToken(authz.substring(BEARER.length()).trim()) : null;
            if (p == null) {
                ctx.fail(new HttpProblem(401, "invalid-token", "unknown, revoked or malformed API token"));
                return;
            }
        } else {
            Cookie c = ctx.request().getCookie(SessionStore.COOKIE);
            p = c == null ? null : bySession(c.getValue());
            if (p != null && !safe(ctx.request().method())
                    && !Secrets.same(p.session().csrfToken(), ctx.request().getHeader(SessionStore.CSRF_HEADER))) {
                ctx.fail(new HttpProblem(403, "csrf", "missing or wrong " + SessionStore.CSRF_HEADER + " header"));
                return;
            }
        }
        if (p != null) {
            ctx.put(KEY, p);
        }
        ctx.next();
    }

    private static boolean safe(HttpMethod m) {
        return m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS;
    }

    private Principal byToken(String secret) {
        if (secret.isEmpty() || secret.length() > 256) {
            return null;
        }
        Optional<ApiToken> t = users.tokenBySecretHash(Secrets.sha256Hex(secret));
        if (t.isEmpty()) {
            return null;
        }
        Optional<User> owner = users.user(t.get().owner());
        if (owner.isEmpty()) {
            return null;
        }
        Role role = owner.get().role().includes(t.get().role()) ? t.get().role() : owner.get().role();
        return new Principal(owner.get().name(), role, null, t.get().id());
    }

    private Principal bySession(String id) {
        Optional<Session> s = sessions.find(id);
        if (s.isEmpty()) {
            return null;
        }
        Optional<User> u = users.user(s.get().user());
        return u.map(user -> new Principal(user.name(), user.role(), s.get(), null)).orElse(null);
    }
}
