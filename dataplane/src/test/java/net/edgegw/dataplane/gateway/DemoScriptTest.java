package net.edgegw.dataplane.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Smoke check of the README's one-command demo: {@code demo/two-site.sh --duration 5} sets up the namespaces,
 * starts both gateways, shows ping, iperf3 and an ESP-only WAN capture, runs 5 s and exits 0 after cleaning up
 * (about 20 s on a quiet machine; it is given 150 s). The script gets this JVM and the test classpath through
 * {@code EDGEGW_JAVA} / {@code EDGEGW_CLASSPATH}, so it runs the classes under test and never starts a nested Maven
 * build, and namespace names of this run's own ({@code EG_NS_PREFIX}: {@code edgegw-demo-<random>-}, or that
 * variable's value in front of it), so that neither a concurrent run nor what a killed one left behind is in its way.
 */
@Tag("netns")
class DemoScriptTest {

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void demoRunsFiveSecondsAndExitsZero() throws Exception {
        // Maven runs the tests in the module directory; the repository root is its parent
        Path root = Path.of("").toAbsolutePath().getParent();
        Path script = root.resolve("demo/two-site.sh");
        assertTrue(Files.isRegularFile(script), "no " + script);
        Path out = Files.createTempFile("edgegw-demo-test", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "--duration", "5")
                    .directory(root.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().put("EDGEGW_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
            pb.environment().put("EDGEGW_CLASSPATH", System.getProperty("java.class.path"));
            pb.environment().put("EG_NS_PREFIX", System.getenv().getOrDefault("EG_NS_PREFIX", "") + "edgegw-demo-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 48) + "-");
            Process p = pb.start();
            if (!p.waitFor(150, TimeUnit.SECONDS)) {
                p.destroy(); // SIGTERM: the script's trap removes what it created
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
            String log = Files.readString(out);
            System.out.println(log);
            assertEquals(0, p.exitValue(), "demo/two-site.sh --duration 5 failed:\n" + log);
            assertTrue(log.contains("UDP 4500 ESP, 0 other IP, 0 with an inner"), log);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
