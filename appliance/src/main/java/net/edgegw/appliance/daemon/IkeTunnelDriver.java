package net.edgegw.appliance.daemon;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import net.edgegw.appliance.config.Connection;
import net.edgegw.appliance.config.Peer;
import net.edgegw.appliance.config.Proposal;
import net.edgegw.appliance.config.SelectorPair;
import net.edgegw.appliance.ike.message.TransformType;
import net.edgegw.appliance.ike.sa.ChildSa;
import net.edgegw.appliance.ike.sa.DataplaneInstaller;
import net.edgegw.appliance.ike.sa.IkeConfig;
import net.edgegw.appliance.ike.sa.IkeContext;
import net.edgegw.appliance.ike.sa.IkeCounters;
import net.edgegw.appliance.ike.sa.IkeSa;
import net.edgegw.appliance.ike.sa.IkeSaTable;
import net.edgegw.appliance.ike.sa.IkeSender;
import net.edgegw.appliance.ike.sa.Proposals;
import net.edgegw.dataplane.gateway.GatewayConfig;
import net.edgegw.dataplane.gateway.GatewayMain;
import net.edgegw.dataplane.io.netlink.NetlinkException;
import net.edgegw.dataplane.io.netlink.NetlinkRoute;
import net.edgegw.dataplane.sa.SaCounters;
import net.edgegw.dataplane.sa.SecurityAssociation;
import net.edgegw.dataplane.spd.TrafficSelector;
import net.edgegw.dataplane.stats.Drop;
import net.edgegw.mgmt.port.ActionResult;
import net.edgegw.mgmt.port.ChildSaStatus;
import net.edgegw.mgmt.port.IkeSaStatus;
import net.edgegw.mgmt.port.StatusSource;
import net.edgegw.mgmt.port.TunnelStatus.StateWord;

/**
 * The real {@link TunnelDriver}: the data plane (TUN {@value #TUN_NAME}, workers, UDP 500/4500 on the local IKE
 * address) and the IKEv2 engine on it, started at the first connection. Each connection is one IKE peer
 * ({@link IkeConfig}: one IKE SA with one CHILD SA for the connection's traffic selectors).
 *
 * <ul>
 *   <li>Start action {@code start} and {@code on-traffic}: we initiate now, and again {@value #REINITIATE_SECONDS} s
 *       after the IKE SA is gone (failed, deleted, dead peer). There is no trap policy yet, so on-traffic is
 *       treated as start. {@code none}: we only answer the peer.</li>
 *   <li>Routes: each remote CIDR is routed into the TUN device (rtnetlink) while the CHILD SA is up and removed
 *       when it goes down, so traffic then takes the host's other routes. With {@code enforce} the routes stay
 *       from start to stop: while no SA is up, cleartext to the remote CIDRs enters the TUN device, matches no
 *       policy and is dropped (counted) instead of leaving in the clear.</li>
 *   <li>Local IKE address: the daemon's {@code --ike-bind}, else the source address the kernel picks for the
 *       route to the first connection's peer (a connected UDP socket: the same lookup as {@code ip route get}).
 *       Every later connection uses the same address (the data plane binds one).</li>
 * </ul>
 *
 * <p>All IKE work runs on one thread ({@code ike}); the reconciler's calls hand their work to it and wait for that
 * short step only, never for an IKE exchange. Two waits remain on the reconciler's thread: the first start brings
 * the data plane up (TUN, sockets, workers: about a second), and a peer given as an FQDN is resolved at its start
 * (the resolver's timeout; a name that does not resolve fails the connection until the daemon's retry).
 *
 * <p>One IKE SA per connection: two connections to the same peer address negotiate two IKE SAs, and the peer
 * gets answers by the first one's settings when it initiates (we pick the responder configuration by address).
 */
public final class IkeTunnelDriver implements TunnelDriver {
    private static final System.Logger LOG = System.getLogger(IkeTunnelDriver.class.getName());
    private static final System.Logger IKE_LOG = System.getLogger("net.edgegw.appliance.ike");

    public static final String TUN_NAME = "edgegw0";
    /** The words this driver reports: CHILD SAs installed, initiating, waiting for the peer, neither. */
    public static final StateWord UP = StateWord.UP;
    public static final StateWord CONNECTING = StateWord.CONNECTING;
    public static final StateWord WAITING = StateWord.WAITING;
    public static final StateWord DOWN = StateWord.DOWN;

    static final long TICK_MILLIS = 100;
    static final int REINITIATE_SECONDS = 5;
    /** How long a deleted IKE SA may wait for the peer's answer before its CHILD SAs go anyway. */
    static final long DELETE_GRACE_NANOS = 2_000_000_000L;
    /** Our retransmission schedule (RFC 7296 §2.1): 1 s, x1.8 each, 5 tries — about 22 s to declare a peer dead. */
    static final long RETRANSMIT_MILLIS = 1000;
    static final double RETRANSMIT_BASE = 1.8;
    static final int RETRANSMIT_TRIES = 5;
    /** A reconciler step waits at most this long for the IKE thread. */
    static final long STEP_SECONDS = 10;

    private final InetAddress ikeBind;
    private final int workers;
    private final ScheduledExecutorService ike;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** IKE SAs we sent a Delete for, with the deadline after which they are removed unanswered (ike thread). */
    private final Map<IkeSa, Long> deleting = new LinkedHashMap<>();
    /** The engine's event counters (rekeys, installs, failures, drops), kept by the engine where each happens. */
    private final IkeCounters ikeCounters = new IkeCounters();
    private volatile GatewayMain gateway;
    /** The address the data plane bound (all connections use it). */
    private volatile InetAddress local;
    private IkeSaTable table;
    private NetlinkRoute netlink;
    private int tunIndex;

    /**
     * @param ikeBind our IKE address, or null to take the source address of the route to the first peer
     * @param workers data-plane workers, 0 = one per core
     */
    public IkeTunnelDriver(InetAddress ikeBind, int workers) {
        this.ikeBind = ikeBind;
        this.workers = workers;
        this.ike = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ike");
            t.setDaemon(true);
            return t;
        });
    }

    /** A route into the TUN device. */
    record Route(InetAddress destination, int prefixLength) {
        static Route of(String cidr) {
            int slash = cidr.indexOf('/');
            try {
                return new Route(InetAddress.getByAddress(TrafficSelector.parseAddress(cidr.substring(0, slash))),
                        Integer.parseInt(cidr.substring(slash + 1)));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(cidr, e);
            }
        }
    }

    /** One started connection; its status fields are written by the IKE thread and read by the reconciler's. */
    private static final class Entry {
        final Tunnel tunnel;
        final IkeConfig cfg;
        final boolean initiate;
        final List<Route> routes;
        long lastInitiate;
        boolean routed;
        /** The operator terminated it: no initiation until the operator's initiate (IKE thread). */
        boolean held;
        volatile StateWord state;
        volatile String detail = "";
        volatile String lastError = "";
        /** Inbound, outbound SPI of each installed CHILD SA. */
        volatile int[] spis = new int[0];

        Entry(Tunnel tunnel, IkeConfig cfg, List<Route> routes) {
            this.tunnel = tunnel;
            this.cfg = cfg;
            this.initiate = tunnel.connection().startAction() != Connection.StartAction.NONE;
            this.routes = routes;
            this.state = initiate ? CONNECTING : WAITING;
        }
    }

    /** Why this driver cannot run {@code t} (what the engine does not negotiate yet), or null. */
    static String unsupported(Tunnel t) {
        Peer p = t.peer();
        if (p.auth() == null || p.auth().method() != Peer.AuthMethod.PSK) {
            return "certificate authentication is not driven by the daemon yet (PSK only)";
        }
        if (t.connection().protocol() != Connection.Protocol.ESP) {
            return "AH is not negotiated by the IKE engine yet (ESP only)";
        }
        if (t.connection().mode() != Connection.Mode.TUNNEL) {
            return "transport mode is not installed by the IKE engine yet (tunnel only)";
        }
        if (t.selectors().isEmpty()) {
            return "no traffic selectors (no CIDR pair of one address family)";
        }
        return null;
    }

    /**
     * The IKE peer for a connection: identities default to the addresses, the PSK is the decrypted secret, the
     * proposals are the configuration's (canonical strongSwan form), the selectors its CIDR pairs. ESP always in
     * UDP (our data plane receives ESP on the NAT-T port only), so natTraversal settings are not consulted.
     */
    static IkeConfig ikeConfig(Tunnel t, InetAddress local, InetAddress remote) {
        Peer p = t.peer();
        Connection c = t.connection();
        Set<String> localTs = new LinkedHashSet<>();
        Set<String> remoteTs = new LinkedHashSet<>();
        for (SelectorPair s : t.selectors()) {
            localTs.add(s.local());
            remoteTs.add(s.remote());
        }
        return new IkeConfig(c.name(), new InetSocketAddress(local, IkeConfig.IKE_PORT),
                new InetSocketAddress(remote, IkeConfig.IKE_PORT),
                p.localId() != null ? p.localId() : local.getHostAddress(),
                p.remoteId() != null ? p.remoteId() : p.address(),
                p.auth().psk().reveal().getBytes(StandardCharsets.UTF_8),
                Proposals.parseIke(canonical(p.ikeProposals(), Proposal.Kind.IKE)),
                Proposals.parseEsp(canonical(c.proposals(), Proposal.Kind.ESP)),
                localTs.stream().map(TrafficSelector::cidr).toList(),
                remoteTs.stream().map(TrafficSelector::cidr).toList(), true,
                RETRANSMIT_MILLIS, RETRANSMIT_BASE, RETRANSMIT_TRIES, p.dpd().delaySeconds(),
                p.ikeLifetimeSeconds(), c.lifetimes().rekeySeconds(), IkeConfig.DEFAULT_FRAGMENT_SIZE);
    }

    private static String canonical(List<String> proposals, Proposal.Kind kind) {
        List<String> out = new ArrayList<>();
        for (String text : proposals) {
            Proposal.Parsed parsed = Proposal.parse(text, kind);
            if (!parsed.ok()) {
                throw new IllegalArgumentException("proposal " + text + ": " + parsed.problem());
            }
            out.add(parsed.proposal().toString());
        }
        return String.join(",", out);
    }

    /**
     * What of a tunnel reaches the engine: two tunnels with equal projections need no renegotiation (a new
     * description, a renamed cluster or peer with the same CIDRs and settings).
     */
    static Tunnel effective(Tunnel t) {
        Connection c = t.connection();
        Peer p = t.peer();
        return new Tunnel(new Connection(c.name(), "", List.of(), List.of(), c.protocol(), c.proposals(), c.mode(),
                c.lifetimes(), c.startAction(), c.enforce(), null),
                new Peer("", p.address(), p.localId(), p.remoteId(), p.auth(), p.ikeProposals(),
                        p.ikeLifetimeSeconds(), p.dpd(), p.natTraversal(), null),
                t.selectors(), t.certificates());
    }

    @Override
    public String start(Tunnel t) {
        String why = unsupported(t);
        if (why != null) {
            return why;
        }
        InetAddress remote;
        try {
            remote = resolve(t.peer().address());
        } catch (UnknownHostException e) {
            return "cannot resolve peer address " + t.peer().address();
        }
        why = dataPlane(remote);
        if (why != null) {
            return why;
        }
        Entry e;
        try {
            List<Route> routes = new ArrayList<>();
            t.selectors().stream().map(SelectorPair::remote).distinct().forEach(r -> routes.add(Route.of(r)));
            e = new Entry(t, ikeConfig(t, local, remote), routes);
        } catch (IllegalArgumentException ex) {
            return ex.getMessage();
        }
        return onIke(() -> {
            table.addPeer(e.cfg);
            entries.put(t.name(), e);
            if (t.connection().enforce()) {
                route(e, true);
            }
            LOG.log(System.Logger.Level.INFO, "connection {0} started: {1} ({2})", t.name(), e.cfg,
                    e.initiate ? "initiating" : "waiting for the peer");
            return null;
        });
    }

    /** Renegotiates only when something the engine uses changed; otherwise the running SAs stay. */
    @Override
    public String update(Tunnel before, Tunnel after) {
        Entry e = entries.get(before.name());
        if (e != null && effective(before).equals(effective(after))) {
            return null; // the running entry stays: name, enforce and everything negotiated are the same
        }
        stop(before);
        return start(after);
    }

    @Override
    public void stop(Tunnel t) {
        if (gateway == null) {
            return;
        }
        onIke(() -> {
            Entry e = entries.remove(t.name());
            if (e == null) {
                return null;
            }
            long deadline = System.nanoTime() + DELETE_GRACE_NANOS;
            for (IkeSa sa : table.removePeer(e.cfg)) {
                deleting.put(sa, deadline); // D(IKE) sent; its CHILD SAs go with the answer or the deadline
            }
            route(e, false);
            LOG.log(System.Logger.Level.INFO, "connection {0} stopped", t.name());
            return null;
        });
    }

    @Override
    public StateWord state(String connection) {
        Entry e = entries.get(connection);
        return e == null ? DOWN : e.state;
    }

    /** The CHILD SA's SPIs while up, else the last IKE error of this connection (empty if none). */
    @Override
    public String detail(String connection) {
        Entry e = entries.get(connection);
        if (e == null) {
            return "";
        }
        return e.detail.isEmpty() ? e.lastError : e.detail;
    }

    /** Summed over the connection's installed CHILD SAs, from the data plane's SA counters. */
    @Override
    public long[] counters(String connection) {
        long[] c = new long[5];
        Entry e = entries.get(connection);
        GatewayMain g = gateway;
        if (e == null || g == null) {
            return c;
        }
        int[] spis = e.spis;
        for (int i = 0; i + 1 < spis.length; i += 2) {
            SecurityAssociation in = g.sad().inbound(spis[i]);
            SecurityAssociation out = g.sad().outbound(spis[i + 1]);
            if (in != null) {
                SaCounters k = in.counters; // written by the owning worker; a late view is fine for status
                c[0] += k.bytes;
                c[2] += k.packets;
                c[4] += k.authFailures + k.replayDrops + k.policyDrops + k.otherDrops;
            }
            if (out != null) {
                SaCounters k = out.counters;
                c[1] += k.bytes;
                c[3] += k.packets;
                c[4] += k.policyDrops + k.otherDrops;
            }
        }
        return c;
    }

    /** Read on the IKE thread (the SAs' fields are its own); counters from the data plane's SAs. */
    @Override
    public SaView sas(String connection) {
        Entry e = entries.get(connection);
        if (e == null || gateway == null) {
            return SaView.NONE;
        }
        SaView v = onIkeValue(() -> view(e));
        return v == null ? SaView.NONE : v;
    }

    private SaView view(Entry e) {
        long now = System.nanoTime();
        Instant wall = Instant.now();
        IkeSa best = null;
        for (IkeSa sa : table.list()) {
            if (sa.config == e.cfg && sa.state != IkeSa.State.DEAD
                    && (best == null || sa.state == IkeSa.State.ESTABLISHED && best.state != IkeSa.State.ESTABLISHED)) {
                best = sa;
            }
        }
        if (best == null) {
            return SaView.NONE;
        }
        IkeSa sa = best;
        net.edgegw.appliance.ike.message.Proposal p = sa.ikeProposal;
        long est = sa.establishedAtNanos();
        long ikeRekey = est < 0 || sa.config.ikeRekeySeconds() <= 0 ? -1
                : Math.max(0, sa.config.ikeRekeySeconds() - (now - est) / 1_000_000_000L);
        IkeSaStatus ike = new IkeSaStatus(sa.state.name(), String.format("%016x", sa.localSpi()),
                String.format("%016x", sa.originalInitiator ? sa.spiR : sa.spiI), sa.originalInitiator,
                p == null ? "" : Proposals.keyword(p.first(TransformType.ENCR)),
                p == null ? "" : Proposals.keyword(p.first(TransformType.PRF)),
                p == null ? "" : Proposals.keyword(p.first(TransformType.INTEG)),
                p == null ? "" : Proposals.keyword(p.first(TransformType.DH)),
                hostPort(new InetSocketAddress(sa.config.local().getAddress(),
                        sa.natT ? IkeConfig.NAT_T_PORT : IkeConfig.IKE_PORT)),
                hostPort(sa.peer), sa.behindNat, sa.peerBehindNat,
                est < 0 ? null : wall.minusNanos(now - est), ikeRekey);
        List<ChildSaStatus> children = new ArrayList<>();
        Map<String, Long> drops = new TreeMap<>();
        long lifetime = sa.config.childRekeySeconds() * 1_000_000_000L;
        for (ChildSa c : sa.children) {
            if (!c.installed) {
                continue;
            }
            SecurityAssociation in = gateway.sad().inbound(c.spiIn);
            SecurityAssociation out = gateway.sad().outbound(c.spiOut);
            SaCounters ki = in == null ? new SaCounters() : in.counters; // written by its worker: a late view
            SaCounters ko = out == null ? new SaCounters() : out.counters;
            long rekey = lifetime <= 0 ? -1 : c.rekeyQueued ? 0
                    : Math.max(0, (lifetime - Math.max(0, c.rekeyJitterNanos) - (now - c.createdAt)) / 1_000_000_000L);
            children.add(new ChildSaStatus(String.format("%08x", c.spiIn), String.format("%08x", c.spiOut),
                    c.suite.keyword + (c.esn ? "+esn" : ""), c.localTs.stream().map(IkeTunnelDriver::text).toList(),
                    c.remoteTs.stream().map(IkeTunnelDriver::text).toList(), ki.bytes, ko.bytes, ki.packets, ko.packets,
                    rekey));
            drops.merge(Drop.INTEG.name(), ki.authFailures, Long::sum);
            drops.merge(Drop.REPLAY.name(), ki.replayDrops, Long::sum);
            drops.merge(Drop.POLICY.name(), ki.policyDrops + ko.policyDrops, Long::sum);
            drops.merge("OTHER", ki.otherDrops + ko.otherDrops, Long::sum);
        }
        drops.values().removeIf(n -> n == 0);
        return new SaView(ike, children, drops);
    }

    /** A selector as a CIDR when its range is one (the usual case), else as the data plane writes it. */
    static String text(TrafficSelector ts) {
        byte[] a = ts.startAddress();
        byte[] b = ts.endAddress();
        int bits = 0;
        while (bits < a.length * 8 && bit(a, bits) == bit(b, bits)) {
            bits++;
        }
        for (int i = bits; i < a.length * 8; i++) {
            if (bit(a, i) != 0 || bit(b, i) != 1) {
                return ts.toString();
            }
        }
        try {
            String net = InetAddress.getByAddress(a).getHostAddress();
            return ts.protocol() == TrafficSelector.ANY_PROTOCOL && ts.startPort() == 0 && ts.endPort() == 0xffff
                    ? net + "/" + bits : ts.toString();
        } catch (UnknownHostException e) {
            return ts.toString();
        }
    }

    private static int bit(byte[] x, int i) {
        return x[i >> 3] >> (7 - (i & 7)) & 1;
    }

    private static String hostPort(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    @Override
    public ActionResult initiate(String connection) {
        return action(connection, e -> {
            e.held = false;
            for (IkeSa sa : table.list()) {
                if (sa.config == e.cfg && sa.state != IkeSa.State.DEAD) {
                    return ActionResult.conflict("an IKE SA is already " + sa.state.name().toLowerCase(Locale.ROOT));
                }
            }
            e.lastInitiate = System.nanoTime();
            table.initiate(e.cfg);
            e.state = CONNECTING;
            return ActionResult.accepted("IKE_SA_INIT sent to " + e.cfg.remote().getAddress().getHostAddress());
        });
    }

    @Override
    public ActionResult terminate(String connection) {
        return action(connection, e -> {
            e.held = true;
            int n = 0;
            long deadline = System.nanoTime() + DELETE_GRACE_NANOS;
            for (IkeSa sa : table.list()) {
                if (sa.config != e.cfg || sa.state == IkeSa.State.DEAD) {
                    continue;
                }
                if (sa.state == IkeSa.State.ESTABLISHED) {
                    table.delete(sa); // INFORMATIONAL { D(IKE) }: its CHILD SAs go with the answer or the deadline
                    deleting.put(sa, deadline);
                } else {
                    sa.die();
                }
                n++;
            }
            return ActionResult.accepted(n == 0 ? "no IKE SA; not initiating until initiate"
                    : "deleting " + n + " IKE SA(s); not initiating until initiate");
        });
    }

    @Override
    public ActionResult rekey(String connection, StatusSource.RekeyScope scope) {
        return action(connection, e -> {
            for (IkeSa sa : table.list()) {
                if (sa.config != e.cfg || sa.state != IkeSa.State.ESTABLISHED) {
                    continue;
                }
                int children = 0;
                if (scope != StatusSource.RekeyScope.IKE) {
                    for (ChildSa c : new ArrayList<>(sa.children)) {
                        if (c.installed && !c.rekeyQueued) {
                            c.rekeyQueued = true; // the timer leaves it: this rekey replaces it (§2.8)
                            table.rekey(sa, c);
                            children++;
                        }
                    }
                }
                if (scope != StatusSource.RekeyScope.CHILD) {
                    table.rekey(sa); // queued after the CHILD rekeys: one exchange at a time (§2.3)
                }
                return ActionResult.accepted("rekeying" + (scope == StatusSource.RekeyScope.CHILD ? ""
                        : " the IKE SA") + (scope == StatusSource.RekeyScope.IKE ? "" : " " + children
                        + " CHILD SA(s)"));
            }
            return ActionResult.conflict("no established IKE SA to rekey");
        });
    }

    /** An operator action on the IKE thread; not found if the connection is not started here. */
    private ActionResult action(String connection, java.util.function.Function<Entry, ActionResult> step) {
        if (gateway == null || !entries.containsKey(connection)) {
            return ActionResult.conflict("connection " + connection + " is not running in the IKE engine");
        }
        ActionResult r = onIkeValue(() -> {
            Entry e = entries.get(connection);
            return e == null ? ActionResult.notFound() : step.apply(e);
        });
        return r == null ? ActionResult.conflict("the IKE engine did not answer") : r;
    }

    /** The counters the engine counts its events into ({@link #engineCounters} shows them). */
    public IkeCounters ikeCounters() {
        return ikeCounters;
    }

    @Override
    public Map<String, Long> engineCounters() {
        Map<String, Long> m = new TreeMap<>(ikeCounters.snapshot()); // zeros before the engine starts
        GatewayMain g = gateway;
        if (g != null) {
            for (Drop d : Drop.values()) {
                m.put("dataplane_drops_" + d.name().toLowerCase(Locale.ROOT), g.forwarder().drops(d));
            }
        }
        return m;
    }

    @Override
    public void close() {
        if (gateway != null) {
            onIke(() -> {
                for (Entry e : entries.values()) {
                    table.removePeer(e.cfg);
                    route(e, false);
                }
                entries.clear();
                return null;
            });
            try {
                Thread.sleep(200); // the Deletes leave before the sockets close; their answers are not awaited
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            onIke(() -> {
                table.shutdown();
                return null;
            });
        }
        ike.shutdownNow();
        GatewayMain g = gateway;
        if (g != null) {
            g.close(); // removes the TUN device and what routes are left
            gateway = null;
        }
        if (netlink != null) {
            netlink.close();
        }
    }

    // --- the data plane and the IKE thread ---

    /** Starts the data plane and the engine once; null when running, else why not. */
    private synchronized String dataPlane(InetAddress firstPeer) {
        if (gateway != null) {
            return null;
        }
        InetAddress local = ikeBind;
        if (local == null) {
            try (DatagramSocket probe = new DatagramSocket()) {
                probe.connect(new InetSocketAddress(firstPeer, IkeConfig.IKE_PORT)); // a route lookup, nothing sent
                local = probe.getLocalAddress();
            } catch (IOException e) {
                return "no route to peer " + firstPeer.getHostAddress() + ": " + e.getMessage();
            }
            if (local == null || local.isAnyLocalAddress()) {
                return "no route to peer " + firstPeer.getHostAddress();
            }
        }
        List<String> lines = new ArrayList<>(List.of("tun.name = " + TUN_NAME, "local = " + local.getHostAddress(),
                "port = " + IkeConfig.NAT_T_PORT, "ike.port = " + IkeConfig.IKE_PORT, "status.interval = 0"));
        if (workers > 0) {
            lines.add("workers = " + workers);
        }
        IkeSaTable[] t = new IkeSaTable[1];
        GatewayMain g;
        try {
            g = GatewayMain.start(GatewayConfig.parse(lines), (msg, from, port) -> ike.execute(() -> {
                if (t[0] == null) {
                    return; // arrived while the engine is being set up: the peer retransmits
                }
                try {
                    t[0].receive(msg, from, port);
                } catch (RuntimeException e) { // a bug, never the peer's input: that is counted and dropped
                    LOG.log(System.Logger.Level.ERROR, "IKE: a message broke the engine", e);
                }
            }));
            netlink = NetlinkRoute.open();
            tunIndex = netlink.ifindex(TUN_NAME);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.ERROR, "data plane did not start", e);
            return "data plane did not start: " + e.getMessage();
        }
        t[0] = new IkeSaTable(List.of(), context(g, this::ikeLog, ikeCounters));
        table = t[0];
        this.local = local;
        gateway = g;
        ike.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        LOG.log(System.Logger.Level.INFO, "data plane started: TUN {0}, IKE on {1} (UDP {2} and {3}){4}", TUN_NAME,
                local.getHostAddress(), String.valueOf(IkeConfig.IKE_PORT), String.valueOf(IkeConfig.NAT_T_PORT),
                ikeBind == null ? ", the source address of the route to " + firstPeer.getHostAddress() : "");
        return null;
    }

    /**
     * The IKE engine's surroundings over a running data plane: IKE leaves from port 500, or from the NAT-T port
     * behind the non-ESP marker (RFC 3948 §2.2); CHILD SAs go into its SAD/SPD, owned by a worker.
     */
    public static IkeContext context(GatewayMain g, java.util.function.Consumer<String> log) {
        return context(g, log, new IkeCounters());
    }

    /** The same, counting the engine's events into {@code counters}. */
    public static IkeContext context(GatewayMain g, java.util.function.Consumer<String> log, IkeCounters counters) {
        return new IkeContext(
                new IkeSender() {
                    @Override
                    public void send(byte[] msg, InetSocketAddress to, boolean natT) {
                        if (natT) {
                            g.forwarder().sendIke(msg, to); // behind the non-ESP marker, RFC 3948 §2.2
                        } else {
                            g.udp().sendIke(msg, to);
                        }
                    }

                    @Override
                    public void keepalive(InetSocketAddress to) {
                        g.forwarder().sendKeepalive(to); // RFC 3948 §2.3
                    }
                },
                new DataplaneInstaller(g.sad(), g.spd(), g.forwarder()::assign),
                new SecureRandom(), System::nanoTime, log, counters);
    }

    private static InetAddress resolve(String address) throws UnknownHostException {
        try {
            return InetAddress.getByAddress(TrafficSelector.parseAddress(address)); // a literal: no lookup
        } catch (IllegalArgumentException notLiteral) {
            return InetAddress.getByName(address); // an FQDN, resolved once at start
        }
    }

    /** Runs a read or an action on the IKE thread; null if it could not run (logged). */
    private <T> T onIkeValue(Supplier<T> step) {
        try {
            return ike.submit(step::get).get(STEP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "IKE step failed", e);
            return null;
        }
    }

    /** Runs a step on the IKE thread and returns its answer; a step that cannot run is that connection's error. */
    private String onIke(Supplier<String> step) {
        try {
            return ike.submit(step::get).get(STEP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (ExecutionException e) {
            LOG.log(System.Logger.Level.ERROR, "IKE step failed", e.getCause());
            return "internal error: " + e.getCause();
        } catch (TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            return "the IKE engine did not answer: " + e;
        }
    }

    /** Timers, re-initiation, routes and status of every connection (IKE thread, every {@value #TICK_MILLIS} ms). */
    private void tick() {
        try {
            table.tick();
            long now = System.nanoTime();
            deleting.entrySet().removeIf(d -> {
                if (d.getKey().state != IkeSa.State.DEAD && now - d.getValue() >= 0) {
                    d.getKey().die(); // the peer did not answer our Delete
                }
                return d.getKey().state == IkeSa.State.DEAD;
            });
            Map<IkeConfig, List<IkeSa>> byConfig = new LinkedHashMap<>();
            for (IkeSa sa : table.list()) {
                byConfig.computeIfAbsent(sa.config, k -> new ArrayList<>()).add(sa);
            }
            for (Entry e : entries.values()) {
                List<IkeSa> sas = byConfig.getOrDefault(e.cfg, List.of());
                update(e, sas, now);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "IKE timer", e);
        }
    }

    private void update(Entry e, List<IkeSa> sas, long now) {
        List<Integer> spis = new ArrayList<>();
        boolean connecting = false;
        for (IkeSa sa : sas) {
            connecting |= sa.state == IkeSa.State.CONNECTING;
            if (sa.state == IkeSa.State.ESTABLISHED) {
                for (ChildSa c : sa.children) {
                    if (c.installed) {
                        spis.add(c.spiIn);
                        spis.add(c.spiOut);
                    }
                }
            }
        }
        if (e.initiate && !e.held && sas.isEmpty() && now - e.lastInitiate >= REINITIATE_SECONDS * 1_000_000_000L) {
            e.lastInitiate = now;
            table.initiate(e.cfg);
            connecting = true;
        }
        StateWord state = !spis.isEmpty() ? UP : connecting ? CONNECTING : e.initiate || e.held ? DOWN : WAITING;
        int[] a = spis.stream().mapToInt(Integer::intValue).toArray();
        StringBuilder d = new StringBuilder();
        for (int i = 0; i + 1 < a.length; i += 2) {
            d.append(d.length() == 0 ? "" : ", ").append(String.format("spi in 0x%08x out 0x%08x", a[i], a[i + 1]));
        }
        e.spis = a;
        String detail = d.toString();
        if (state != e.state || !detail.equals(e.detail)) {
            LOG.log(System.Logger.Level.INFO, "connection {0} {1}{2}", e.tunnel.name(), state,
                    detail.isEmpty() ? (e.lastError.isEmpty() ? "" : " (last error: " + e.lastError + ")")
                            : " (" + detail + ")");
        }
        e.state = state;
        e.detail = detail;
        route(e, state == UP || e.tunnel.connection().enforce());
    }

    /** Adds or removes the connection's routes into the TUN device (rtnetlink), once per change. */
    private void route(Entry e, boolean up) {
        if (e.routed == up) {
            return;
        }
        for (Route r : e.routes) {
            try {
                if (up) {
                    netlink.addRoute(r.destination(), r.prefixLength(), tunIndex);
                } else {
                    netlink.deleteRoute(r.destination(), r.prefixLength(), tunIndex);
                }
            } catch (NetlinkException ex) {
                LOG.log(System.Logger.Level.WARNING, "connection {0}: route {1}/{2} {3}: {4}", e.tunnel.name(),
                        r.destination().getHostAddress(), String.valueOf(r.prefixLength()), up ? "add" : "delete",
                        ex.getMessage());
            }
        }
        e.routed = up;
        LOG.log(System.Logger.Level.INFO, "connection {0}: routes {1} {2}", e.tunnel.name(),
                up ? "into" : "out of", TUN_NAME);
    }

    /** The engine's log lines: exchanges at debug, the rest at info; failures become their connection's error. */
    private void ikeLog(String line) {
        boolean chatter = line.contains("] sending ") || line.contains("] received ");
        IKE_LOG.log(chatter ? System.Logger.Level.DEBUG : System.Logger.Level.INFO, line);
        int end = line.indexOf(' ');
        if (line.startsWith("[") && end > 1) {
            Entry e = entries.get(line.substring(1, end));
            String msg = line.substring(line.indexOf("] ") + 2);
            if (e != null && (msg.contains("failed") || msg.contains("giving up") || msg.contains("refused")
                    || msg.contains("not created") || msg.contains("timed out"))) {
                e.lastError = msg;
            }
        }
    }
}
