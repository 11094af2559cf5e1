package net.edgegw.mgmt.port;

import java.time.Instant;

/**
 * One audited action: logins (also failed ones), setup, configuration commits, user and token changes,
 * operator actions.
 *
 * @param actor  the user, or {@code "-"} before authentication
 * @param action e.g. {@code login}, {@code login.failed}, {@code config.commit}, {@code user.create}
 * @param source the client address
 */
public record AuditEvent(Instant at, String actor, String action, String target, String source, String detail) {
}
