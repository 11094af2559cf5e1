package net.edgegw.mgmt.port;

import java.util.List;

/** Append-only audit trail. */
public interface AuditLog {
    void append(AuditEvent event);

    /** Newest first, at most {@code limit}. */
    List<AuditEvent> recent(int limit);
}
