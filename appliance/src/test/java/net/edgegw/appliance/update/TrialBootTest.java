package net.edgegw.appliance.update;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The trial boot of a freshly written slot: confirmed when healthy in time, else rebooted back to the old one. */
class TrialBootTest {
    final AtomicInteger reboots = new AtomicInteger();

    @Test
    void newSlotThatTurnsHealthyBecomesTheDefault() throws Exception {
        RecordingBootControl boot = new RecordingBootControl("edgegw-b.conf", "edgegw-a.conf");
        AtomicInteger polls = new AtomicInteger();
        TrialBoot.Outcome o = TrialBoot.settle(boot, () -> polls.incrementAndGet() >= 3, Duration.ofSeconds(5),
                Duration.ofMillis(1), reboots::incrementAndGet);
        assertEquals(TrialBoot.Outcome.CONFIRMED, o);
        assertEquals(List.of("default edgegw-b.conf"), boot.writes);
        assertEquals(0, reboots.get());
    }

    @Test
    void newSlotThatNeverTurnsHealthyIsRebootedAwayAndNeverMadeDefault() throws Exception {
        RecordingBootControl boot = new RecordingBootControl("edgegw-b.conf", "edgegw-a.conf");
        TrialBoot.Outcome o = TrialBoot.settle(boot, () -> false, Duration.ofMillis(50), Duration.ofMillis(5),
                reboots::incrementAndGet);
        assertEquals(TrialBoot.Outcome.ROLLED_BACK, o);
        assertEquals(List.of(), boot.writes);
        assertEquals(1, reboots.get());
    }

    @Test
    void ordinaryBootOfTheDefaultIsNotATrial() throws Exception {
        RecordingBootControl boot = new RecordingBootControl("edgegw-a.conf", "edgegw-a.conf");
        assertEquals(TrialBoot.Outcome.NOT_ON_TRIAL, TrialBoot.settle(boot, () -> false, Duration.ofSeconds(5),
                Duration.ofMillis(1), reboots::incrementAndGet));
        assertEquals(List.of(), boot.writes);
        assertEquals(0, reboots.get());
    }
}
