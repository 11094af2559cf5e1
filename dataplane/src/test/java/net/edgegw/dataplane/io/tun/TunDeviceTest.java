package net.edgegw.dataplane.io.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.edgegw.dataplane.io.netlink.NetlinkRoute;
import net.edgegw.dataplane.io.netnstest.Netns;
import net.edgegw.dataplane.io.sys.Errno;
import net.edgegw.dataplane.io.sys.ErrnoException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TUN queues against the real kernel, each test in a fresh network namespace.
 *
 * <pre>
 *   netns edgegw-t-*:
 *     ping 10.98.0.5 --&gt; route 10.98.0.0/24 --&gt; edgegw0 (10.99.0.1/24, mtu 1400, 2 queues)
 *                                                 |  TunQueue.read: echo request
 *                                                 |  TunQueue.write: echo reply
 *     ping gets its reply &lt;-------------------------+
 * </pre>
 */
@Tag("netns")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TunDeviceTest {

    private static final Duration STEP = Duration.ofSeconds(20);
    private static final int HEADROOM = 64; // outer IP + UDP + ESP + IV go here later
    private static final byte[] LOCAL = {10, 99, 0, 1};
    private static final byte[] PEER = {10, 98, 0, 5};

    private Netns ns;
    private TunDevice tun;

    @BeforeEach
    void createNamespace() throws Exception {
        ns = Netns.create();
    }

    @AfterEach
    void deleteNamespace() {
        if (tun != null) {
            tun.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void multiQueueTunCarriesPingBothWays() throws Exception {
        tun = ns.call(STEP, () -> TunDevice.open("edgegw0", 2));
        assertEquals("edgegw0", tun.name());
        assertEquals(2, tun.queues().size());
        assertNotEquals(tun.queue(0).fd(), tun.queue(1).fd());
        configure(tun.name());

        String link = ns.ip("-d", "link", "show", "edgegw0").ok().output();
        assertTrue(link.contains("mtu 1400"), link);
        assertTrue(link.matches("(?s).*<[^>]*\\bUP\\b[^>]*>.*"), link);
        assertTrue(link.contains("tun type tun pi off"), link);
        assertTrue(link.contains("multi_queue"), link);
        assertTrue(link.contains("numqueues 2"), link);
        String addr = ns.ip("-4", "addr", "show", "dev", "edgegw0").ok().output();
        assertTrue(addr.contains("inet 10.99.0.1/24"), addr);
        String route = ns.ip("route", "show", "10.98.0.0/24").ok().output();
        assertTrue(route.contains("10.98.0.0/24 dev edgegw0"), route);

        CompletableFuture<Netns.Result> ping =
                ns.execAsync(Duration.ofSeconds(15), "ping", "-n", "-c", "1", "-W", "10", "10.98.0.5");

        // The echo request leaves through whichever queue its flow hashes to.
        Captured request = ns.call(STEP, () -> awaitEchoRequest(tun, Duration.ofSeconds(10)));
        byte[] b = request.bufs[request.index];
        int off = HEADROOM;
        int len = request.size;
        assertEquals(0x45, b[off] & 0xff, "IPv4, 20-byte header");
        assertEquals(len, ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff), "total length = bytes read");
        assertEquals(IcmpEcho.PROTO_ICMP, b[off + 9]);
        assertArrayEquals(LOCAL, slice(b, off + 12, 4), "source");
        assertArrayEquals(PEER, slice(b, off + 16, 4), "destination");
        assertEquals(IcmpEcho.ECHO_REQUEST, b[off + 20]);
        assertEquals(0, b[off + 21], "code");
        assertEquals(0, IcmpEcho.checksum(b, off, 20), "IPv4 header checksum");
        assertEquals(0, IcmpEcho.checksum(b, off + 20, len - 20), "ICMP checksum");

        // Answer through the other queue: both queues are attached to the one interface.
        byte[] reply = IcmpEcho.reply(b, off, len);
        TunQueue other = tun.queue(1 - request.queue);
        assertEquals(reply.length, ns.call(STEP, () -> other.write(reply, 0, reply.length)));

        Netns.Result result = ping.get(20, TimeUnit.SECONDS);
        assertEquals(0, result.exit(), result.output());
        assertTrue(result.output().contains("1 received"), result.output());
    }

    @Test
    void readIsNonBlockingAndCloseIsIdempotent() throws Exception {
        tun = ns.call(STEP, () -> TunDevice.open("edgegw0", 1));
        TunQueue q = tun.queue(0);
        byte[][] bufs = {new byte[2048], new byte[2048]};
        int[] sizes = new int[2];
        ns.call(STEP, () -> {
            assertEquals(0, q.read(bufs, sizes, HEADROOM, 2), "empty queue: EAGAIN is 0 packets");
            long t0 = System.nanoTime();
            assertEquals(0, q.awaitReadable(100), "poll times out");
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(90), "poll waited");
            return null;
        });

        tun.close();
        tun.close();
        q.close();
        assertEquals(-Errno.EBADF, q.read(bufs, sizes, 0, 2));
        assertEquals(-Errno.EBADF, q.write(bufs[0], 0, 40));
        assertEquals(-Errno.EBADF, q.awaitReadable(0));
        Netns.Result gone = ns.ip("link", "show", "edgegw0");
        assertNotEquals(0, gone.exit(), "closing every queue removes the interface: " + gone.output());
    }

    @Test
    void openFailureReportsErrnoAndLeaksNoDescriptor() throws Exception {
        long before = openTunDescriptors();
        ErrnoException e = assertThrows(ErrnoException.class, () -> ns.call(STEP, () -> TunDevice.open("lo", 2)));
        assertEquals(Errno.EINVAL, e.errno(), e.getMessage()); // lo exists and is no TUN
        assertEquals(before, openTunDescriptors());
        assertThrows(IllegalArgumentException.class, () -> TunDevice.open("sixteen-chars-xx", 1));
        assertThrows(IllegalArgumentException.class, () -> TunDevice.open("edgegw0", 0));
    }

    @Test
    void batchWriteSkipsRefusedPacketsAndReadDropsOversizePackets() throws Exception {
        tun = ns.call(STEP, () -> TunDevice.open("edgegw0", 1));
        configure(tun.name());
        TunQueue q = tun.queue(0);
        byte[] good = IcmpEcho.request(PEER, LOCAL, 7, 1, 200);
        byte[] bad = new byte[40]; // IP version 0: the kernel refuses it (EINVAL)

        ns.call(STEP, () -> {
            assertEquals(1, q.write(new byte[][] {bad, good}, new int[] {bad.length, good.length}, 0, 2));
            assertEquals(1, q.writeDrops());
            assertEquals(Errno.EINVAL, q.lastWriteErrno());
            assertEquals(-Errno.EINVAL, q.write(new byte[][] {bad}, new int[] {bad.length}, 0, 1));

            // The kernel answers the good request with a 228-byte reply; offer 100-byte buffers.
            byte[][] small = {new byte[100]};
            int[] sizes = new int[1];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (q.oversizeDrops() == 0 && System.nanoTime() < deadline) {
                q.awaitReadable(50);
                assertTrue(q.read(small, sizes, 0, 1) >= 0);
            }
            assertTrue(q.oversizeDrops() >= 1, "dropped and counted, not truncated");
            return null;
        });
    }

    /**
     * Echo requests written into the TUN are answered by the namespace's own stack and read
     * back: the batch read/write loop must not allocate on the Java heap per packet.
     */
    @Test
    void readAndWriteAllocateNothingPerPacket() throws Exception {
        tun = ns.call(STEP, () -> TunDevice.open("edgegw0", 1));
        configure(tun.name());
        TunQueue q = tun.queue(0);
        int batch = 32;
        byte[][] requests = new byte[batch][];
        int[] requestSizes = new int[batch];
        for (int i = 0; i < batch; i++) {
            requests[i] = IcmpEcho.request(PEER, LOCAL, 0x4567, i, 56);
            requestSizes[i] = requests[i].length;
        }
        byte[][] bufs = new byte[batch][2048];
        int[] sizes = new int[batch];
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        long[] result = ns.call(Duration.ofSeconds(60), () -> {
            int warmupRounds = 300;
            int rounds = 300;
            for (int r = 0; r < warmupRounds; r++) {
                assertEquals(batch, roundTrip(q, requests, requestSizes, bufs, sizes), "warm-up round " + r);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            long replies = 0;
            for (int r = 0; r < rounds; r++) {
                replies += roundTrip(q, requests, requestSizes, bufs, sizes);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            return new long[] {allocated, replies};
        });
        long allocated = result[0];
        long packets = result[1] * 2; // each reply read plus its request written
        assertEquals(300L * batch, result[1]);
        // One object per packet (16 bytes at least) would be >= 307 200 bytes here. A few one-off
        // allocations (a JIT deoptimisation, a slow kernel turning the wait into a timeout path)
        // are not per packet: CI once saw 1408 bytes, so the bound is a fixed 16 KiB, < 1 byte/packet.
        assertTrue(allocated < 16 * 1024, allocated + " bytes allocated for " + packets + " packets");
    }

    /** Writes the batch, reads until as many echo replies came back; returns the replies. */
    private static int roundTrip(TunQueue q, byte[][] requests, int[] requestSizes, byte[][] bufs, int[] sizes) {
        int batch = requests.length;
        if (q.write(requests, requestSizes, 0, batch) != batch) {
            return -1;
        }
        int replies = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (replies < batch && System.nanoTime() < deadline) {
            int n = q.read(bufs, sizes, HEADROOM, batch);
            if (n == 0) {
                q.awaitReadable(10);
            }
            for (int i = 0; i < n; i++) {
                if (IcmpEcho.isReplyTo(bufs[i], HEADROOM, sizes[i], PEER)) {
                    replies++;
                }
            }
        }
        return replies;
    }

    /** 10.99.0.1/24, MTU 1400, up, 10.98.0.0/24 through the TUN, by rtnetlink in the namespace. */
    private void configure(String ifname) throws Exception {
        ns.call(STEP, () -> {
            try (NetlinkRoute rt = NetlinkRoute.open()) {
                int ifindex = rt.ifindex(ifname);
                rt.addAddress(ifindex, InetAddress.getByAddress(LOCAL), 24);
                rt.setMtu(ifindex, 1400);
                rt.setLinkUp(ifindex);
                rt.addRoute(InetAddress.getByAddress(new byte[] {10, 98, 0, 0}), 24, ifindex);
            }
            return null;
        });
    }

    private record Captured(int queue, byte[][] bufs, int index, int size) {}

    private static Captured awaitEchoRequest(TunDevice tun, Duration timeout) {
        byte[][] bufs = new byte[8][2048];
        int[] sizes = new int[8];
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (int qi = 0; qi < tun.queues().size(); qi++) {
                TunQueue q = tun.queue(qi);
                q.awaitReadable(20);
                int n = q.read(bufs, sizes, HEADROOM, bufs.length);
                assertTrue(n >= 0, "read: errno " + -n);
                for (int i = 0; i < n; i++) { // skip IPv6 router solicitations and the like
                    if (IcmpEcho.isRequestTo(bufs[i], HEADROOM, sizes[i], PEER)) {
                        return new Captured(qi, bufs, i, sizes[i]);
                    }
                }
            }
        }
        throw new AssertionError("no echo request to 10.98.0.5 within " + timeout);
    }

    private static byte[] slice(byte[] b, int off, int len) {
        byte[] s = new byte[len];
        System.arraycopy(b, off, s, 0, len);
        return s;
    }

    /** Descriptors of this process open on the TUN clone device. */
    private static long openTunDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals("/dev/net/tun");
                } catch (IOException e) {
                    return false; // closed meanwhile, e.g. the directory listing's own descriptor
                }
            }).count();
        }
    }
}
