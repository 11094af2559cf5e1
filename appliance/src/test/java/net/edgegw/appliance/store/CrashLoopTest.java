package net.edgegw.appliance.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import net.edgegw.appliance.config.ConfigValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that is committing revisions with SIGKILL, 15 times at random points of its write loop, and
 * checks after each kill that the store reopens at the last revision the child saw committed (or the one it was
 * committing, if that commit had reached the file), with every revision whole: contiguous numbers, checksums
 * that match, documents that read and validate, and exactly one audit row per revision.
 */
class CrashLoopTest {
    static final int KILLS = 15;

    @Test
    @Timeout(300)
    void storeSurvivesSigkillDuringWrites(@TempDir Path dir) throws Exception {
        Random random = new Random(20261125);
        long started = System.nanoTime();
        java.lang.management.ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long slowestReopen = 0;
        long costliestReopen = 0;
        long lastSeen = 0;
        int inFlightKept = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            long reported;
            try (ChildJvm child = new ChildJvm("write", dir)) {
                String open = child.line();
                assertNotNull(open, "child died before opening the store");
                assertEquals("open " + lastSeen, open, "the child opens where the test left the store");
                reported = Long.parseLong(open.substring(5));
                // let it commit a few revisions, then kill it somewhere inside the next one
                int commits = 1 + random.nextInt(4);
                for (int i = 0; i < commits; i++) {
                    String line = child.line();
                    assertNotNull(line, "child ended early");
                    assertTrue(line.startsWith("committed "), line);
                    reported = Long.parseLong(line.substring(10));
                }
                Thread.sleep(random.nextInt(15));
                child.kill();
                for (String line; (line = child.line()) != null; ) { // commits reported before the kill landed
                    if (line.matches("committed \\d+")) {
                        reported = Long.parseLong(line.substring(10));
                    }
                }
            }
            long reopen = System.nanoTime();
            long reopenCpu = cpu.getCurrentThreadCpuTime();
            try (ConfigStore store = ConfigStore.open(dir)) {
                long now = store.current().revision().number();
                assertTrue(now == reported || now == reported + 1,
                        "kill " + kill + ": reopened at revision " + now + ", child had reported " + reported);
                inFlightKept += now == reported + 1 ? 1 : 0;
                checkWhole(store, now);
                lastSeen = now;
            }
            slowestReopen = Math.max(slowestReopen, System.nanoTime() - reopen);
            costliestReopen = Math.max(costliestReopen, cpu.getCurrentThreadCpuTime() - reopenCpu);
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.printf("crash loop: %d SIGKILLs in %d ms, %d revisions, %d in-flight commits found complete,"
                + " slowest reopen %d ms (%d ms CPU at most), load average %.1f%n", KILLS, ms, lastSeen, inFlightKept,
                slowestReopen / 1_000_000, costliestReopen / 1_000_000, load);
        Path trace = dir.resolve("config.trace.db"); // H2's own error log
        assertFalse(Files.exists(trace), () -> "H2 logged errors:\n" + read(trace));
        // The recovery itself, apart from the child JVMs' starts and from what else the machine runs: the CPU time
        // this thread spent reopening the store after a SIGKILL and reading every revision back (wall clock: 0.6 s
        // at most at load 5.7 on a 2-core machine, 4.4 s at load 10.7). 10 s of CPU is pathological (a replay of
        // the whole log, a busy wait), however loaded the machine.
        assertTrue(costliestReopen < 10_000_000_000L, "a reopen after SIGKILL took " + costliestReopen / 1_000_000
                + " ms of CPU");
        // 15 rounds of JVM start + H2 open + commits: 12 s at load 5.7, 75 s at load 10.7 on a 2-core machine. A
        // fixed ceiling, no guess from the load average (it lags): the rounds are bounded, not timed.
        assertTrue(ms < 240_000, KILLS + " kills took " + ms + " ms at load " + load);
        assertTrue(lastSeen >= KILLS, "at least one commit per round: " + lastSeen);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static void checkWhole(ConfigStore store, long newest) {
        List<Revision> revs = store.revisions();
        assertEquals(newest, revs.size());
        for (int i = 0; i < revs.size(); i++) {
            assertEquals(i + 1, revs.get(i).number());
        }
        Snapshot s = store.current();
        assertEquals(List.of(), ConfigValidator.validate(s.config()));
        if (newest > 0) {
            assertEquals("revision " + newest, s.config().clusters().get(0).description());
            assertEquals("crash-loop-psk-" + newest + "-padding", s.config().peers().get(0).auth().psk().reveal());
            // every older revision reads back whole (checksum and document)
            for (Revision r : revs) {
                assertEquals("revision " + r.number(),
                        store.revision(r.number()).orElseThrow().config().clusters().get(0).description());
            }
        }
        long commitRows = store.audit().stream()
                .filter(a -> a.action().equals("commit") && a.outcome().equals("ok")).count();
        assertEquals(newest, commitRows, "one audit row per revision");
    }
}
