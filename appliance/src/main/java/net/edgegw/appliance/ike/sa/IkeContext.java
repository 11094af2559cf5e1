package net.edgegw.appliance.ike.sa;

import java.security.SecureRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What an IKE SA needs from its surroundings: the sender, the data-plane seam, randomness, a clock, a log and the
 * counters its events go to. Tests pass a fake sender and installer, a seeded random and a manual clock.
 *
 * @param nanoClock monotonic time in nanoseconds
 * @param counters the engine's event counters (one per table: every SA of it counts there)
 */
public record IkeContext(IkeSender sender, ChildSaInstaller installer, SecureRandom rnd, LongSupplier nanoClock,
                         Consumer<String> log, IkeCounters counters) {
    /** A log that discards: the SAs then skip formatting their lines (per-message lines cost a setup ~5% CPU). */
    public static final Consumer<String> QUIET = s -> { };

    /** With counters of its own. */
    public IkeContext(IkeSender sender, ChildSaInstaller installer, SecureRandom rnd, LongSupplier nanoClock,
                      Consumer<String> log) {
        this(sender, installer, rnd, nanoClock, log, new IkeCounters());
    }
}
