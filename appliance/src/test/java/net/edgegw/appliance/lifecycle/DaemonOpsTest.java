package net.edgegw.appliance.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 6's proof on the real engine: the daemon drives a tunnel to strongSwan, and its REST API shows the IKE
 * and CHILD SA (algorithms, SPIs, counters), pings through it from the local network, rekeys, terminates (and the
 * tunnel stays down) and initiates it again; the log tail and /metrics follow. Run by
 * {@code src/test/resources/interop/daemon-ops.sh} in network namespaces {@code egops-*} (topology at its top),
 * which cleans up by PID, also on failure.
 */
@Tag("netns")
class DaemonOpsTest {

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void statusShowsTheSasAndTheOperatorsActionsWork() throws Exception {
        Path out = Path.of("target/interop/daemon-ops").toAbsolutePath();
        Process p = DaemonTunnelTest.runScript("daemon-ops.sh", "egops-", out);
        String text = DaemonTunnelTest.read(out.resolve("run.log"));
        assertEquals(0, p.exitValue(), "daemon-ops.sh failed:\n" + text + "\n--- daemon ---\n"
                + DaemonTunnelTest.read(out.resolve("daemon.log")));
        assertTrue(text.contains("PASS daemon ops"), text);
        String daemon = DaemonTunnelTest.read(out.resolve("daemon.log"));
        assertTrue(daemon.contains("operator action"), daemon);
    }
}
