package net.edgegw.appliance.lifecycle;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import net.edgegw.dataplane.gateway.GatewayMain;
import net.edgegw.dataplane.selfcheck.SelfCheck;
import sun.misc.Signal;

/**
 * The appliance entry point. Without a subcommand it runs the daemon ({@link Daemon}: config store, reconciler,
 * admin panel on https://127.0.0.1:8443 with first-boot setup) with the options of {@link DaemonOptions};
 * {@code selfcheck} runs the data-plane self-check alone; {@code gateway <config>} starts the manually keyed
 * gateway; {@code ike <config>} the gateway keyed by IKEv2 with one PSK peer ({@link IkeGatewayConfig}). SIGTERM
 * and SIGINT shut the daemon down cleanly and exit 0.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("ike")) {
            IkeGateway.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("gateway")) {
            GatewayMain.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("selfcheck")) {
            boolean ok = SelfCheck.run(System.out, 50_000);
            System.out.println(ok ? "edgegw: data plane ready" : "edgegw: data plane self-check FAILED");
            System.exit(ok ? 0 : 1);
        }
        int code;
        try {
            code = daemon(args, System.getenv());
        } catch (Error | RuntimeException e) {
            // the panel's and engine's threads would keep a JVM without its main thread alive, serving but never
            // ready: end it, so that systemd sees the failure and restarts it
            System.err.println("edgegw: fatal: " + e);
            e.printStackTrace();
            code = 70;
        }
        System.exit(code);
    }

    /** Runs the daemon until a signal stops it; returns the exit code. */
    static int daemon(String[] args, Map<String, String> env) throws InterruptedException {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println(DaemonOptions.USAGE);
            return 0;
        }
        DaemonOptions.Parsed parsed = DaemonOptions.parse(args, env);
        if (!parsed.problems().isEmpty()) {
            parsed.problems().forEach(p -> System.err.println("edgegw: " + p));
            System.err.println(DaemonOptions.USAGE);
            return 2;
        }
        DaemonOptions o = parsed.options();
        if (o.version()) {
            System.out.println("edgegw " + Version.get());
            return 0;
        }
        LogSetup.install(o.logFormat());
        // sun.misc.Signal: with only a shutdown hook the JVM's exit status after SIGTERM is 128 + 15, which
        // service managers and scripts read as a failure; a handled signal lets a clean stop exit 0. Handlers go
        // in before the start, so a signal during it stops the daemon as soon as it is up.
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        Daemon d;
        try {
            d = Daemon.start(o, env);
        } catch (Daemon.StartFailure e) {
            System.err.println("edgegw: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(d::close, "edgegw-shutdown"));
        stop.await();
        d.close();
        return 0;
    }
}
