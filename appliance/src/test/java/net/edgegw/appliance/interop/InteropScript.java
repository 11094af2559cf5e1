package net.edgegw.appliance.interop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A script of {@code src/test/resources/interop} run by a JUnit test: with this JVM and the test class path
 * ({@code EDGEGW_JAVA}, {@code EDGEGW_CLASSPATH}: no nested Maven build) and network namespaces of this run's own
 * ({@code EG_NS_PREFIX}), so that namespaces a killed run left behind, or a concurrent run on the same machine, are
 * never in its way. A prefix set in the environment ({@code EG_NS_PREFIX=egfl-}) goes in front of every one.
 */
public final class InteropScript {
    private InteropScript() {}

    /** {@code bash src/test/resources/interop/<script> args...}, its namespaces named {@link #nsPrefix}. */
    public static ProcessBuilder builder(String script, String nsBase, String... args) {
        List<String> cmd = new ArrayList<>(List.of("bash",
                Path.of("src/test/resources/interop", script).toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("EDGEGW_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().put("EDGEGW_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("EG_NS_PREFIX", nsPrefix(nsBase));
        return pb;
    }

    /** {@code [$EG_NS_PREFIX]<base><4 random hex digits>-}, e.g. {@code egike-3fa2-}. */
    public static String nsPrefix(String base) {
        String outer = System.getenv().getOrDefault("EG_NS_PREFIX", "");
        return outer + base + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000)) + "-";
    }
}
