package net.edgegw.appliance.lifecycle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.edgegw.dataplane.selfcheck.SelfCheck;

/**
 * What the daemon learns about the data plane at start: whether every suite round-trips on this JVM (the self-check,
 * with its rough rate logged), and whether this process may run it at all (TUN needs root or CAP_NET_ADMIN and
 * {@code /dev/net/tun}). A laptop run without root still gets the admin panel; the log says why tunnels stay down.
 */
final class DataPlaneCheck {
    private static final System.Logger LOG = System.getLogger(DataPlaneCheck.class.getName());
    /** Packets per AEAD suite at start: enough for a figure, little enough for a quick boot. */
    static final int PACKETS = 2_000;
    /** CAP_NET_ADMIN (linux/capability.h). */
    static final int CAP_NET_ADMIN = 12;

    /** Null when the data plane can run, else the reason it cannot. */
    private final String unavailable;
    private volatile Boolean selfCheckOk;

    private DataPlaneCheck(String unavailable) {
        this.unavailable = unavailable;
    }

    /**
     * Checks the privileges now and starts the self-check on a background thread (it takes seconds on a busy,
     * cold JVM and must not hold up the admin panel); its result and rate figures go to the log.
     */
    static DataPlaneCheck start() {
        String reason = privileges();
        if (reason == null) {
            LOG.log(System.Logger.Level.INFO, "data plane available (TUN, CAP_NET_ADMIN)");
        } else {
            LOG.log(System.Logger.Level.WARNING, "data plane unavailable: " + reason
                    + "; serving the admin panel and API only, tunnels stay down");
        }
        DataPlaneCheck check = new DataPlaneCheck(reason);
        Thread t = new Thread(check::selfCheck, "dataplane-selfcheck");
        t.setDaemon(true);
        t.start();
        return check;
    }

    private void selfCheck() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean ok;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            ok = SelfCheck.run(out, PACKETS);
        }
        for (String line : buf.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                LOG.log(System.Logger.Level.INFO, line.strip());
            }
        }
        selfCheckOk = ok;
        LOG.log(ok ? System.Logger.Level.INFO : System.Logger.Level.ERROR,
                ok ? "data plane self-check passed" : "data plane self-check FAILED: every suite must round-trip");
    }

    /** Null until the self-check has finished, then whether every suite round-tripped. */
    Boolean selfCheckOk() {
        return selfCheckOk;
    }

    /** Null if this process holds CAP_NET_ADMIN and the TUN device exists, else what is missing. */
    static String privileges() {
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return "/dev/net/tun does not exist";
        }
        try {
            if (com.sun.jna.Native.POINTER_SIZE != 8) {
                return "not a 64-bit JVM";
            }
        } catch (LinkageError e) {
            // TUN and netlink go through JNA, whose native part must load (from an exec-allowed jna.tmpdir)
            return "JNA's native library does not load (" + e.getMessage() + ")";
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                    return (caps & (1L << CAP_NET_ADMIN)) != 0 ? null
                            : "not running as root (no CAP_NET_ADMIN; try sudo ./run.sh)";
                }
            }
        } catch (IOException | NumberFormatException e) {
            return "cannot read /proc/self/status: " + e.getMessage();
        }
        return "no CapEff line in /proc/self/status";
    }

    boolean available() {
        return unavailable == null;
    }

    String unavailable() {
        return unavailable;
    }
}
