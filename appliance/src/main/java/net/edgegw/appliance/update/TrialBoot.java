package net.edgegw.appliance.update;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The second half of an A/B update, run at every start of the gateway: if this boot came from a one-shot entry
 * (selected entry differs from the default), the new slot is on trial. It becomes the default as soon as the
 * gateway reports healthy; if it does not within the deadline, the machine is restarted and, the one-shot being
 * spent, boots the old default slot again. (A kernel that never gets this far falls back the same way once the
 * hardware watchdog or an operator restarts it.)
 */
public final class TrialBoot {
    public enum Outcome { NOT_ON_TRIAL, CONFIRMED, ROLLED_BACK }

    private TrialBoot() {}

    /**
     * @param healthy  polled every {@code interval} until {@code deadline}
     * @param reboot   restarts the machine (systemctl reboot on the appliance)
     */
    public static Outcome settle(BootControl boot, BooleanSupplier healthy, Duration deadline, Duration interval,
                                 Runnable reboot) throws IOException, InterruptedException {
        Optional<String> selected = boot.selectedEntry();
        Optional<String> dflt = boot.defaultEntry();
        if (selected.isEmpty() || selected.equals(dflt)) {
            return Outcome.NOT_ON_TRIAL;
        }
        long end = System.nanoTime() + deadline.toNanos();
        do {
            if (healthy.getAsBoolean()) {
                boot.setDefault(selected.get());
                return Outcome.CONFIRMED;
            }
            Thread.sleep(interval.toMillis());
        } while (System.nanoTime() - end < 0);
        reboot.run();
        return Outcome.ROLLED_BACK;
    }
}
