package net.edgegw.mgmt.port;

import java.time.Instant;

/**
 * One committed configuration revision.
 *
 * @param source where the change came from: {@code api}, {@code ui}, {@code rollback}, {@code setup}...
 */
public record Revision(long number, Instant at, String author, String comment, String source) {
}
