package net.edgegw.appliance.lifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.edgegw.appliance.config.Outcome;
import net.edgegw.appliance.config.Problem;
import net.edgegw.appliance.daemon.IkeTunnelDriver;
import net.edgegw.appliance.daemon.NoEngineDriver;
import net.edgegw.appliance.daemon.Reconciler;
import net.edgegw.appliance.daemon.TunnelDriver;
import net.edgegw.appliance.mgmt.ReconcilerStatus;
import net.edgegw.appliance.mgmt.StoreBackend;
import net.edgegw.appliance.store.ConfigStore;
import net.edgegw.appliance.store.Revision;
import net.edgegw.appliance.store.Snapshot;
import net.edgegw.appliance.store.StoreException;
import net.edgegw.mgmt.web.ManagementServer;

/**
 * The appliance as one process: config store → reconciler → tunnel driver, with the admin panel over the same
 * store. {@link #start} brings it up in that order (the committed configuration's tunnels come back by themselves,
 * a {@code --apply} file is committed first), {@link #close} takes it down in reverse: systemd is told it is
 * stopping, the panel stops taking requests, the tunnels are stopped (IKE deletes), the store closes and releases
 * its data-directory lock.
 */
public final class Daemon implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Daemon.class.getName());

    private final ConfigStore store;
    private final Reconciler reconciler;
    private final ManagementServer server;
    private final SystemdNotify systemd;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Seconds between retries of the connections whose start failed. */
    static final long RETRY_SECONDS = 30;

    private Daemon(ConfigStore store, Reconciler reconciler, ManagementServer server, SystemdNotify systemd,
                   ScheduledExecutorService timer) {
        this.store = store;
        this.reconciler = reconciler;
        this.server = server;
        this.systemd = systemd;
        this.timer = timer;
    }

    /** Why the daemon could not start, for the operator (no stack trace needed). */
    public static final class StartFailure extends Exception {
        private static final long serialVersionUID = 1L;

        StartFailure(String message) {
            super(message);
        }
    }

    public static Daemon start(DaemonOptions o, Map<String, String> env) throws StartFailure {
        LOG.log(System.Logger.Level.INFO, "edgegw {0} starting: data in {1}, admin panel on {2}:{3}",
                Version.get(), o.dataDir().toAbsolutePath(), o.mgmtBind(), String.valueOf(o.mgmtPort()));
        // systemd's watchdog (WatchdogSec=) runs from the moment the process starts, and a start under emulation or
        // on a slow box can take longer than its period: ping from a start-up thread until READY=1, after which the
        // reconciler-gated pings below take over (TimeoutStartSec= still bounds a start that never finishes).
        SystemdNotify startupNotify = SystemdNotify.fromEnvironment(env);
        ScheduledExecutorService startupPings = Executors.newSingleThreadScheduledExecutor(run -> {
            Thread t = new Thread(run, "startup-watchdog");
            t.setDaemon(true);
            return t;
        });
        if (startupNotify.watchdogMicros() > 0) {
            long every = Math.max(1, startupNotify.watchdogMicros() / 2);
            startupPings.scheduleAtFixedRate(() -> startupNotify.ping(), 0, every, TimeUnit.MICROSECONDS);
        }
        try {
            return start(o, env, startupPings);
        } finally {
            startupPings.shutdownNow();
        }
    }

    private static Daemon start(DaemonOptions o, Map<String, String> env, ScheduledExecutorService startupPings)
            throws StartFailure {
        DataPlaneCheck dataPlane = DataPlaneCheck.start();
        String applied = null;
        if (o.apply() != null) {
            try {
                applied = Files.readString(o.apply(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new StartFailure("cannot read " + o.apply() + ": " + e.getMessage());
            }
        }
        ConfigStore store;
        try {
            store = ConfigStore.open(o.dataDir());
        } catch (StoreException e) {
            throw new StartFailure(e.getMessage());
        }
        Reconciler reconciler = null;
        try {
            if (applied != null) {
                apply(store, applied, o);
            }
            TunnelDriver driver = driver(o, dataPlane, store.current());
            reconciler = new Reconciler(driver);
            running(reconciler, store.current());
            Reconciler r = reconciler;
            ReconcilerStatus tunnels = new ReconcilerStatus(r);
            StoreBackend backend = new StoreBackend(store, tunnels, snap -> running(r, snap), LogSetup.ring(), tunnels)
                    .system(net.edgegw.appliance.mgmt.ApplianceSystem.detect(o.dataDir(), "tun ("
                            + (dataPlane.available() ? "available" : dataPlane.unavailable()) + ")"));
            ManagementServer.Options mo = new ManagementServer.Options().dataDir(o.dataDir())
                    .bind(o.mgmtBind(), o.mgmtPort());
            if (o.adminPasswordFile() != null) {
                mo.adminPasswordFile(o.adminPasswordFile());
            }
            String tokenFile = System.getenv("EDGEGW_API_TOKEN_FILE"); // with the password file, at a first start
            if (tokenFile != null && !tokenFile.isBlank()) {
                mo.apiTokenFile(java.nio.file.Path.of(tokenFile));
            }
            ManagementServer server;
            try {
                server = ManagementServer.start(backend, mo);
            } catch (RuntimeException e) {
                throw new StartFailure(e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
            }
            SystemdNotify systemd = SystemdNotify.fromEnvironment(env);
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(run -> {
                Thread t = new Thread(run, "reconciler-timer");
                t.setDaemon(true);
                return t;
            });
            // a connection whose start failed (peer name not resolvable yet, no route at boot) is tried again
            timer.scheduleWithFixedDelay(r::retryFailed, RETRY_SECONDS, RETRY_SECONDS, TimeUnit.SECONDS);
            if (systemd.watchdogMicros() > 0) {
                long every = Math.max(1, systemd.watchdogMicros() / 2);
                // Liveness, not just a timer: the ping goes through the reconciler's lock, so a reconciler stuck
                // in a driver call stops the pings and systemd restarts the daemon.
                timer.scheduleAtFixedRate(() -> {
                    if (r.revision() >= 0) {
                        systemd.ping();
                    }
                }, every, every, TimeUnit.MICROSECONDS);
            }
            Daemon d = new Daemon(store, reconciler, server, systemd, timer);
            String status = "revision " + store.current().revision().number() + ", admin panel https://"
                    + o.mgmtBind() + ":" + server.port() + ", data plane "
                    + (dataPlane.available() ? "available" : "unavailable");
            startupPings.shutdownNow();
            // logged before READY=1 goes out: should systemd not take it, the log says how far the start got
            LOG.log(System.Logger.Level.INFO, "edgegw ready: {0}", status);
            systemd.send("READY=1\nSTATUS=" + status + "\nMAINPID=" + ProcessHandle.current().pid());
            return d;
        } catch (StartFailure | RuntimeException e) {
            if (reconciler != null) {
                reconciler.close();
            }
            store.close();
            throw e;
        }
    }

    /**
     * The IKE engine over the data plane when this process can run it (root, /dev/net/tun) and it is not turned
     * off ({@code --data-plane off}); otherwise every connection shows NO_ENGINE.
     */
    private static TunnelDriver driver(DaemonOptions o, DataPlaneCheck dataPlane, Snapshot current) {
        if (!o.dataPlane() || !dataPlane.available()) {
            LOG.log(System.Logger.Level.INFO, "tunnels are not driven ({0}): connections show {1}",
                    o.dataPlane() ? dataPlane.unavailable() : "--data-plane off", NoEngineDriver.STATE);
            return new NoEngineDriver();
        }
        java.net.InetAddress bind = null;
        if (o.ikeBind() != null) {
            try {
                bind = java.net.InetAddress.getByAddress(net.edgegw.dataplane.spd.TrafficSelector.parseAddress(o.ikeBind()));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(o.ikeBind(), e); // parse() checked it is a literal
            }
        }
        return new IkeTunnelDriver(bind, current.config().settings().dataPlane().workers());
    }

    /** Makes a committed snapshot the running state: its log level, then its tunnels. */
    private static void running(Reconciler reconciler, Snapshot snap) {
        LogSetup.level(snap.config().settings().logging().level());
        reconciler.apply(snap);
    }

    /**
     * Commits a YAML file as a normal validated revision (author "provisioning"); one that equals the current
     * configuration is not an error (the same file applied at every boot); any problem stops the start and lists
     * them all, with nothing changed.
     */
    private static void apply(ConfigStore store, String yaml, DaemonOptions o) throws StartFailure {
        Outcome<Revision> r = store.importYaml(yaml, "provisioning", "apply " + o.apply().toAbsolutePath());
        if (r.ok()) {
            LOG.log(System.Logger.Level.INFO, "applied {0} as revision {1}", o.apply(),
                    String.valueOf(r.value().number()));
            return;
        }
        List<Problem> problems = r.problems();
        if (problems.size() == 1 && problems.get(0).field().isEmpty()
                && problems.get(0).message().startsWith("nothing to commit")) {
            LOG.log(System.Logger.Level.INFO, "{0} equals revision {1}: nothing to apply", o.apply(),
                    String.valueOf(store.current().revision().number()));
            return;
        }
        StringBuilder b = new StringBuilder(o.apply() + " was not applied (" + problems.size()
                + " problem(s); the configuration is unchanged at revision "
                + store.current().revision().number() + "):");
        problems.forEach(p -> b.append("\n  ").append(p));
        throw new StartFailure(b.toString());
    }

    public int mgmtPort() {
        return server.port();
    }

    public ConfigStore store() {
        return store;
    }

    public Reconciler reconciler() {
        return reconciler;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "edgegw stopping");
        // the watchdog pings stop first (one in flight finishes), so that STOPPING=1 is the last word to systemd
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        systemd.send("STOPPING=1", java.time.Duration.ofSeconds(5));
        server.close();
        reconciler.close();
        store.close();
        LOG.log(System.Logger.Level.INFO, "edgegw stopped");
    }
}
