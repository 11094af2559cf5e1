package net.edgegw.appliance.lifecycle;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import net.edgegw.mgmt.port.LogEntry;
import net.edgegw.mgmt.port.LogQuery;
import net.edgegw.mgmt.port.LogSource;

/**
 * The last {@code capacity} log records in memory, for {@code GET /api/v1/logs}: a java.util.logging handler
 * beside the console one, so it keeps what the console shows (the root level applies to both). Bounded, one lock;
 * nothing logs per packet, so it sees a few records a second at most. Secrets never reach it: nothing logs them.
 */
final class LogRing extends Handler implements LogSource {
    private final int capacity;
    private final ArrayDeque<LogEntry> records;
    private final Formatter formatter = new Formatter() {
        @Override
        public String format(LogRecord r) {
            return formatMessage(r);
        }
    };
    private long seq;

    LogRing(int capacity) {
        this.capacity = capacity;
        this.records = new ArrayDeque<>(capacity);
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
        LogEntry e = new LogEntry(0, Instant.ofEpochMilli(r.getMillis()), r.getLevel().getName(),
                r.getLoggerName() == null ? "" : r.getLoggerName(), m);
        synchronized (this) {
            records.addLast(new LogEntry(++seq, e.at(), e.level(), e.logger(), e.message()));
            if (records.size() > capacity) {
                records.removeFirst();
            }
        }
    }

    @Override
    public synchronized List<LogEntry> logs(LogQuery q) {
        ArrayDeque<LogEntry> out = new ArrayDeque<>();
        for (var it = records.descendingIterator(); it.hasNext() && out.size() < q.limit(); ) {
            LogEntry e = it.next();
            if (e.seq() <= q.since()) {
                break; // older ones have smaller numbers
            }
            if (q.matches(e)) {
                out.addFirst(e);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
