package net.edgegw.appliance.lifecycle;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import net.edgegw.appliance.config.Settings;

/**
 * The daemon's log lines on stderr through java.util.logging (where {@code System.Logger}, Vert.x and our own code
 * end up): one line per record, as text ({@code 2026-01-01T00:00:00Z INFO store: message}) or as one JSON
 * object per line for a collector ({@code {"time":..,"level":..,"logger":..,"message":..}}); the last records
 * also stay in memory ({@link LogRing}) for the admin panel's log tail.
 */
final class LogSetup {
    /** How many records {@code GET /api/v1/logs} can reach back. */
    static final int KEEP = 2000;
    private static final LogRing RING = new LogRing(KEEP);

    private LogSetup() {}

    /** The last {@value #KEEP} records (those the console shows), once {@link #install} ran; else none. */
    static LogRing ring() {
        return RING;
    }

    static void install(DaemonOptions.LogFormat format) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler h = new ConsoleHandler();
        h.setLevel(Level.ALL);
        h.setFormatter(format == DaemonOptions.LogFormat.JSON ? new Json() : new Text());
        root.addHandler(h);
        RING.setLevel(Level.ALL);
        root.addHandler(RING);
        root.setLevel(Level.INFO);
    }

    /** The configuration's {@code settings.logging.level}, applied to every logger. */
    static void level(Settings.Level level) {
        Logger.getLogger("").setLevel(switch (level) {
            case ERROR -> Level.SEVERE;
            case WARNING -> Level.WARNING;
            case INFO -> Level.INFO;
            case DEBUG -> Level.FINE;
            case TRACE -> Level.FINEST;
        });
    }

    private static String message(Formatter f, LogRecord r) {
        String m = f.formatMessage(r);
        if (r.getThrown() != null) {
            StringWriter sw = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(sw));
            m += "\n" + sw;
        }
        return m;
    }

    private static String shortName(String logger) {
        return logger == null ? "" : logger.substring(logger.lastIndexOf('.') + 1);
    }

    static final class Text extends Formatter {
        @Override
        public String format(LogRecord r) {
            return Instant.ofEpochMilli(r.getMillis()) + " " + r.getLevel().getName() + " "
                    + shortName(r.getLoggerName()) + ": " + message(this, r) + "\n";
        }
    }

    static final class Json extends Formatter {
        @Override
        public String format(LogRecord r) {
            return new JsonObject().put("time", Instant.ofEpochMilli(r.getMillis()).toString())
                    .put("level", r.getLevel().getName()).put("logger", r.getLoggerName())
                    .put("message", message(this, r)).encode() + "\n";
        }
    }
}
