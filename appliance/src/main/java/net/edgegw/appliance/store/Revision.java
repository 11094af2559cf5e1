package net.edgegw.appliance.store;

import java.time.Instant;

/**
 * One committed configuration revision: its number (1, 2, ...; 0 is the empty configuration before the first
 * commit), who committed it, when, from where, why, and what changed against the revision before it.
 *
 * @param rollbackOf the revision this one restored, 0 if it is not a rollback
 * @param changes    {@link net.edgegw.appliance.config.ConfigDiff#render} of the change, secrets redacted
 */
public record Revision(long number, Instant time, String author, String source, String comment, long rollbackOf,
                       String changes) {

    /** The empty configuration a new store starts from. */
    public static final Revision NONE = new Revision(0, Instant.EPOCH, "", "", "empty configuration", 0, "");
}
