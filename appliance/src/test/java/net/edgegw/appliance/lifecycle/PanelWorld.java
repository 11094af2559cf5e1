package net.edgegw.appliance.lifecycle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.edgegw.appliance.interop.InteropScript;

/**
 * The namespaces, the strongSwan peer and the daemon of {@code src/test/resources/interop/panel-e2e.sh}, run as a
 * child process that takes commands on its stdin ({@code sas}, {@code ping}, {@code traffic SECS}) and answers each
 * ending with {@code ". rc=N"}. {@link #close()} sends {@code quit} and waits for the script's cleanup (processes by
 * PID, namespaces); if it hangs, SIGTERM (its trap cleans up), then SIGKILL. The script's log is
 * {@code OUT/run.log}, the daemon's and charon's are copied to {@code OUT} on exit.
 */
final class PanelWorld implements AutoCloseable {
    private static final String END = ". rc=";
    private static final String EOF = "\u0000eof";

    private final Process process;
    private final Writer in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Map<String, String> ready = new HashMap<>();
    private final Path log;

    private PanelWorld(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.in = process.outputWriter(StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("read failed: " + e);
            }
            lines.add(EOF);
        }, "panel-e2e.sh stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the script and waits for its READY line: 180 s, as the script itself allows the daemon 150 s to start
     * (about 15 s in all on a quiet machine: namespaces, charon, the daemon's JVM, H2 and TLS key).
     */
    static PanelWorld start(Path out) throws Exception {
        Files.createDirectories(out);
        try (var old = Files.list(out)) { // logs and failure.png of an earlier run
            for (Path f : old.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Path log = out.resolve("run.log");
        ProcessBuilder pb = InteropScript.builder("panel-e2e.sh", "egui-", out.toString()).redirectError(log.toFile());
        PanelWorld w = new PanelWorld(pb.start(), log);
        try {
            String line = w.next(180);
            if (line == null || !line.startsWith("READY ")) {
                throw new AssertionError("panel-e2e.sh did not get ready (" + line + "):\n" + w.log());
            }
            for (String kv : line.substring(6).split(" ")) {
                int eq = kv.indexOf('=');
                w.ready.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            return w;
        } catch (Exception | AssertionError e) {
            w.close();
            throw e;
        }
    }

    /** A value of the READY line: port, token, chromium, psk, peer, localId, remoteId, localNet, ... */
    String get(String key) {
        String v = ready.get(key);
        if (v == null) {
            throw new IllegalStateException("no " + key + " in the READY line: " + ready.keySet());
        }
        return v;
    }

    /** Runs one command (30 s at most) and returns its output; fails unless it exited 0. */
    String command(String command) throws Exception {
        Answer a = run(command);
        if (a.status != 0) {
            throw new AssertionError(command + " failed (" + a.status + "):\n" + a.output);
        }
        return a.output;
    }

    /** Runs one command (30 s at most) and returns its exit status. */
    int commandStatus(String command) throws Exception {
        return run(command).status;
    }

    private record Answer(String output, int status) {}

    private Answer run(String command) throws Exception {
        in.write(command + "\n");
        in.flush();
        StringBuilder output = new StringBuilder();
        while (true) {
            String line = next(30);
            if (line == null || line.equals(EOF)) {
                throw new AssertionError("no answer to " + command + ":\n" + output + "\n" + log());
            }
            if (line.startsWith(END)) {
                return new Answer(output.toString(), Integer.parseInt(line.substring(END.length())));
            }
            output.append(line).append('\n');
        }
    }

    private String next(int seconds) throws InterruptedException {
        return lines.poll(seconds, TimeUnit.SECONDS);
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        try {
            in.write("quit\n");
            in.close();
        } catch (IOException e) {
            // the script is gone already
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroy(); // SIGTERM: the script's trap kills what it started (by PID) and deletes the namespaces
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
