package net.edgegw.appliance.daemon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.edgegw.appliance.store.Snapshot;
import net.edgegw.mgmt.port.ActionResult;
import net.edgegw.mgmt.port.TunnelStatus.StateWord;

/**
 * Turns the committed configuration into running tunnels, idempotently: each {@link #apply} compares the desired
 * {@link Tunnel}s with those it started last time and only starts the new ones, updates the changed ones and stops
 * the removed ones; unchanged connections are not touched (a connection that failed is retried). A driver's refusal
 * is that connection's status ({@code FAILED} with the reason), never the daemon's end. Runs at start
 * and after every commit and rollback.
 *
 * <p>Thread-safe: every method is synchronized; driver calls do not block.
 */
public final class Reconciler implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Reconciler.class.getName());

    private final TunnelDriver driver;
    /** Started (or failed) tunnels by name, in configuration order. */
    private final Map<String, Tunnel> running = new LinkedHashMap<>();
    private final Map<String, String> failures = new LinkedHashMap<>();
    private long revision = -1;

    public Reconciler(TunnelDriver driver) {
        this.driver = driver;
    }

    /** What one {@link #apply} did, for logs and tests. */
    public record Result(long revision, List<String> started, List<String> updated, List<String> stopped,
                         List<String> unchanged, Map<String, String> failed) {
        @Override
        public String toString() {
            return "revision " + revision + ": " + started.size() + " started, " + updated.size() + " updated, "
                    + stopped.size() + " stopped, " + unchanged.size() + " unchanged, " + failed.size() + " failed"
                    + (failed.isEmpty() ? "" : " " + failed);
        }
    }

    /**
     * Brings the running state to {@code snapshot}'s configuration. A snapshot older than the one applied last
     * (two commits racing to reconcile) changes nothing.
     */
    public synchronized Result apply(Snapshot snapshot) {
        if (snapshot.revision().number() < revision) {
            LOG.log(System.Logger.Level.DEBUG, "revision {0} is older than the running {1}: ignored",
                    String.valueOf(snapshot.revision().number()), String.valueOf(revision));
            return new Result(revision, List.of(), List.of(), List.of(), List.copyOf(running.keySet()), Map.of());
        }
        Map<String, Tunnel> desired = new LinkedHashMap<>();
        Tunnel.of(snapshot.config()).forEach(t -> desired.put(t.name(), t));
        List<String> started = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> stopped = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        for (Tunnel old : List.copyOf(running.values())) {
            if (!desired.containsKey(old.name())) {
                if (!failures.containsKey(old.name())) {
                    driver.stop(old);
                }
                running.remove(old.name());
                failures.remove(old.name());
                stopped.add(old.name());
            }
        }
        for (Tunnel t : desired.values()) {
            Tunnel old = running.get(t.name());
            String error;
            if (old == null) {
                error = guarded(t.name(), () -> driver.start(t));
                started.add(t.name());
            } else if (failures.containsKey(t.name())) {
                error = guarded(t.name(), () -> driver.start(t)); // it never ran: a retry is a start
                (old.equals(t) ? started : updated).add(t.name());
            } else if (!old.equals(t)) {
                error = guarded(t.name(), () -> driver.update(old, t));
                updated.add(t.name());
            } else {
                unchanged.add(t.name());
                continue;
            }
            running.put(t.name(), t);
            record(t.name(), error, failed);
        }
        // Configuration order for status listings.
        Map<String, Tunnel> ordered = new LinkedHashMap<>();
        desired.keySet().forEach(n -> ordered.put(n, running.get(n)));
        running.clear();
        running.putAll(ordered);
        revision = snapshot.revision().number();
        Result r = new Result(revision, started, updated, stopped, unchanged, failed);
        LOG.log(failed.isEmpty() ? System.Logger.Level.INFO : System.Logger.Level.WARNING, "reconciled {0}", r);
        return r;
    }

    /**
     * A driver call; an exception from it is a bug in the driver, but it stays that connection's failure (logged
     * with its trace) instead of stopping the reconciliation of the others or the commit that triggered it.
     */
    private static String guarded(String name, java.util.function.Supplier<String> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "tunnel driver failed on connection " + name, e);
            return "internal error: " + e;
        }
    }

    private void record(String name, String error, Map<String, String> failed) {
        if (error == null) {
            failures.remove(name);
        } else {
            failures.put(name, error);
            failed.put(name, error);
        }
    }

    /**
     * Starts again every connection whose start failed (a peer name that did not resolve yet, no route at boot),
     * without waiting for a commit; the daemon calls it periodically. Returns the connections that now run.
     */
    public synchronized List<String> retryFailed() {
        List<String> recovered = new ArrayList<>();
        for (String name : List.copyOf(failures.keySet())) {
            Tunnel t = running.get(name);
            String error = guarded(name, () -> driver.start(t));
            record(name, error, new LinkedHashMap<>());
            if (error == null) {
                recovered.add(name);
                LOG.log(System.Logger.Level.INFO, "connection {0} started on retry", name);
            }
        }
        return recovered;
    }

    /** Stops and starts one connection (the operator's restart); false if there is no such connection. */
    public synchronized boolean restart(String name) {
        Tunnel t = running.get(name);
        if (t == null) {
            return false;
        }
        if (!failures.containsKey(name)) {
            driver.stop(t);
        }
        String error = guarded(name, () -> driver.start(t));
        record(name, error, new LinkedHashMap<>());
        LOG.log(System.Logger.Level.INFO, "connection {0} restarted{1}", name, error == null ? "" : ": " + error);
        return true;
    }

    /** The operator's initiate, terminate or rekey on a running connection; a failed one has nothing to act on. */
    public synchronized ActionResult act(String name, java.util.function.Function<TunnelDriver, ActionResult> action) {
        if (!running.containsKey(name)) {
            return ActionResult.notFound();
        }
        String error = failures.get(name);
        if (error != null) {
            return ActionResult.conflict("the connection did not start: " + error);
        }
        ActionResult r = action.apply(driver);
        LOG.log(System.Logger.Level.INFO, "connection {0}: operator action {1}: {2}", name, r.outcome(), r.detail());
        return r;
    }

    /** The SAs of a connection ({@link SaView#NONE} if it is not running). */
    public synchronized SaView sas(String name) {
        return running.containsKey(name) && !failures.containsKey(name) ? driver.sas(name) : SaView.NONE;
    }

    /** The local traffic selectors (CIDRs) of a configured connection, empty if there is none. */
    public synchronized Optional<List<String>> localNetworks(String name) {
        Tunnel t = running.get(name);
        return t == null ? Optional.empty()
                : Optional.of(t.selectors().stream().map(s -> s.local()).distinct().toList());
    }

    public synchronized Map<String, Long> engineCounters() {
        return driver.engineCounters();
    }

    /** Every configured connection's state, in configuration order. */
    public synchronized List<TunnelState> states() {
        List<TunnelState> out = new ArrayList<>();
        for (String name : running.keySet()) {
            out.add(state(name).orElseThrow());
        }
        return out;
    }

    public synchronized Optional<TunnelState> state(String name) {
        if (!running.containsKey(name)) {
            return Optional.empty();
        }
        String error = failures.get(name);
        return Optional.of(error != null ? new TunnelState(name, StateWord.FAILED, error, new long[5])
                : new TunnelState(name, driver.state(name), driver.detail(name), driver.counters(name)));
    }

    /** The revision last applied, -1 before the first. */
    public synchronized long revision() {
        return revision;
    }

    /** Stops every connection through the driver (IKE deletes) and closes it. */
    @Override
    public synchronized void close() {
        for (Tunnel t : running.values()) {
            if (!failures.containsKey(t.name())) {
                driver.stop(t);
            }
        }
        LOG.log(System.Logger.Level.INFO, "stopped {0} connection(s)", String.valueOf(running.size()));
        running.clear();
        failures.clear();
        driver.close();
    }
}
