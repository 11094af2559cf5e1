package net.edgegw.mgmt.auth;

import java.time.Instant;

/**
 * A browser session: the cookie carries {@code id}; state-changing requests must echo {@code csrfToken} in the
 * {@value SessionStore#CSRF_HEADER} header (synchronizer token pattern).
 */
public record Session(String id, String user, String csrfToken, Instant created, Instant lastSeen) {
    Session touched(Instant now) {
        return new Session(id, user, csrfToken, created, now);
    }
}
