package net.edgegw.appliance.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import net.edgegw.mgmt.port.LogBuffer;
import net.edgegw.mgmt.port.LogEntry;
import net.edgegw.mgmt.port.LogQuery;
import net.edgegw.mgmt.port.LogSource;

/**
 * The last {@code capacity} log records in memory, for {@code GET /api/v1/logs}: a java.util.logging handler
 * beside the console one, so it keeps what the console shows (the root level applies to both). Bounded, one lock;
 * nothing logs per packet, so it sees a few records a second at most. Secrets never reach it: nothing logs them.
 */
final class LogRing extends Handler implements LogSource {
    private final LogBuffer records;
    private final Formatter formatter = new Formatter() {
        @Override
        public String format(LogRecord r) {
            return formatMessage(r);
        }
    };

    LogRing(int capacity) {
        this.records = new LogBuffer(capacity);
    }

    @Override
    public void publish(LogRecord r) {
        if (r == null || !isLoggable(r)) {
            return;
        }
        String m = formatter.formatMessage(r);
        if (r.getThrown() != null) {
            m += " (" + r.getThrown() + ")"; // the stack trace stays on the console
        }
        records.add(Instant.ofEpochMilli(r.getMillis()), r.getLevel().getName(), r.getLoggerName(), m);
    }

    @Override
    public List<LogEntry> logs(LogQuery q) {
        return records.logs(q);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
