package net.edgegw.appliance.lifecycle;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The systemd notification protocol (sd_notify(3)): datagrams such as {@code READY=1}, {@code WATCHDOG=1},
 * {@code STOPPING=1}, {@code STATUS=...} sent to the {@code AF_UNIX} socket named by {@code $NOTIFY_SOCKET}
 * (a path, or an abstract name written with a leading {@code @}). The JDK has no Unix datagram sockets, so the
 * three libc calls go through JNA; without {@code $NOTIFY_SOCKET} (not under systemd) every call does nothing.
 */
final class SystemdNotify {
    // sys/socket.h, x86_64 and aarch64
    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int EAGAIN = 11;
    /** How long a state change (READY=1, STOPPING=1) waits for room in systemd's queue (TimeoutStartSec= is 15 min). */
    static final java.time.Duration STATE_PATIENCE = java.time.Duration.ofMinutes(10);
    private static final System.Logger LOG = System.getLogger(SystemdNotify.class.getName());
    /** sizeof(struct sockaddr_un): sa_family_t sun_family; char sun_path[108]. */
    static final int SOCKADDR_UN_LEN = 110;
    static final int SUN_PATH_MAX = 108;

    interface C extends Library {
        int socket(int domain, int type, int protocol);

        long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrLen);

        int bind(int fd, byte[] addr, int addrLen);

        long recv(int fd, byte[] buf, long len, int flags);

        int close(int fd);
    }

    private static volatile C libc;

    private final String socket;
    /** The watchdog interval systemd asked for ({@code $WATCHDOG_USEC}), 0 if none. */
    private final long watchdogMicros;

    private SystemdNotify(String socket, long watchdogMicros) {
        this.socket = socket;
        this.watchdogMicros = watchdogMicros;
    }

    static SystemdNotify fromEnvironment(Map<String, String> env) {
        String s = env.get("NOTIFY_SOCKET");
        long usec = 0;
        String w = env.get("WATCHDOG_USEC");
        String pid = env.get("WATCHDOG_PID");
        if (w != null && (pid == null || pid.equals(Long.toString(ProcessHandle.current().pid())))) {
            try {
                usec = Long.parseLong(w.trim());
            } catch (NumberFormatException e) {
                usec = 0;
            }
        }
        return new SystemdNotify(s == null || s.isEmpty() ? null : s, usec);
    }

    boolean enabled() {
        return socket != null;
    }

    long watchdogMicros() {
        return socket == null ? 0 : watchdogMicros;
    }

    /**
     * Sends {@code state} (e.g. "READY=1\nSTATUS=serving"); false, with nothing else done, if it could not. A state
     * change must not be lost, so while the receiver's queue is full it tries again every 50 ms for up to
     * {@link #STATE_PATIENCE} — saying so in the log after 5 s, as systemd reads its socket all the time and a full
     * queue means something is wrong there — instead of blocking without a trace in sendto.
     */
    boolean send(String state) {
        return send(state, STATE_PATIENCE);
    }

    /** {@link #send(String)} waiting at most {@code patience} for room (STOPPING=1: the stop has its own timeout). */
    boolean send(String state, java.time.Duration patience) {
        long start = System.nanoTime();
        boolean warned = false;
        while (true) {
            Sent r = sendOnce(state, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (r != Sent.QUEUE_FULL) {
                if (warned) {
                    LOG.log(System.Logger.Level.WARNING, "systemd notify: {0} sent after {1} s", first(state),
                            (System.nanoTime() - start) / 1_000_000_000L);
                }
                return r == Sent.OK;
            }
            long waited = System.nanoTime() - start;
            if (waited > patience.toNanos()) {
                LOG.log(System.Logger.Level.ERROR, "systemd notify: {0} not sent: {1}''s queue stayed full for {2} s",
                        first(state), socket, patience.toSeconds());
                return false;
            }
            if (!warned && waited > Math.min(patience.toNanos(), java.util.concurrent.TimeUnit.SECONDS.toNanos(5))) {
                LOG.log(System.Logger.Level.WARNING, "systemd notify: {0} waits: {1}''s queue is full",
                        first(state), socket);
                warned = true;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
    }

    private static String first(String state) {
        int nl = state.indexOf('\n');
        return nl < 0 ? state : state.substring(0, nl);
    }

    /**
     * {@code WATCHDOG=1}, never waiting: a ping that finds the receiver's queue full is dropped (the next one follows
     * within half the period), so a slow reader cannot stall the thread that pings.
     */
    boolean ping() {
        return sendOnce("WATCHDOG=1", MSG_NOSIGNAL | MSG_DONTWAIT) == Sent.OK;
    }

    private enum Sent { OK, QUEUE_FULL, FAILED }

    private Sent sendOnce(String state, int flags) {
        if (socket == null) {
            return Sent.FAILED;
        }
        byte[] addr = address(socket);
        if (addr == null) {
            return Sent.FAILED;
        }
        C c = libcOrNull();
        if (c == null) {
            return Sent.FAILED;
        }
        int fd = c.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return Sent.FAILED;
        }
        try {
            byte[] msg = state.getBytes(StandardCharsets.UTF_8);
            if (c.sendto(fd, msg, msg.length, flags, addr, addr.length) == msg.length) {
                return Sent.OK;
            }
            return Native.getLastError() == EAGAIN ? Sent.QUEUE_FULL : Sent.FAILED;
        } finally {
            c.close(fd);
        }
    }

    static C libc() {
        C c = libc;
        if (c == null) {
            c = Native.load(Platform.C_LIBRARY_NAME, C.class);
            libc = c;
        }
        return c;
    }

    /** {@link #libc()}, or null (said once in the log) when JNA's native part does not load. */
    private static C libcOrNull() {
        try {
            return libc();
        } catch (LinkageError e) {
            if (!nativeWarned) {
                nativeWarned = true;
                LOG.log(System.Logger.Level.ERROR, "systemd notify: no libc access through JNA: " + e);
            }
            return null;
        }
    }

    private static volatile boolean nativeWarned;

    /**
     * A {@code struct sockaddr_un} for {@code name}, cut to its used length (an abstract name's length counts,
     * its NUL bytes are part of it); null if the name does not fit.
     */
    static byte[] address(String name) {
        byte[] path = name.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = path.length > 0 && path[0] == '@';
        if (abstractName) {
            path[0] = 0;
        }
        int pathLen = abstractName ? path.length : path.length + 1;
        if (path.length == 0 || pathLen > SUN_PATH_MAX) {
            return null;
        }
        byte[] addr = new byte[2 + pathLen];
        addr[java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN ? 0 : 1] = (byte) AF_UNIX; // host order
        System.arraycopy(path, 0, addr, 2, path.length);
        return addr;
    }
}
