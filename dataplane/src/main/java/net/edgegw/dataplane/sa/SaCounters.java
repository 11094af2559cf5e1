package net.edgegw.dataplane.sa;

/**
 * Per-SA traffic counters (RFC 4301 §4.4.2.1 lifetime accounting plus drop figures). Written only by the SA's
 * owning worker; read by anyone (stale by a few packets at worst, never torn on a 64-bit JVM).
 */
public final class SaCounters {
    public long packets;
    /** Inner (cleartext) bytes, the measure byte lifetimes count. */
    public long bytes;
    public long authFailures;
    public long replayDrops;
    public long policyDrops;
    /** Other drops on this SA (bad padding, dummy packets, sequence exhausted, expired). */
    public long otherDrops;

    @Override
    public String toString() {
        return "packets=" + packets + " bytes=" + bytes + " authFailures=" + authFailures + " replayDrops="
                + replayDrops + " policyDrops=" + policyDrops + " otherDrops=" + otherDrops;
    }
}
