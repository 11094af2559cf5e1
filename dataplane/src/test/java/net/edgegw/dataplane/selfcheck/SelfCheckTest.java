package net.edgegw.dataplane.selfcheck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import net.edgegw.dataplane.sa.Suite;
import org.junit.jupiter.api.Test;

/** The boot-time self-check passes on this JDK and reports every suite. */
class SelfCheckTest {
    @Test
    void everySuiteRoundTrips() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean ok = SelfCheck.run(new PrintStream(buf, true, StandardCharsets.UTF_8), 20);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(ok, out);
        for (Suite s : Suite.values()) {
            assertTrue(out.contains(s.keyword), s.keyword + " missing from:\n" + out);
        }
    }
}
