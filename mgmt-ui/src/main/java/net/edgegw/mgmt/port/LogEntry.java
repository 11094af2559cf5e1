package net.edgegw.mgmt.port;

import java.time.Instant;

/**
 * One log record the appliance kept in memory.
 *
 * @param seq     increasing number of the record since start (a client polls with {@code since})
 * @param level   {@code SEVERE}, {@code WARNING}, {@code INFO}, {@code FINE}, ... (java.util.logging names)
 * @param logger  the logger's full name
 * @param message the formatted message (with the exception's first line, if any)
 */
public record LogEntry(long seq, Instant at, String level, String logger, String message) {
}
