package net.edgegw.appliance.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.edgegw.mgmt.port.LogEntry;
import net.edgegw.mgmt.port.LogQuery;
import org.junit.jupiter.api.Test;

/** The in-memory log tail: bounded, numbered, filtered by level, text, logger prefix and sequence. */
class LogRingTest {

    @Test
    void keepsTheLastRecordsAndFilters() {
        LogRing ring = new LogRing(3);
        Logger log = Logger.getLogger("net.edgegw.test.ring");
        log.setUseParentHandlers(false);
        log.setLevel(Level.ALL);
        log.addHandler(ring);
        try {
            log.info("dropped by the bound");
            log.log(Level.INFO, "connection {0} UP", "net");
            log.warning("IKE_AUTH failed: AUTHENTICATION_FAILED");
            log.log(Level.SEVERE, "broken", new IllegalStateException("why"));
            List<LogEntry> all = ring.logs(new LogQuery(0, "", "", 0, 100));
            assertEquals(3, all.size(), "bounded to 3");
            assertEquals("connection net UP", all.get(0).message(), "parameters formatted, oldest first");
            assertEquals(2, all.get(0).seq());
            assertTrue(all.get(2).message().contains("IllegalStateException: why"), all.get(2).message());
            assertEquals(List.of("WARNING", "SEVERE"), ring.logs(new LogQuery(Level.WARNING.intValue(), "", "", 0,
                    100)).stream().map(LogEntry::level).toList());
            assertEquals(1, ring.logs(new LogQuery(0, "authentication", "net.edgegw.test", 0, 100)).size());
            assertEquals(0, ring.logs(new LogQuery(0, "", "io.vertx", 0, 100)).size());
            assertEquals(List.of(4L), ring.logs(new LogQuery(0, "", "", 3, 100)).stream().map(LogEntry::seq)
                    .toList());
            assertEquals(List.of(3L, 4L), ring.logs(new LogQuery(0, "", "", 0, 2)).stream().map(LogEntry::seq)
                    .toList(), "the newest N");
        } finally {
            log.removeHandler(ring);
        }
    }
}
