package net.edgegw.appliance.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import net.edgegw.appliance.interop.InteropScript;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 5's proof: the daemon ({@link Main}, the process an appliance runs) drives a real tunnel to strongSwan from
 * a YAML file applied at its first start, and after SIGTERM and a restart on the same data directory, with no
 * manual step, the tunnel comes back. Run by {@code src/test/resources/interop/daemon-strongswan.sh} in network
 * namespaces {@code egdrv-*} (topology at its top); the script cleans up by PID, also on failure. A third start
 * checks {@code enforce}: no cleartext leaves while the SA is down, and a connection with start action none comes
 * up when strongSwan initiates.
 */
@Tag("netns")
class DaemonTunnelTest {

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void tunnelComesUpFromTheAppliedFileAndBackAfterARestart() throws Exception {
        Path out = Path.of("target/interop/daemon-restart").toAbsolutePath();
        Process p = runScript("daemon-strongswan.sh", "egdrv-", out);
        Path log = out.resolve("run.log");
        String text = Files.readString(log);
        assertEquals(0, p.exitValue(), "daemon-strongswan.sh failed:\n" + text + "\n--- daemon ---\n"
                + read(out.resolve("daemon1.log")) + "\n--- daemon after restart ---\n" + read(out.resolve("daemon2.log")));
        assertTrue(text.contains("PASS daemon restart"), text);
        String first = read(out.resolve("daemon1.log"));
        String second = read(out.resolve("daemon2.log"));
        assertTrue(first.contains("applied ") && first.contains("connection net UP (spi in 0x"), first);
        // the second start had no --apply: the connection came from the store alone
        assertFalse(second.contains("applied "), second);
        assertTrue(second.contains("connection net UP (spi in 0x"), second);
        assertTrue(second.contains("data plane started: TUN edgegw0, IKE on 192.0.2.1"), second);
        // enforce + start action none: routes in place before any SA, strongSwan's initiation answered
        String third = read(out.resolve("daemon3.log"));
        assertTrue(third.indexOf("connection net: routes into edgegw0") < third.indexOf("connection net UP"), third);
        assertTrue(third.contains("waiting for the peer"), third);
    }

    /**
     * Runs {@code src/test/resources/interop/<script> <out>} with this JVM and class path, its output in
     * {@code out/run.log}; after 240 s it gets SIGTERM (its trap cleans up by PID), then is killed.
     */
    static Process runScript(String script, String nsBase, Path out) throws Exception {
        Files.createDirectories(out);
        Process p = InteropScript.builder(script, nsBase, out.toString())
                .redirectErrorStream(true).redirectOutput(out.resolve("run.log").toFile()).start();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroy(); // SIGTERM: the script's trap kills what it started (by PID) and deletes the namespaces
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        return p;
    }

    static String read(Path p) throws java.io.IOException {
        return Files.exists(p) ? Files.readString(p) : "";
    }
}
