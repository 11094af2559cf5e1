package net.edgegw.mgmt.port;

import java.util.Locale;
import java.util.logging.Level;

/**
 * A filter over the kept log records; every part is optional.
 *
 * @param minLevel least severe level to return (java.util.logging value, e.g. 800 for INFO), 0 for all
 * @param text     substring of the message, case-insensitive, {@code ""} for any
 * @param logger   prefix of the logger name, {@code ""} for any
 * @param since    only records with a greater {@link LogEntry#seq}, 0 for all
 * @param limit    at most this many, the newest ones
 */
public record LogQuery(int minLevel, String text, String logger, long since, int limit) {
    public LogQuery {
        text = text == null ? "" : text.toLowerCase(Locale.ROOT);
        logger = logger == null ? "" : logger;
    }

    public boolean matches(LogEntry e) {
        return e.seq() > since && level(e.level()) >= minLevel && e.logger().startsWith(logger)
                && (text.isEmpty() || e.message().toLowerCase(Locale.ROOT).contains(text));
    }

    /** A java.util.logging level name's value; an unknown name counts as INFO. */
    public static int level(String name) {
        try {
            return Level.parse(name.toUpperCase(Locale.ROOT)).intValue();
        } catch (IllegalArgumentException e) {
            return Level.INFO.intValue();
        }
    }
}
