package net.edgegw.mgmt.port;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/** The last {@code capacity} log records, numbered from 1; thread-safe (one lock), bounded. */
public final class LogBuffer implements LogSource {
    private final int capacity;
    private final ArrayDeque<LogEntry> records;
    private long seq;

    public LogBuffer(int capacity) {
        this.capacity = capacity;
        this.records = new ArrayDeque<>(capacity);
    }

    public synchronized void add(Instant at, String level, String logger, String message) {
        records.addLast(new LogEntry(++seq, at, level, logger == null ? "" : logger, message));
        if (records.size() > capacity) {
            records.removeFirst();
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
}
