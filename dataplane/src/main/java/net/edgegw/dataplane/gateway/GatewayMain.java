package net.edgegw.dataplane.gateway;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import net.edgegw.dataplane.io.netlink.NetlinkRoute;
import net.edgegw.dataplane.io.raw.RawEspSocket;
import net.edgegw.dataplane.io.tun.TunDevice;
import net.edgegw.dataplane.io.udp.UdpTransport;
import net.edgegw.dataplane.sa.Direction;
import net.edgegw.dataplane.sa.SaConfig;
import net.edgegw.dataplane.sa.Sad;
import net.edgegw.dataplane.sa.SecurityAssociation;
import net.edgegw.dataplane.spd.Policy;
import net.edgegw.dataplane.spd.Spd;
import net.edgegw.dataplane.stats.Drop;
import net.edgegw.dataplane.worker.Forwarder;
import net.edgegw.dataplane.worker.PacketPool;
import net.edgegw.dataplane.worker.Worker;

/**
 * A stand-alone gateway with manually keyed SAs: {@code java ... GatewayMain <config file>} (format in
 * {@link GatewayConfig}). Creates the TUN device (one queue per worker), sets its addresses, MTU, link state and
 * routes over rtnetlink, binds the UDP sockets and runs the workers until SIGTERM/SIGINT, logging one status
 * line every {@code status.interval} seconds.
 */
public final class GatewayMain implements AutoCloseable {
    /** Small packet buffers per worker (ICMP errors, raw ESP receive, single-datagram hand-offs). */
    static final int BUFFERS_PER_WORKER = Worker.BATCH + 2 * Worker.QUEUE_CAPACITY + 256;
    /** Overhead assumed when no outbound SA is configured: IPv4 + UDP + ESP + IV + worst AES-CBC trailer. */
    static final int DEFAULT_OVERHEAD = 20 + 8 + 8 + 16 + 15 + 2 + 32;

    private final GatewayConfig cfg;
    private final Sad sad = new Sad();
    private final Spd spd = new Spd();
    private TunDevice tun;
    private Forwarder fwd;
    private UdpTransport udp;
    private RawEspSocket raw;
    private final AtomicLong ikeIgnored = new AtomicLong();
    /** Where received IKE goes; null = counted and ignored (manual keying). */
    private UdpTransport.IkeSink ikeSink;

    private GatewayMain(GatewayConfig cfg) {
        this.cfg = cfg;
    }

    /** Builds and starts everything; on failure closes what was opened and rethrows. */
    public static GatewayMain start(GatewayConfig cfg) throws Exception {
        return start(cfg, null);
    }

    /**
     * Like {@link #start(GatewayConfig)}, with received IKE messages (ports {@code ike.port} and {@code port})
     * handed to {@code ike}; the IKE daemon then installs SAs and policies through {@link #sad()}, {@link #spd()}
     * and {@link #forwarder()}, and sends from port 500 with {@link #udp()}, from the NAT-T port with
     * {@link Forwarder#sendIke}.
     */
    public static GatewayMain start(GatewayConfig cfg, UdpTransport.IkeSink ike) throws Exception {
        GatewayMain g = new GatewayMain(cfg);
        g.ikeSink = ike;
        try {
            g.open();
        } catch (Exception | Error e) {
            g.close();
            throw e;
        }
        return g;
    }

    private void open() throws Exception {
        // SAD and SPD from the manual keys
        int overhead = 0;
        Map<Integer, SecurityAssociation> outbound = new java.util.HashMap<>();
        for (SaConfig c : cfg.sas()) {
            SecurityAssociation sa = sad.install(c);
            if (c.direction() == Direction.OUTBOUND) {
                outbound.put(c.spi(), sa);
                overhead = Math.max(overhead, sa.maxOverhead);
            }
        }
        for (GatewayConfig.PolicyLine pl : cfg.policies()) {
            Policy p = new Policy(pl.name(), pl.local(), pl.remote(), pl.action());
            if (pl.saSpi() != 0) {
                SecurityAssociation sa = outbound.get(pl.saSpi());
                if (sa == null) {
                    throw new IllegalArgumentException("policy " + pl.name() + ": no outbound SA with SPI 0x"
                            + Integer.toHexString(pl.saSpi()));
                }
                p.outboundSa(sa);
            }
            spd.add(p);
        }
        int tunMtu = cfg.linkMtu() - (overhead == 0 ? DEFAULT_OVERHEAD : overhead);

        // TUN device: one queue per worker, configured over rtnetlink
        tun = TunDevice.open(cfg.tunName(), cfg.workers(), true); // virtio headers: TCP super-packets
        byte[] icmp4 = null;
        byte[] icmp6 = null;
        try (NetlinkRoute nl = NetlinkRoute.open()) {
            int ifindex = nl.ifindex(tun.name());
            nl.setMtu(ifindex, tunMtu);
            for (String a : cfg.tunAddresses()) {
                int slash = a.indexOf('/');
                InetAddress addr = GatewayConfig.address(slash < 0 ? a : a.substring(0, slash));
                int prefix = slash < 0 ? addr.getAddress().length * 8 : Integer.parseInt(a.substring(slash + 1));
                nl.addAddress(ifindex, addr, prefix);
                if (addr instanceof Inet4Address && icmp4 == null) {
                    icmp4 = addr.getAddress();
                } else if (!(addr instanceof Inet4Address) && icmp6 == null) {
                    icmp6 = addr.getAddress();
                }
            }
            nl.setLinkUp(ifindex);
            for (String r : cfg.routes()) {
                int slash = r.indexOf('/');
                InetAddress dst = GatewayConfig.address(r.substring(0, slash));
                nl.addRoute(dst, Integer.parseInt(r.substring(slash + 1)), ifindex);
            }
        }

        // workers, then the sockets that feed them
        PacketPool pool = new PacketPool(BUFFERS_PER_WORKER * cfg.workers(), Math.max(cfg.linkMtu(), 1500) + 64);
        fwd = new Forwarder(tun, sad, spd, pool,
                new Worker.Settings(cfg.local().getAddress(), cfg.linkMtu(), cfg.mssClamp(), icmp4, icmp6));
        for (SecurityAssociation sa : sad.list()) {
            fwd.assign(sa);
        }
        UdpTransport.IkeSink sink = ikeSink != null ? ikeSink : (msg, from, port) -> ikeIgnored.incrementAndGet();
        if (cfg.ikePort() != 0) {
            udp = UdpTransport.bindIke(cfg.local(), cfg.ikePort(), sink);
        }
        // an SA without encap= is ESP straight on IP: one raw socket for the gateway
        boolean rawEsp = cfg.sas().stream().anyMatch(c -> !c.udpEncapsulated() && !c.suite().isAh());
        if (rawEsp) {
            raw = RawEspSocket.open(cfg.local());
        }
        fwd.start(cfg.local(), cfg.port(), raw, sink); // one NAT-T socket per worker (SO_REUSEPORT)
        log("started tun=" + tun.name() + " mtu=" + tunMtu + " workers=" + cfg.workers() + " local="
                + cfg.local().getHostAddress() + ":" + cfg.port() + (rawEsp ? " raw-esp" : "") + " sas="
                + cfg.sas().size() + " policies=" + cfg.policies().size() + " routes=" + cfg.routes());
    }

    /**
     * One status line: traffic and drop counters summed over the workers (keepalives count as NAT_KEEPALIVE,
     * datagrams neither ESP nor IKE as BAD_ENCAP), and the offload figures: TUN super-packets read (gso_reads) and
     * the segments cut from them, UDP_SEGMENT sends, UDP GRO reads, coalesced TUN writes and their segments.
     */
    public String status() {
        long tunIn = 0;
        long tunOut = 0;
        long espOut = 0;
        long espIn = 0;
        long handoff = 0;
        long udpRx = 0;
        long ike = udp == null ? 0 : udp.ikeMessages.sum();
        long gsoReads = 0;
        long gsoSegs = 0;
        long gsoSends = 0;
        long groReads = 0;
        long groWrites = 0;
        long groSegs = 0;
        for (int i = 0; i < fwd.workerCount(); i++) {
            Worker w = fwd.worker(i);
            tunIn += w.tunIn;
            tunOut += w.tunOut;
            espOut += w.espOut;
            espIn += w.espIn;
            handoff += w.handedOff;
            udpRx += w.udpRx;
            ike += w.ikeRx;
            gsoReads += w.gsoReads;
            gsoSegs += w.gsoSegments;
            gsoSends += w.gsoSends();
            groReads += w.groReads();
            groWrites += w.groWrites();
            groSegs += w.groSegments();
        }
        Map<Drop, Long> drops = new EnumMap<>(Drop.class);
        for (Drop d : Drop.values()) {
            long n = fwd.drops(d) + (d == Drop.BAD_ENCAP && udp != null ? udp.garbage.sum() : 0L);
            if (n != 0) {
                drops.put(d, n);
            }
        }
        return "status tun_in=" + tunIn + " gso_reads=" + gsoReads + " gso_segments=" + gsoSegs + " esp_out=" + espOut
                + " gso_sends=" + gsoSends + " udp_rx=" + udpRx + " gro_reads=" + groReads + " raw_rx="
                + fwd.rawReceived.sum() + " esp_in=" + espIn + " tun_out=" + tunOut + " gro_writes=" + groWrites
                + " gro_segments=" + groSegs + " handoff=" + handoff + " ike=" + ike + " drops=" + drops;
    }

    public Sad sad() {
        return sad;
    }

    public Spd spd() {
        return spd;
    }

    public Forwarder forwarder() {
        return fwd;
    }

    public UdpTransport udp() {
        return udp;
    }

    @Override
    public void close() {
        try {
            if (fwd != null) {
                fwd.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (udp != null) {
            udp.close();
        }
        if (raw != null) {
            raw.close();
        }
        if (tun != null) {
            tun.close(); // removes the interface and its routes
        }
    }

    static void log(String s) {
        System.out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + s);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: GatewayMain <config file>");
            System.exit(2);
        }
        GatewayConfig cfg = GatewayConfig.read(Path.of(args[0]));
        GatewayMain g = start(cfg);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { // SIGTERM, SIGINT
            log("stopping");
            main.interrupt();
            g.close();
            log("stopped: " + g.status());
            stopped.countDown();
        }, "shutdown"));
        long interval = Math.max(cfg.statusInterval(), 0) * 1000L;
        try {
            while (true) {
                Thread.sleep(interval == 0 ? Long.MAX_VALUE : interval);
                log(g.status());
            }
        } catch (InterruptedException e) {
            stopped.await();
        }
    }
}
