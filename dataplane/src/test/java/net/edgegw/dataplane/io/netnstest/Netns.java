package net.edgegw.dataplane.io.netnstest;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.edgegw.dataplane.io.sys.Libc;

/**
 * A throwaway network namespace with one dedicated thread inside it, for root tests.
 *
 * <pre>
 *   host netns (untouched)          netns edgegw-t-&lt;random&gt;
 *                                   +--------------------------------+
 *   JUnit thread --- call() ------&gt; | namespace thread (setns'd):    |
 *                                   |   TUN queues, NETLINK_ROUTE    |
 *   ip -n / ip netns exec --------&gt; |   lo (down), the test's TUN    |
 *                                   +--------------------------------+
 * </pre>
 *
 * <p>setns(2) moves only the calling thread, so the code under test runs on a platform thread
 * of its own that never returns to a shared pool, and every call first checks that thread is
 * still in the namespace. Descriptors and sockets opened there stay bound to the namespace
 * whichever thread uses them later. Commands run through {@code ip -n}/{@code ip netns exec},
 * are bounded in time and killed by PID; {@link #close()} (and, as a last resort, a shutdown
 * hook) deletes the namespace.
 */
public final class Netns implements AutoCloseable {

    /** Output and exit status of a finished command. */
    public record Result(int exit, String output) {
        public Result ok() {
            if (exit != 0) {
                throw new AssertionError("exit " + exit + ": " + output);
            }
            return this;
        }
    }

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Netns::delete)));
    }

    private final String name;
    private final String nsInode;
    private final ExecutorService thread;
    private final List<Process> children = new ArrayList<>();

    private Netns(String name) throws IOException {
        this.name = name;
        this.nsInode = "net:[" + Files.getAttribute(Path.of("/var/run/netns", name), "unix:ino") + "]";
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netns-" + name); // a platform thread: setns needs a fixed OS thread
            t.setDaemon(true);
            return t;
        });
    }

    /** Creates namespace {@code edgegw-t-<random>} and moves a fresh thread into it. */
    public static Netns create() throws Exception {
        String name = "edgegw-t-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
        run(COMMAND_TIMEOUT, null, "ip", "netns", "add", name).ok();
        LIVE.add(name);
        Netns ns = null;
        try {
            ns = new Netns(name);
            Netns self = ns;
            ns.thread.submit(() -> self.enter()).get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return ns;
        } catch (Exception | Error e) {
            if (ns != null) {
                ns.close();
            } else {
                delete(name);
            }
            throw e;
        }
    }

    public String name() {
        return name;
    }

    /** Runs {@code task} on the namespace thread, failing after {@code timeout}. */
    public <T> T call(Duration timeout, Callable<T> task) throws Exception {
        Future<T> f = thread.submit(() -> {
            checkInside();
            return task.call();
        });
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("namespace task exceeded " + timeout, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw new AssertionError(e.getCause());
        }
    }

    /** {@code ip -n <ns> args...}: inspects the namespace from outside. */
    public Result ip(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        return run(COMMAND_TIMEOUT, children, cmd.toArray(String[]::new));
    }

    /** {@code ip netns exec <ns> cmd...}, killed after {@code timeout}. */
    public Result exec(Duration timeout, String... cmd) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(cmd));
        return run(timeout, children, full.toArray(String[]::new));
    }

    /** {@link #exec} on another thread, for a command the test answers while it runs. */
    public CompletableFuture<Result> execAsync(Duration timeout, String... cmd) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return exec(timeout, cmd);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Kills leftover commands, stops the namespace thread, deletes the namespace. */
    @Override
    public void close() {
        synchronized (children) {
            children.forEach(Process::destroyForcibly);
        }
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delete(name);
        LIVE.remove(name);
    }

    private Void enter() throws IOException {
        int fd = Libc.open("/var/run/netns/" + name, Libc.O_CLOEXEC); // O_RDONLY
        if (fd < 0) {
            throw new IOException("open netns " + name + ": errno " + Libc.errno());
        }
        int r = Setns.setns(fd, Setns.CLONE_NEWNET);
        int errno = Libc.errno();
        Libc.close(fd);
        if (r < 0) {
            throw new IOException("setns " + name + ": errno " + errno);
        }
        checkInside();
        return null;
    }

    /** Guards the host network: refuses to run anything on a thread outside the namespace. */
    private void checkInside() throws IOException {
        String actual = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        if (!actual.equals(nsInode)) {
            throw new IllegalStateException("thread in " + actual + ", not in " + name + " " + nsInode);
        }
    }

    private static void delete(String name) {
        try {
            run(COMMAND_TIMEOUT, null, "ip", "netns", "del", name);
        } catch (Exception e) {
            System.err.println("could not delete netns " + name + ": " + e);
        }
    }

    private static Result run(Duration timeout, List<Process> registry, String... cmd) throws Exception {
        File out = File.createTempFile("edgegw-netns", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out).start();
            if (registry != null) {
                synchronized (registry) {
                    registry.removeIf(c -> !c.isAlive());
                    registry.add(p);
                }
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly(); // SIGKILL to this PID
                p.waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", cmd) + " still running after " + timeout);
            }
            return new Result(p.exitValue(), Files.readString(out.toPath()));
        } finally {
            Files.deleteIfExists(out.toPath());
        }
    }
}
