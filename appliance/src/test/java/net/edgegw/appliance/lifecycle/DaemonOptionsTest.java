package net.edgegw.appliance.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DaemonOptionsTest {
    @Test
    void defaultsAreTheEmbeddedOnes() {
        DaemonOptions.Parsed p = DaemonOptions.parse(new String[0], Map.of());
        assertEquals(List.of(), p.problems());
        assertEquals(new DaemonOptions(Path.of("data"), "127.0.0.1", 8443, DaemonOptions.LogFormat.TEXT, null, null,
                false), p.options());
    }

    @Test
    void optionsWinOverEnvironmentVariables() {
        Map<String, String> env = Map.of("EDGEGW_DATA_DIR", "/var/lib/edgegw", "EDGEGW_MGMT_BIND", "0.0.0.0",
                "EDGEGW_MGMT_PORT", "9443", "EDGEGW_LOG_FORMAT", "json", "EDGEGW_APPLY", "/boot/edgegw.yaml",
                "EDGEGW_ADMIN_PASSWORD_FILE", "/boot/pw");
        DaemonOptions o = DaemonOptions.parse(new String[0], env).options();
        assertEquals(new DaemonOptions(Path.of("/var/lib/edgegw"), "0.0.0.0", 9443, DaemonOptions.LogFormat.JSON,
                Path.of("/boot/edgegw.yaml"), Path.of("/boot/pw"), false), o);
        o = DaemonOptions.parse(new String[] {"--data-dir", "d", "--mgmt-port=1", "--log-format", "text",
            "--mgmt-bind", "::1", "--version"}, env).options();
        assertEquals(new DaemonOptions(Path.of("d"), "::1", 1, DaemonOptions.LogFormat.TEXT,
                Path.of("/boot/edgegw.yaml"), Path.of("/boot/pw"), true), o);
    }

    @Test
    void ikeBindAndDataPlane() {
        DaemonOptions o = DaemonOptions.parse(new String[] {"--ike-bind", "192.0.2.1"},
                Map.of("EDGEGW_DATA_PLANE", "off")).options();
        assertEquals("192.0.2.1", o.ikeBind());
        assertFalse(o.dataPlane());
        assertTrue(DaemonOptions.parse(new String[0], Map.of()).options().dataPlane(), "auto by default");
        DaemonOptions.Parsed bad = DaemonOptions.parse(new String[] {"--ike-bind", "gw.example.net",
            "--data-plane", "on"}, Map.of());
        assertEquals(2, bad.problems().size(), bad.problems().toString());
        assertTrue(bad.problems().get(1).contains("not an IP address"), bad.problems().toString());
    }

    @Test
    void everyProblemIsListed() {
        DaemonOptions.Parsed p = DaemonOptions.parse(new String[] {"--mgmt-port", "99999", "--log-format", "xml",
            "--frobnicate", "1", "--apply"}, Map.of());
        assertEquals(4, p.problems().size(), p.problems().toString());
        assertTrue(p.problems().get(0).startsWith("--frobnicate"), p.problems().toString());
    }

    @Test
    void versionAndBadOptionsExitWithoutStarting() throws Exception {
        assertEquals(0, Main.daemon(new String[] {"--version"}, Map.of()));
        assertEquals(0, Main.daemon(new String[] {"--help"}, Map.of()));
        assertEquals(2, Main.daemon(new String[] {"--mgmt-port", "x"}, Map.of()));
    }
}
