package net.edgegw.appliance.store;

import java.nio.file.Path;
import net.edgegw.appliance.config.Config;
import net.edgegw.appliance.config.Fixtures;
import net.edgegw.appliance.config.Outcome;

/**
 * A child JVM for the store's process tests. {@code write <dir>}: commits revision after revision (each changes a
 * cluster description and the peer's PSK) and prints {@code committed N} after each commit returns, until killed
 * or 60 s pass. {@code hold <dir>}: opens the store, prints {@code open}, and keeps it open for 30 s.
 */
public final class StoreChild {
    private StoreChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        long deadline = System.nanoTime() + 60_000_000_000L;
        try (ConfigStore store = ConfigStore.open(dir)) {
            System.out.println("open " + store.current().revision().number());
            System.out.flush();
            if (args[0].equals("hold")) {
                Thread.sleep(30_000);
                return;
            }
            Config base = Fixtures.example();
            while (System.nanoTime() < deadline) {
                long next = store.current().revision().number() + 1;
                Config c = Fixtures.withPsk(Fixtures.withDescription(base, "revision " + next),
                        "crash-loop-psk-" + next + "-padding");
                Outcome<Revision> o = store.commit(c, "crash-writer", "write " + next, "test");
                if (!o.ok()) {
                    System.out.println("rejected " + o.problems());
                    System.exit(3);
                }
                System.out.println("committed " + o.value().number());
                System.out.flush();
            }
        }
    }
}
