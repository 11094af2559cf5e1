package net.edgegw.mgmt.port;

import java.util.List;

/** The appliance's recent log records, kept in memory (bounded). */
public interface LogSource {
    LogSource NONE = q -> List.of();

    /** The newest records matching {@code q}, oldest first. */
    List<LogEntry> logs(LogQuery q);
}
