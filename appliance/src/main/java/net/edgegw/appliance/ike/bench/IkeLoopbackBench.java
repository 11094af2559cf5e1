package net.edgegw.appliance.ike.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.edgegw.appliance.ike.sa.ChildSa;
import net.edgegw.appliance.ike.sa.ChildSaInstaller;
import net.edgegw.appliance.ike.sa.IkeConfig;
import net.edgegw.appliance.ike.sa.IkeContext;
import net.edgegw.appliance.ike.sa.IkeSa;
import net.edgegw.appliance.ike.sa.IkeSaTable;
import net.edgegw.appliance.ike.sa.Proposals;
import net.edgegw.dataplane.spd.TrafficSelector;

/**
 * Two of our IKE engines in one JVM over real UDP on loopback set up N tunnels (IKE SA + CHILD SA each) as fast
 * as they can: gw-b is one {@link IkeSaTable} on one socket (127.0.0.1) with a configuration per tunnel; gw-a is
 * another table whose tunnel i initiates from its own socket at 127.1.x.y (the responder finds its
 * configuration by the peer's address, RFC 7296 leaves that to the implementation). Each gateway runs on its
 * own thread (2 cores). CHILD SAs go to a counting installer, not to the data plane. At most {@code window}
 * setups are in flight, below gw-b's COOKIE threshold.
 *
 * <p>Heap per tunnel: used heap after GC once every tunnel is up minus before the first (sockets already
 * open), over 2N — one gateway's state for one tunnel (its IKE SA, CHILD SA, keys, cached response).
 */
public final class IkeLoopbackBench {
    /** What one run measured. */
    public record Result(int tunnels, int up, double seconds, double setupsPerSecond, long heapBytesPerTunnel,
                         double cpuMillisPerSetup) {
        public String summary() {
            return String.format("SUMMARY ike tunnels=%d setups_per_s=%.0f heap_bytes_per_tunnel=%d", up,
                    setupsPerSecond, heapBytesPerTunnel);
        }
    }

    static final byte[] PSK = "ike-loopback-bench-psk-0123456789".getBytes(StandardCharsets.US_ASCII);
    static final int TICK_MILLIS = 100;

    private IkeLoopbackBench() {}

    /** Counts installs; the data plane is not involved. */
    static final class CountingInstaller implements ChildSaInstaller {
        final AtomicInteger installs = new AtomicInteger();

        @Override
        public void install(IkeSa ike, ChildSa child) {
            installs.incrementAndGet();
        }

        @Override
        public void remove(IkeSa ike, ChildSa child) {
        }
    }

    static InetAddress initiatorAddress(int i) throws IOException {
        return InetAddress.getByAddress(new byte[] {127, 1, (byte) (i / 250), (byte) (i % 250 + 1)});
    }

    static IkeConfig config(String name, InetSocketAddress local, InetSocketAddress remote, String localId,
                            String remoteId, String ike, String localTs, String remoteTs) {
        return new IkeConfig(name, local, remote, localId, remoteId, PSK, Proposals.parseIke(ike),
                Proposals.parseEsp("aes128gcm16"), List.of(TrafficSelector.cidr(localTs)),
                List.of(TrafficSelector.cidr(remoteTs)), false, 1000, 2.0, 4, 0, 0, 0, IkeConfig.DEFAULT_FRAGMENT_SIZE);
    }

    /** Sets up {@code n} tunnels, at most {@code window} at once; gives up after {@code timeoutMillis}. */
    public static Result run(int n, int window, String ike, long timeoutMillis) throws Exception {
        DatagramChannel bSock = DatagramChannel.open();
        bSock.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        bSock.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        bSock.configureBlocking(false);
        InetSocketAddress bAddr = (InetSocketAddress) bSock.getLocalAddress();
        DatagramChannel[] aSocks = new DatagramChannel[n];
        List<IkeConfig> aCfgs = new ArrayList<>(n);
        List<IkeConfig> bCfgs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            aSocks[i] = DatagramChannel.open();
            aSocks[i].bind(new InetSocketAddress(initiatorAddress(i), 0));
            aSocks[i].configureBlocking(false);
            InetSocketAddress aAddr = (InetSocketAddress) aSocks[i].getLocalAddress();
            String aTs = "10.200." + (i / 250) + "." + (i % 250) + "/32";
            String aId = "tun" + i + ".a.example.test";
            aCfgs.add(config("t" + i, aAddr, bAddr, aId, "b.example.test", ike, aTs, "10.96.0.0/16"));
            bCfgs.add(config("t" + i, bAddr, aAddr, "b.example.test", aId, ike, "10.96.0.0/16", aTs));
        }
        CountingInstaller instA = new CountingInstaller();
        CountingInstaller instB = new CountingInstaller();
        SecureRandom rnd = new SecureRandom();
        // gw-b: one thread, one socket
        IkeSaTable gwB = new IkeSaTable(bCfgs, new IkeContext((m, to, natT) -> send(bSock, m, to), instB,
                new SecureRandom(), System::nanoTime, DEBUG ? IkeLoopbackBench::log : IkeContext.QUIET));
        gwB.cookieThreshold(Math.max(IkeSaTable.DEFAULT_COOKIE_THRESHOLD, 2 * window));
        // gw-a: its sender picks the tunnel's socket by the SPIi that starts each of its messages
        Map<Long, DatagramChannel> bySpi = new HashMap<>();
        DatagramChannel[] current = new DatagramChannel[1];
        IkeSaTable gwA = new IkeSaTable(aCfgs, new IkeContext((m, to, natT) -> {
            DatagramChannel ch = bySpi.get(ByteBuffer.wrap(m).getLong(0));
            send(ch != null ? ch : current[0], m, to);
        }, instA, rnd, System::nanoTime, DEBUG ? IkeLoopbackBench::log : IkeContext.QUIET));

        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(mem);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        AtomicBoolean stop = new AtomicBoolean();
        Thread tb = new Thread(() -> serveB(gwB, bSock, stop, deadline), "ike-bench-gw-b");
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        tb.start();
        long upAt = serveA(gwA, aCfgs, aSocks, bySpi, current, instA, n, window, deadline);
        long t1 = upAt > 0 ? upAt : System.nanoTime();
        long cpu1 = os.getProcessCpuTime();
        // let gw-b see the last responses go out; both tables stay alive for the heap reading
        stop.set(true);
        tb.join();
        long after = usedAfterGc(mem);
        int up = Math.min(instA.installs.get(), instB.installs.get());
        long perTunnel = up == 0 ? 0 : Math.max(0, after - before) / (2L * up);
        double secs = (t1 - t0) / 1e9;
        Result r = new Result(n, up, secs, up / secs, perTunnel, up == 0 ? 0 : (cpu1 - cpu0) / 1e6 / up);
        gwA.shutdown();
        gwB.shutdown();
        bSock.close();
        for (DatagramChannel c : aSocks) {
            c.close();
        }
        return r;
    }

    static final boolean DEBUG = System.getenv("IKE_BENCH_DEBUG") != null;

    private static void log(String s) {
        if (DEBUG && (s.contains("retransmit") || s.contains("dropped") || s.contains("fail") || s.contains("giving"))) {
            System.err.println(System.nanoTime() / 1_000_000 + " " + s);
        }
    }

    private static void send(DatagramChannel ch, byte[] m, InetSocketAddress to) {
        try {
            ch.send(ByteBuffer.wrap(m), to); // a full socket buffer drops it: retransmission covers that
        } catch (IOException e) {
            // loopback send failure: retransmission covers it
        }
    }

    private static void serveB(IkeSaTable gwB, DatagramChannel sock, AtomicBoolean stop, long deadline) {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        long nextTick = System.nanoTime();
        try (Selector sel = Selector.open()) {
            sock.register(sel, SelectionKey.OP_READ);
            while (!stop.get() && System.nanoTime() < deadline) {
                sel.select(TICK_MILLIS);
                sel.selectedKeys().clear();
                InetSocketAddress from;
                while ((from = (InetSocketAddress) sock.receive(buf.clear())) != null) {
                    gwB.receive(Arrays.copyOf(buf.array(), buf.position()), from, IkeConfig.IKE_PORT);
                }
                if (System.nanoTime() - nextTick >= 0) {
                    gwB.tick();
                    nextTick = System.nanoTime() + TICK_MILLIS * 1_000_000L;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** gw-a's loop: keeps {@code window} setups in flight; returns when all are up (nanoTime), or 0 at the deadline. */
    private static long serveA(IkeSaTable gwA, List<IkeConfig> cfgs, DatagramChannel[] socks,
                               Map<Long, DatagramChannel> bySpi, DatagramChannel[] current, CountingInstaller inst,
                               int n, int window, long deadline) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        long nextTick = System.nanoTime();
        int started = 0;
        try (Selector sel = Selector.open()) {
            for (DatagramChannel c : socks) {
                c.register(sel, SelectionKey.OP_READ);
            }
            while (System.nanoTime() < deadline) {
                int up = inst.installs.get();
                if (up >= n) {
                    return System.nanoTime();
                }
                while (started < n && started - up < window) {
                    current[0] = socks[started];
                    IkeSa sa = gwA.initiate(cfgs.get(started));
                    bySpi.put(sa.spiI, socks[started]);
                    started++;
                }
                sel.select(TICK_MILLIS);
                for (SelectionKey k : sel.selectedKeys()) {
                    DatagramChannel c = (DatagramChannel) k.channel();
                    InetSocketAddress from;
                    while ((from = (InetSocketAddress) c.receive(buf.clear())) != null) {
                        gwA.receive(Arrays.copyOf(buf.array(), buf.position()), from, IkeConfig.IKE_PORT);
                    }
                }
                sel.selectedKeys().clear();
                if (System.nanoTime() - nextTick >= 0) {
                    gwA.tick();
                    nextTick = System.nanoTime() + TICK_MILLIS * 1_000_000L;
                }
            }
        }
        return 0;
    }

    private static long usedAfterGc(MemoryMXBean mem) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return mem.getHeapMemoryUsage().getUsed();
    }

    /** {@code IkeLoopbackBench [tunnels [window [ike-proposal]]]}: prints the figures and, last, the SUMMARY line. */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int window = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        String ike = args.length > 2 ? args[2] : "aes128gcm16-prfsha256-x25519";
        Result warm = run(Math.min(n, 300), window, ike, 120_000);
        System.out.printf("warm-up: %d tunnels in %.2f s%n", warm.up(), warm.seconds());
        Result r = run(n, window, ike, 600_000);
        System.out.printf("tunnels %d/%d up in %.2f s (window %d, %s, loopback UDP, data plane faked): "
                + "%.0f setups/s, %d heap bytes per tunnel per gateway, %.2f ms CPU per setup (both gateways, "
                + "whole JVM: %.0f setups per CPU-second)%n", r.up(), r.tunnels(), r.seconds(), window,
                ike, r.setupsPerSecond(), r.heapBytesPerTunnel(), r.cpuMillisPerSetup(), 1000 / r.cpuMillisPerSetup());
        System.out.println(r.summary());
        System.exit(r.up() == r.tunnels() ? 0 : 1);
    }
}
