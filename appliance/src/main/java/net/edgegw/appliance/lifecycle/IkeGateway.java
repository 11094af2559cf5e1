package net.edgegw.appliance.lifecycle;

import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.edgegw.appliance.daemon.IkeTunnelDriver;
import net.edgegw.appliance.ike.sa.IkeContext;
import net.edgegw.appliance.ike.sa.IkeSa;
import net.edgegw.appliance.ike.sa.IkeSaTable;
import net.edgegw.appliance.ike.sa.IkeSender;
import net.edgegw.dataplane.gateway.GatewayMain;

/**
 * {@code Main ike <config>}: the data plane (TUN, workers, UDP on 500/4500) with the IKEv2 daemon keying it.
 * Received IKE is handed to one IKE thread, which also runs the timers; CHILD SAs go into the SAD/SPD through
 * {@link DataplaneInstaller}. Runs until SIGTERM/SIGINT, then deletes its IKE SA (best effort) and exits.
 */
public final class IkeGateway {
    static final long TICK_MILLIS = 100;
    /** Our pause before initiating again after an IKE SA failed or was deleted (a refusing peer is not flooded). */
    static final long REINITIATE_NANOS = 5_000_000_000L;

    private IkeGateway() {}

    static void log(String s) {
        System.out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + s);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: Main ike <config file>");
            System.exit(2);
        }
        IkeGatewayConfig cfg = IkeGatewayConfig.read(Path.of(args[0]));
        ScheduledExecutorService ike = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ike");
            t.setDaemon(true);
            return t;
        });
        IkeSaTable[] table = new IkeSaTable[1];
        long[] lastInitiate = {System.nanoTime() - REINITIATE_NANOS};
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        GatewayMain g = GatewayMain.start(cfg.dataplane(), (msg, from, port) -> ike.execute(() -> {
            try {
                table[0].receive(msg, from, port);
            } catch (RuntimeException e) {
                log("IKE: dropped a message that broke the daemon: " + e); // a bug, never the peer's input
            }
        }));
        IkeContext ctx = IkeTunnelDriver.context(g, IkeGateway::log);
        table[0] = new IkeSaTable(List.of(cfg.ike()), ctx);
        log("started ike " + cfg.ike() + (cfg.initiate() ? " (initiating)" : " (waiting)"));
        ike.scheduleWithFixedDelay(() -> {
            try {
                table[0].tick();
                long now = System.nanoTime();
                if (cfg.initiate() && !stopping.get() && table[0].list().isEmpty()
                        && now - lastInitiate[0] >= REINITIATE_NANOS) {
                    lastInitiate[0] = now;
                    table[0].initiate(cfg.ike()); // start, and start again when the IKE SA is gone
                }
            } catch (RuntimeException e) {
                log("IKE timer: " + e);
            }
        }, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        if (cfg.statusInterval() > 0) {
            ike.scheduleWithFixedDelay(() -> {
                StringBuilder sb = new StringBuilder("status ");
                for (IkeSa sa : table[0].list()) {
                    sb.append(sa).append("; ");
                }
                log(sb + g.status());
            }, cfg.statusInterval(), cfg.statusInterval(), TimeUnit.SECONDS);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("stopping");
            stopping.set(true);
            try {
                ike.submit(() -> {
                    for (IkeSa sa : table[0].list()) {
                        table[0].delete(sa); // one Delete each; we don't wait for the answer
                    }
                }).get(1, TimeUnit.SECONDS);
                Thread.sleep(200);
                ike.submit(table[0]::shutdown).get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                log("stop: " + e);
            }
            ike.shutdownNow();
            g.close();
            log("stopped");
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
