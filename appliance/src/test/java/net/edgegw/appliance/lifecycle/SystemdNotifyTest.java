package net.edgegw.appliance.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify over a real AF_UNIX datagram socket bound here, as systemd binds $NOTIFY_SOCKET. */
class SystemdNotifyTest {
    private static final int MSG_DONTWAIT = 0x40;

    @TempDir
    Path dir;

    @Test
    void sendsStateDatagramsToTheNotifySocket() {
        Path sock = dir.resolve("notify");
        SystemdNotify.C c = SystemdNotify.libc();
        int fd = c.socket(SystemdNotify.AF_UNIX, SystemdNotify.SOCK_DGRAM | SystemdNotify.SOCK_CLOEXEC, 0);
        assertTrue(fd >= 0);
        try {
            byte[] addr = SystemdNotify.address(sock.toString());
            assertEquals(0, c.bind(fd, addr, addr.length), "bind " + sock);
            SystemdNotify n = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", sock.toString(),
                    "WATCHDOG_USEC", "3000000", "WATCHDOG_PID", Long.toString(ProcessHandle.current().pid())));
            assertTrue(n.enabled());
            assertEquals(3_000_000, n.watchdogMicros());
            assertTrue(n.send("READY=1\nSTATUS=serving"));
            assertTrue(n.send("WATCHDOG=1"));
            assertEquals("READY=1\nSTATUS=serving", receive(c, fd));
            assertEquals("WATCHDOG=1", receive(c, fd));
            assertNull(receive(c, fd), "nothing else was sent");
        } finally {
            c.close(fd);
        }
    }

    /**
     * A receiver that does not read (systemd busy, or a test) fills the socket's queue (net.unix.max_dgram_qlen,
     * 10 by default): watchdog pings are then dropped, never waited for, so the thread that pings goes on.
     */
    @Test
    void pingsAreDroppedNotWaitedForWhenTheQueueIsFull() throws InterruptedException {
        Path sock = dir.resolve("notify");
        SystemdNotify.C c = SystemdNotify.libc();
        int fd = c.socket(SystemdNotify.AF_UNIX, SystemdNotify.SOCK_DGRAM | SystemdNotify.SOCK_CLOEXEC, 0);
        try {
            byte[] addr = SystemdNotify.address(sock.toString());
            assertEquals(0, c.bind(fd, addr, addr.length), "bind " + sock);
            SystemdNotify n = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", sock.toString()));
            int delivered = 0;
            int dropped = 0;
            for (int i = 0; i < 5000 && dropped == 0; i++) { // bounded: ends at the first drop
                if (n.ping()) {
                    delivered++;
                } else {
                    dropped++;
                }
            }
            assertEquals(1, dropped, "a ping into a full queue returns false at once");
            int read = 0;
            for (String m = receive(c, fd); m != null; m = receive(c, fd)) {
                assertEquals("WATCHDOG=1", m);
                read++;
            }
            assertEquals(delivered, read, "every ping that returned true was queued");
            assertTrue(n.ping(), "room again once read");
            // a state change waits for room instead of being dropped, and gives up after its patience
            for (int i = 0; i < 5000 && n.ping(); i++) {
                // fill the queue again
            }
            long t0 = System.nanoTime();
            assertFalse(n.send("STOPPING=1", java.time.Duration.ofMillis(300)), "nobody reads: not sent");
            assertTrue(System.nanoTime() - t0 >= 300_000_000L, "it waited for room first");
            Thread readLater = new Thread(() -> {
                java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
                receive(c, fd);
            });
            readLater.start();
            assertTrue(n.send("READY=1"), "sent once the reader made room");
            readLater.join();
        } finally {
            c.close(fd);
        }
    }

    @Test
    void withoutSystemdNothingIsSent() {
        SystemdNotify n = SystemdNotify.fromEnvironment(Map.of("WATCHDOG_USEC", "3000000"));
        assertFalse(n.enabled());
        assertEquals(0, n.watchdogMicros());
        assertFalse(n.send("READY=1"));
        SystemdNotify other = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "/run/x", "WATCHDOG_USEC", "5",
                "WATCHDOG_PID", "1"));
        assertEquals(0, other.watchdogMicros(), "the watchdog is for another PID");
    }

    @Test
    void abstractNamesAndLengths() {
        byte[] a = SystemdNotify.address("@sd");
        assertEquals(2 + 3, a.length, "an abstract name's length is exact, no trailing NUL");
        assertEquals(0, a[2]);
        assertEquals(2 + 6 + 1, SystemdNotify.address("/run/x").length);
        assertNull(SystemdNotify.address("/" + "x".repeat(200)), "longer than sun_path");
    }

    static String receive(SystemdNotify.C c, int fd) {
        byte[] buf = new byte[512];
        long n = c.recv(fd, buf, buf.length, MSG_DONTWAIT);
        return n < 0 ? null : new String(buf, 0, (int) n, StandardCharsets.UTF_8);
    }
}
