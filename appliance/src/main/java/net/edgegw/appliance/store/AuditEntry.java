package net.edgegw.appliance.store;

import java.time.Instant;

/**
 * One audit-log row: who did what, when, from where, with which result.
 *
 * @param action   commit, rollback, import, export, export-with-secrets
 * @param revision the revision it produced or concerned, 0 if none
 * @param outcome  ok or rejected
 * @param detail   the problems of a rejected change, or a summary; never a secret
 */
public record AuditEntry(long id, Instant time, String actor, String source, String action, long revision,
                         String outcome, String detail) {}
