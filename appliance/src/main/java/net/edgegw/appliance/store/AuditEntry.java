package net.edgegw.appliance.store;

import java.time.Instant;

/**
 * One audit-log row: who did what, when, from where, with which result.
 *
 * @param action   commit, rollback, import, export, export-with-secrets; the management server's own actions
 *                 (login, login.failed, setup, user.create, token.create...) as it names them
 * @param revision the revision it produced or concerned, 0 if none
 * @param outcome  ok or rejected
 * @param detail   the problems of a rejected change, or a summary; never a secret
 * @param target   what the action concerned (e.g. {@code users/alice}), empty for the store's own rows
 */
public record AuditEntry(long id, Instant time, String actor, String source, String action, long revision,
                         String outcome, String detail, String target) {

    /** A row without a target (the store's config commits, imports and exports). */
    public AuditEntry(long id, Instant time, String actor, String source, String action, long revision,
                      String outcome, String detail) {
        this(id, time, actor, source, action, revision, outcome, detail, "");
    }
}
