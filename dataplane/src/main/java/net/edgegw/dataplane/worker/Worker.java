package net.edgegw.dataplane.worker;

import com.sun.jna.Memory;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import net.edgegw.dataplane.esp.Esp;
import net.edgegw.dataplane.io.raw.RawEspSocket;
import net.edgegw.dataplane.io.sys.Errno;
import net.edgegw.dataplane.io.sys.Libc;
import net.edgegw.dataplane.io.tun.GroCoalesce;
import net.edgegw.dataplane.io.tun.GsoSplit;
import net.edgegw.dataplane.io.tun.TunQueue;
import net.edgegw.dataplane.io.tun.VirtioNetHdr;
import net.edgegw.dataplane.io.udp.UdpGsoSocket;
import net.edgegw.dataplane.io.udp.UdpTransport;
import net.edgegw.dataplane.ipsec.Inbound;
import net.edgegw.dataplane.ipsec.Outbound;
import net.edgegw.dataplane.packet.Ipv4Header;
import net.edgegw.dataplane.packet.MssClamp;
import net.edgegw.dataplane.packet.NetworkOrder;
import net.edgegw.dataplane.packet.Packet;
import net.edgegw.dataplane.packet.TooBig;
import net.edgegw.dataplane.sa.Mode;
import net.edgegw.dataplane.sa.Sad;
import net.edgegw.dataplane.sa.SecurityAssociation;
import net.edgegw.dataplane.spd.Spd;
import net.edgegw.dataplane.stats.Drop;
import net.edgegw.dataplane.stats.DropCounters;

/**
 * One forwarding thread: owns one TUN queue (opened with offloads), one UDP socket on the NAT-T port (GSO/GRO,
 * SO_REUSEPORT), its own {@link Outbound}/{@link Inbound} and drop counters, and the SAs whose {@code worker} is
 * its id (VPP style: one writer per SA, so sequence numbers and replay windows need no lock).
 *
 * <pre>
 *   TUN read: one super-packet (up to 64 KiB TCP, virtio header) --> SPD select once
 *      --(SA owned here)--> cut into MSS segments laid out at the ESP stride in the send buffer
 *                           --> ESP encapsulate each in place --> one sendmsg with UDP_SEGMENT per 64 KiB
 *      --(other owner)----> cut and laid out here, the buffer handed to the owner, which encapsulates and sends
 *                           (plain packets and other SA kinds: the TUN read itself is handed over)
 *   UDP read: GRO run of ESP datagrams --(first SA owned here)--> decrypt each in place --> GroCoalesce
 *                                     \--(other owner)---------> the whole run to the owner's queue
 *   GroCoalesce --> TUN write, by the partner worker (id + 1) when there are several: the write runs beside the
 *                   next decryption, and TUN flow steering brings the flows' outbound data to the partner's queue
 *   raw rx queue (raw ESP reader) --> IP + ESP verify/decrypt --> GroCoalesce
 * </pre>
 *
 * Queues are bounded MPSC arrays. Hand-offs move whole big buffers (one per super-packet, GRO read or coalesced
 * write), never single segments, except for an ESP datagram inside a GRO run whose SA another worker owns (one
 * run normally carries one SA). Big buffers come from one bounded pool: reads stop while it runs low, so
 * back-pressure leaves packets in the kernel's queues. The thread sleeps in poll(2) on its TUN descriptor, its
 * UDP socket and an eventfd that producers signal when it is asleep.
 */
public final class Worker implements Runnable {
    /** TUN reads / UDP reads per round, and queue entries drained per round. */
    public static final int BATCH = 64;
    /** Super-packets or GRO reads per round. */
    static final int BIG_BATCH = 8;
    /**
     * Reads and lay-outs stop while fewer big buffers than this are free: what is already read can still be
     * passed to the TUN writer, so back-pressure leaves data in the kernel's queues instead of dropping it here.
     */
    static final int BIG_RESERVE = 16;
    public static final int QUEUE_CAPACITY = 1024;
    static final int IDLE_POLL_MILLIS = 100;
    /** Where a received run starts in its buffer; the sender's address is kept in front ({@link #SENDER_AT}). */
    static final int RX_BASE = Packet.DEFAULT_HEADROOM;
    static final int SENDER_AT = 0; // UdpGsoSocket.SENDER_LEN bytes
    /** Room in front of the first segment in the send buffer (the raw path writes an outer IP header there). */
    static final int SEND_BASE = Packet.DEFAULT_HEADROOM;
    /**
     * Bytes a big buffer holds: a 64 KiB super-packet cut at an MSS of 1200 or more and laid out as ESP packets
     * (per segment: its own IP + TCP header, ESP header, IV, padding, trailer, ICV) fits.
     */
    public static final int LAYOUT_CAPACITY = 96 * 1024;
    /** In a laid-out buffer's headroom: the SPI of the SA the segments were laid out for, then its ESP header + IV length. */
    static final int LAYOUT_SPI_AT = 0;

    /** What a worker needs to know about the gateway. */
    public record Settings(byte[] localOuter, int linkMtu, boolean mssClamp, byte[] icmpSrc4, byte[] icmpSrc6) {}

    public final int id;
    private final TunQueue tun;
    private final PacketPool pool;
    private final PacketPool bigPool;
    private final Forwarder fwd;
    private final Sad sad;
    private UdpGsoSocket sock; // set when the thread starts
    private UdpTransport.IkeSink ike;
    private RawEspSocket.Sender rawTx; // set when the thread starts; null without a raw ESP socket
    private final Worker[] peers;
    private final Settings s;
    private final DropCounters drops = new DropCounters();
    private final Outbound outbound;
    private final Inbound inbound;
    private final GroCoalesce gro;
    private final Queue<Packet> rx = PlatformDependent.newFixedMpscQueue(QUEUE_CAPACITY);
    private final Queue<Packet> rxRaw = PlatformDependent.newFixedMpscQueue(QUEUE_CAPACITY);
    private final Queue<Packet> rxRuns = PlatformDependent.newFixedMpscQueue(QUEUE_CAPACITY);
    private final Queue<Packet> handoff = PlatformDependent.newFixedMpscQueue(QUEUE_CAPACITY);
    private final Queue<Packet> tunTx = PlatformDependent.newFixedMpscQueue(QUEUE_CAPACITY);
    /** The worker that writes this one's decrypted packets into its TUN queue (itself when alone). */
    private final int tunWriter;

    // wake-up: eventfd + poll(2) on { tun, udp, eventfd }
    private final int eventFd;
    private final Memory one = new Memory(8);
    private final Memory scratch8 = new Memory(8);
    private final Memory pollFds = new Memory(3L * Libc.POLLFD_SIZE);
    private int pollCount;
    private volatile boolean sleeping;
    private volatile boolean running = true;

    // per-round state
    private Packet tunBuf; // the big buffer the next TUN read goes into
    private Packet rxBuf; // the big buffer the next UDP read goes into
    private final byte[][] tunBufs = new byte[1][];
    private final int[] tunSizes = new int[1];
    private final Packet send = new Packet(LAYOUT_CAPACITY);
    private final int[] lens = new int[2 * UdpGsoSocket.MAX_SEGMENTS];

    // counters: written by this thread only, read by the status logger
    public volatile long tunIn;
    public volatile long tunOut;
    public volatile long espOut;
    public volatile long espIn;
    public volatile long handedOff;
    /** TUN reads that were TCP super-packets (GSO), and the segments cut from them. */
    public volatile long gsoReads;
    public volatile long gsoSegments;
    /** UDP datagrams received, and IKE messages among them. */
    public volatile long udpRx;
    public volatile long ikeRx;

    Worker(int id, TunQueue tun, PacketPool pool, PacketPool bigPool, Forwarder fwd, Worker[] peers, Sad sad,
           Spd spd, Settings s) {
        if (!tun.vnetHdr()) {
            throw new IllegalArgumentException("the worker needs a TUN queue opened with offloads");
        }
        this.id = id;
        this.tun = tun;
        this.pool = pool;
        this.bigPool = bigPool;
        this.fwd = fwd;
        this.peers = peers;
        this.sad = sad;
        this.s = s;
        this.outbound = new Outbound(spd, drops);
        this.inbound = new Inbound(sad, drops);
        this.gro = new GroCoalesce(this::toTun, new Packet(LAYOUT_CAPACITY)); // joins the pool once passed on
        this.tunWriter = (id + 1) % peers.length;
        this.eventFd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (eventFd < 0) {
            throw new IllegalStateException("eventfd: errno " + Libc.errno());
        }
        one.setLong(0, 1);
    }

    public DropCounters drops() {
        return drops;
    }

    /** Super-packets written to the TUN queue (two or more segments coalesced), and the segments in them. */
    public long groWrites() {
        return gro.coalesced;
    }

    public long groSegments() {
        return gro.segmentsCoalesced;
    }

    /** UDP reads that returned several datagrams, and sends that carried several (UDP_SEGMENT). */
    public long groReads() {
        UdpGsoSocket u = sock;
        return u == null ? 0 : u.groReads;
    }

    public long gsoSends() {
        UdpGsoSocket u = sock;
        return u == null ? 0 : u.gsoSends;
    }

    /** Called by another worker: one ESP datagram (UDP payload) for an SA this worker owns. */
    boolean offerReceived(Packet p) {
        return offer(rx, p);
    }

    /**
     * Called by the raw ESP receive thread: an IPv4 packet with its header, or (IPv6 raw socket) the bare ESP
     * packet, for an SA this worker owns. False when the queue is full.
     */
    boolean offerReceivedRaw(Packet p) {
        return offer(rxRaw, p);
    }

    /** Called by another worker: a GRO run of ESP datagrams whose first SA this worker owns (a big buffer). */
    boolean offerRun(Packet p) {
        return offer(rxRuns, p);
    }

    /**
     * Called by another worker: for an outbound SA this worker owns, a TUN read (virtio header in front,
     * {@code segSize} 0) or TCP segments laid out at the ESP stride ({@code segSize} = the stride). One queue for
     * both keeps a flow's packets in order.
     */
    boolean offerHandoff(Packet p) {
        return offer(handoff, p);
    }

    /** Called by another worker: a packet with its virtio header to write into this worker's TUN queue. */
    boolean offerTunWrite(Packet p) {
        return offer(tunTx, p);
    }

    private boolean offer(Queue<Packet> q, Packet p) {
        if (!q.offer(p)) {
            return false;
        }
        if (sleeping) {
            Libc.write(eventFd, one, 8);
        }
        return true;
    }

    void stop() {
        running = false;
        Libc.write(eventFd, one, 8);
    }

    /** The UDP socket, once the thread runs (the control plane sends IKE from port 4500 through it). */
    UdpGsoSocket socket() {
        return sock;
    }

    @Override
    public void run() {
        sock = fwd.socket(id);
        ike = fwd.ikeSink();
        RawEspSocket raw = fwd.raw();
        rawTx = raw == null ? null : raw.sender();
        pollFds.clear();
        pollFds.setInt(0, eventFd);
        pollFds.setShort(4, Libc.POLLIN);
        pollFds.setInt(Libc.POLLFD_SIZE, tun.fd());
        pollFds.setShort(Libc.POLLFD_SIZE + 4, Libc.POLLIN);
        pollCount = 2;
        if (sock != null) {
            pollFds.setInt(2 * Libc.POLLFD_SIZE, sock.fd());
            pollFds.setShort(2 * Libc.POLLFD_SIZE + 4, Libc.POLLIN);
            pollCount = 3;
        }
        try {
            while (running) {
                // hand-offs first: what the partner read earlier goes out before what this queue reads now
                int work = drainHandoff() + readTun() + readUdp() + drainReceived() + drainTunTx();
                if (work == 0) {
                    idle();
                }
            }
        } finally {
            giveBig(tunBuf);
            giveBig(rxBuf);
            drain(rx, pool);
            drain(rxRaw, pool);
            drain(rxRuns, bigPool);
            drain(handoff, bigPool);
            drain(tunTx, bigPool);
            Libc.close(eventFd);
        }
    }

    private void giveBig(Packet p) {
        if (p != null) {
            bigPool.give(p);
        }
    }

    private static void drain(Queue<Packet> q, PacketPool to) {
        Packet p;
        while ((p = q.poll()) != null) {
            to.give(p);
        }
    }

    private void idle() {
        sleeping = true;
        if (rx.isEmpty() && rxRaw.isEmpty() && rxRuns.isEmpty() && handoff.isEmpty() && tunTx.isEmpty() && running) {
            Libc.poll(pollFds, pollCount, IDLE_POLL_MILLIS);
        }
        sleeping = false;
        Libc.read(eventFd, scratch8, 8); // reset the counter; EAGAIN when nobody signalled
    }

    // --- outbound: TUN -> ESP -> UDP ---

    private int readTun() {
        int k = 0;
        while (k < BIG_BATCH) {
            if (tunBuf == null && (bigPool.available() < BIG_RESERVE || (tunBuf = bigPool.take()) == null)) {
                break; // no buffer: the kernel keeps the packets queued (and drops when its queue overflows)
            }
            tunBufs[0] = tunBuf.buf;
            int n = tun.read(tunBufs, tunSizes, Packet.DEFAULT_HEADROOM, 1);
            if (n <= 0) {
                break;
            }
            k++;
            tunIn++;
            Packet p = tunBuf;
            if (tunSizes[0] < VirtioNetHdr.LEN) {
                drops.inc(Drop.RUNT);
                continue;
            }
            p.off = Packet.DEFAULT_HEADROOM + VirtioNetHdr.LEN;
            p.len = tunSizes[0] - VirtioNetHdr.LEN;
            p.segSize = 0; // a TUN read, not a laid-out run
            if (fromTun(p)) {
                tunBuf = null; // ownership moved to another worker
            }
        }
        return k;
    }

    /** Returns true if {@code p} (a big buffer, virtio header in front) was handed to another worker. */
    private boolean fromTun(Packet p) {
        Outbound.Verdict v = outbound.select(p);
        if (v == Outbound.Verdict.BYPASS) {
            drops.inc(Drop.UNSUPPORTED); // BYPASS out of the TUN would loop back into it
            return false;
        }
        if (v != Outbound.Verdict.PROTECTED) {
            return false;
        }
        SecurityAssociation sa = outbound.lastSa();
        if (sa.worker != id) {
            if (layOutForOwner(sa, p)) {
                return false; // the segments went over in a new buffer; p is free again
            }
            if (!peers[sa.worker].offerHandoff(p)) {
                drops.inc(Drop.QUEUE_FULL);
                return false;
            }
            handedOff++;
            return true;
        }
        protectRead(sa, p);
        return false;
    }

    private int drainHandoff() {
        int n = 0;
        Packet p;

        while (n < BIG_BATCH && (p = handoff.poll()) != null) {
            n++;
            if (p.segSize != 0) {
                sealLaidOut(p);
                bigPool.give(p);
                continue;
            }
            // Select again: the policy may point at a new SA since the hand-off (rekey).
            if (outbound.select(p) == Outbound.Verdict.PROTECTED) {
                SecurityAssociation sa = outbound.lastSa();
                if (sa.worker == id) {
                    protectRead(sa, p);
                } else {
                    drops.inc(Drop.NO_SA);
                }
            }
            bigPool.give(p);
        }
        return n;
    }

    /** One TUN read: a plain packet, or a TCP super-packet to cut into segments. */
    private void protectRead(SecurityAssociation sa, Packet p) {
        byte[] b = p.buf;
        int h = p.off - VirtioNetHdr.LEN;
        int gsoType = VirtioNetHdr.gsoType(b, h);
        int innerMtu = s.linkMtu() - sa.maxOverhead;
        if (gsoType == VirtioNetHdr.GSO_NONE) {
            if ((VirtioNetHdr.flags(b, h) & VirtioNetHdr.F_NEEDS_CSUM) != 0 && !GsoSplit.completeChecksum(b, p.off,
                    p.len, VirtioNetHdr.csumStart(b, h), VirtioNetHdr.csumOffset(b, h))) {
                drops.inc(Drop.BAD_IP_HEADER);
                return;
            }
            if (p.len > innerMtu && tooBig(p, innerMtu)) {
                return;
            }
            if (s.mssClamp()) {
                MssClamp.clamp(p, innerMtu);
            }
            protectAndSend(sa, p);
            return;
        }
        if (gsoType != VirtioNetHdr.GSO_TCPV4 && gsoType != VirtioNetHdr.GSO_TCPV6) {
            drops.inc(Drop.UNSUPPORTED); // UDP GSO is not offered to the kernel (no TUN_F_USO*)
            return;
        }
        int ipHl = VirtioNetHdr.csumStart(b, h);
        int hdrLen = GsoSplit.headerLen(b, p.off, p.len, ipHl);
        int mss = VirtioNetHdr.gsoSize(b, h);
        if (hdrLen < 0 || mss == 0) {
            drops.inc(Drop.BAD_IP_HEADER);
            return;
        }
        // The MTU applies to each segment, not to the super-packet.
        if (hdrLen + mss > innerMtu) {
            boolean v4 = (b[p.off] & 0xf0) == 0x40;
            if (v4 && (NetworkOrder.u16(b, p.off + Ipv4Header.FLAGS_FRAG) & Ipv4Header.FLAG_DF) == 0) {
                mss = innerMtu - hdrLen; // may be fragmented, so may be cut smaller: as the router would
                if (mss <= 0) {
                    drops.inc(Drop.TOO_BIG);
                    return;
                }
            } else {
                tooBig(p, innerMtu);
                return;
            }
        }
        gsoReads++;
        int segs = GsoSplit.segments(p.len - hdrLen, mss);
        gsoSegments += segs;
        if (fastPath(sa)) {
            sendSegments(sa, p, ipHl, hdrLen, mss, segs);
            return;
        }
        // Raw ESP, AH, transport mode: segment by segment through the per-packet path.
        for (int i = 0; i < segs; i++) {
            GsoSplit.split(b, p.off, p.len, ipHl, hdrLen, mss, i, 1, send.buf, SEND_BASE, 0, lens);
            send.off = SEND_BASE;
            send.len = lens[0];
            protectAndSend(sa, send);
        }
    }

    /** True if the segments of this SA go out through the UDP_SEGMENT fast path. */
    private boolean fastPath(SecurityAssociation sa) {
        return sa.udpLen != 0 && sa.esp != null && sa.config.mode() == Mode.TUNNEL && sock != null;
    }

    /**
     * The fast path: segments laid out at the ESP packet stride in the send buffer (as many as it holds at a
     * time), encapsulated in place (ESP only, the kernel writes IP and UDP), sent with one UDP_SEGMENT sendmsg per
     * at most 64 datagrams / 64 KiB.
     */
    private void sendSegments(SecurityAssociation sa, Packet p, int ipHl, int hdrLen, int mss, int segs) {
        int stride = Esp.tunnelLength(sa, hdrLen + mss);
        int espHdr = sa.protoHeaderLen;
        int fit = Math.min(lens.length, (send.buf.length - SEND_BASE - Packet.DEFAULT_TAILROOM) / stride);
        for (int first = 0; first < segs; first += fit) {
            int k = GsoSplit.split(p.buf, p.off, p.len, ipHl, hdrLen, mss, first, fit, send.buf, SEND_BASE + espHdr,
                    stride, lens);
            if (!sealAndSend(sa, send, SEND_BASE, k, stride)) {
                return;
            }
        }
    }

    /**
     * Pipelining across workers: the reader of a super-packet whose SA another worker owns cuts it into a fresh
     * buffer, laid out at that SA's ESP stride, and hands that over; the owner only encrypts and sends
     * ({@link #sealLaidOut}). Segmentation and checksums then run on this thread, encryption on the owner's.
     *
     * @return false if this read is not such a super-packet (or no buffer is free): hand it over whole
     */
    private boolean layOutForOwner(SecurityAssociation sa, Packet p) {
        byte[] b = p.buf;
        int h = p.off - VirtioNetHdr.LEN;
        int gsoType = VirtioNetHdr.gsoType(b, h);
        if ((gsoType != VirtioNetHdr.GSO_TCPV4 && gsoType != VirtioNetHdr.GSO_TCPV6) || !fastPath(sa)) {
            return false;
        }
        int ipHl = VirtioNetHdr.csumStart(b, h);
        int hdrLen = GsoSplit.headerLen(b, p.off, p.len, ipHl);
        int mss = VirtioNetHdr.gsoSize(b, h);
        int innerMtu = s.linkMtu() - sa.maxOverhead;
        if (hdrLen < 0 || mss == 0 || hdrLen + mss > innerMtu) {
            return false; // the owner drops it or answers with ICMP
        }
        int segs = GsoSplit.segments(p.len - hdrLen, mss);
        int stride = Esp.tunnelLength(sa, hdrLen + mss);
        Packet l;
        if (segs > lens.length || SEND_BASE + segs * stride + Packet.DEFAULT_TAILROOM > LAYOUT_CAPACITY
                || bigPool.available() < BIG_RESERVE || (l = bigPool.take()) == null) {
            return false;
        }
        GsoSplit.split(b, p.off, p.len, ipHl, hdrLen, mss, 0, segs, l.buf, SEND_BASE + sa.protoHeaderLen, stride,
                lens);
        NetworkOrder.put32(l.buf, LAYOUT_SPI_AT, sa.spi);
        NetworkOrder.put32(l.buf, LAYOUT_SPI_AT + 4, sa.protoHeaderLen);
        l.off = SEND_BASE;
        l.len = segs;
        l.segSize = stride;
        gsoReads++;
        gsoSegments += segs;
        if (!peers[sa.worker].offerHandoff(l)) {
            bigPool.give(l);
            drops.add(Drop.QUEUE_FULL, segs);
        } else {
            handedOff++;
        }
        return true;
    }

    /** The owner's half of {@link #layOutForOwner}: {@code l.len} segments from {@code l.off}, {@code l.segSize} apart. */
    private void sealLaidOut(Packet l) {
        int base = l.off;
        int segs = l.len;
        int stride = l.segSize;
        // Select again on the first segment: the policy may point at a new SA since (rekey); the layout must match.
        SecurityAssociation sa = null;
        l.off = base + NetworkOrder.i32(l.buf, LAYOUT_SPI_AT + 4);
        l.len = segmentLength(l.buf, l.off);
        if (l.len > 0 && outbound.select(l) == Outbound.Verdict.PROTECTED) {
            sa = outbound.lastSa();
        }
        if (sa == null || sa.worker != id || sa.spi != NetworkOrder.i32(l.buf, LAYOUT_SPI_AT) || !fastPath(sa)
                || sa.protoHeaderLen != NetworkOrder.i32(l.buf, LAYOUT_SPI_AT + 4)) {
            drops.add(Drop.NO_SA, segs);
            return;
        }
        sealAndSend(sa, l, base, segs, stride);
    }

    /** The length an IP packet at {@code b[off]} declares, or 0. */
    private static int segmentLength(byte[] b, int off) {
        int v = (b[off] & 0xf0) >>> 4;
        if (v == 4) {
            return NetworkOrder.u16(b, off + Ipv4Header.TOTAL_LEN);
        }
        return v == 6 ? net.edgegw.dataplane.packet.Ipv6Header.LEN
                + NetworkOrder.u16(b, off + net.edgegw.dataplane.packet.Ipv6Header.PAYLOAD_LEN) : 0;
    }

    /**
     * Encapsulates {@code segs} IP packets laid out in {@code v.buf} from {@code base} at {@code stride} (each
     * behind room for the ESP header and IV) in place, and sends them in UDP_SEGMENT runs. Uses {@code v} as the
     * moving view.
     *
     * @return false if an SA drop stopped it (counted)
     */
    private boolean sealAndSend(SecurityAssociation sa, Packet v, int base, int segs, int stride) {
        int espHdr = sa.protoHeaderLen;
        int perSend = Math.min(UdpGsoSocket.MAX_SEGMENTS, UdpGsoSocket.MAX_BATCH_BYTES / stride);
        byte[] dst = sa.config.dst();
        int port = sa.config.encapDstPort();
        for (int first = 0; first < segs; first += perSend) {
            int k = Math.min(perSend, segs - first);
            int start = base + first * stride;
            int done = 0;
            int end = start;
            for (int i = 0; i < k; i++) {
                v.off = start + i * stride + espHdr;
                v.len = segmentLength(v.buf, v.off);
                if (v.len == 0 || outbound.protectEsp(sa, v) != Outbound.Verdict.PROTECTED) {
                    break; // counted; the segments before it still go out
                }
                end = v.off + v.len;
                done++;
            }
            if (done > 0) {
                if (sock.send(v.buf, start, end - start, stride, dst, port) < 0) {
                    drops.add(Drop.TX_ERROR, done);
                } else {
                    espOut += done;
                }
            }
            if (done < k) {
                return false;
            }
        }
        return true;
    }

    /**
     * An inner packet over the tunnel MTU: IPv4 with DF and IPv6 get an ICMP error back into the TUN and are
     * dropped (true); IPv4 without DF goes on and the kernel fragments the outer datagram (false).
     */
    private boolean tooBig(Packet p, int innerMtu) {
        int version = (p.buf[p.off] & 0xff) >>> 4;
        boolean v4 = version == 4;
        if (v4 && (NetworkOrder.u16(p.buf, p.off + Ipv4Header.FLAGS_FRAG) & Ipv4Header.FLAG_DF) == 0) {
            return false;
        }
        drops.inc(Drop.TOO_BIG);
        byte[] src = v4 ? s.icmpSrc4() : s.icmpSrc6();
        Packet icmp = src == null ? null : pool.take();
        if (icmp != null) {
            if (v4) {
                TooBig.icmpv4(p, icmp, src, innerMtu);
            } else {
                TooBig.icmpv6(p, icmp, src, innerMtu);
            }
            if (tun.write(icmp.buf, icmp.off, icmp.len) > 0) {
                tunOut++;
            }
            pool.give(icmp);
        }
        return true;
    }

    /** One inner packet: ESP (UDP or raw) or AH, whole outer packet built here or by the kernel. */
    private void protectAndSend(SecurityAssociation sa, Packet p) {
        if (sa.udpLen == 0 && (rawTx == null || sa.ah != null)) {
            drops.inc(Drop.UNSUPPORTED); // raw AH (IP protocol 51) has no socket yet
            return;
        }
        if (sa.udpLen == 0) {
            if (outbound.protect(sa, p) != Outbound.Verdict.PROTECTED) {
                return;
            }
            // Raw ESP: the kernel writes the outer IP header (RawEspSocket), we pass it what follows ours.
            int hl = (p.buf[p.off] & 0xf0) == 0x40 ? Ipv4Header.headerLen(p.buf, p.off) : sa.outerIpLen;
            if (rawTx.send(p.buf, p.off + hl, p.len - hl, sa.config.dst()) < 0) {
                drops.inc(Drop.TX_ERROR);
                return;
            }
            espOut++;
            return;
        }
        if (sock == null) {
            drops.inc(Drop.UNSUPPORTED);
            return;
        }
        int from;
        if (sa.config.mode() == Mode.TUNNEL) {
            if (outbound.protectEsp(sa, p) != Outbound.Verdict.PROTECTED) {
                return;
            }
            from = p.off;
        } else {
            if (outbound.protect(sa, p) != Outbound.Verdict.PROTECTED) {
                return;
            }
            from = p.off + sa.outerIpLen + sa.udpLen; // the socket writes IP and UDP again
        }
        if (sock.send(p.buf, from, p.end() - from, 0, sa.config.dst(), sa.config.encapDstPort()) < 0) {
            drops.inc(Drop.TX_ERROR);
            return;
        }
        espOut++;
    }

    // --- inbound: UDP or raw IP -> ESP -> TUN ---

    private int readUdp() {
        if (sock == null) {
            return 0;
        }
        int k = 0;
        while (k < BIG_BATCH) {
            if (rxBuf == null && (bigPool.available() < BIG_RESERVE || (rxBuf = bigPool.take()) == null)) {
                break; // the kernel keeps the datagrams until the socket buffer overflows
            }
            Packet g = rxBuf;
            int n = sock.receive(g.buf, RX_BASE, g.buf.length - RX_BASE);
            if (n == 0) {
                break;
            }
            k++;
            if (n < 0) {
                drops.inc(n == -Errno.EMSGSIZE ? Drop.OVERSIZE : Drop.BAD_ENCAP); // e.g. ICMP errors surfacing
                continue;
            }
            g.off = RX_BASE;
            g.len = n;
            g.segSize = sock.gsoSize();
            keepSender(g);
            int owner = owner(g.buf, g.off, Math.min(n, g.segSize));
            if (owner >= 0 && owner != id) {
                if (peers[owner].offerRun(g)) {
                    handedOff++;
                    rxBuf = null;
                } else {
                    drops.add(Drop.QUEUE_FULL, (n + g.segSize - 1) / g.segSize);
                }
                continue;
            }
            receiveRun(g);
        }
        return k;
    }

    /** Copies the sender's address and port into the headroom of a received run (for IKE on a hand-off). */
    private void keepSender(Packet g) {
        sock.copySender(g.buf, SENDER_AT);
    }

    /** The worker owning the SA of the ESP datagram at {@code b[off, off+len)}, or -1 if not ESP or no SA. */
    private int owner(byte[] b, int off, int len) {
        if (len < Esp.HEADER_LEN) {
            return -1;
        }
        int spi = NetworkOrder.i32(b, off);
        if (spi == 0) {
            return -1; // non-ESP marker: IKE
        }
        SecurityAssociation sa = sad.inbound(spi);
        return sa == null ? -1 : sa.worker;
    }

    /** Decrypts each datagram of a run in place and coalesces what comes out; the buffer stays the caller's. */
    private void receiveRun(Packet g) {
        int seg = g.segSize;
        int start = g.off;
        int end = g.off + g.len;
        byte[] b = g.buf;
        for (int o = start; o < end; o += seg) {
            int dl = Math.min(seg, end - o);
            udpRx++;
            int owner = owner(b, o, dl);
            if (owner >= 0 && owner != id) {
                handOne(owner, b, o, dl); // a second SA inside one run: rare
                continue;
            }
            g.off = o;
            g.len = dl;
            Inbound.Verdict v = inbound.fromUdp(g, s.localOuter());
            if (v == Inbound.Verdict.FORWARD) {
                espIn++;
                gro.add(b, g.off, g.len);
            } else if (v == Inbound.Verdict.IKE) {
                ikeRx++;
                if (ike != null) {
                    byte[] m = new byte[inbound.ikeLength()]; // control plane: allocation is fine
                    System.arraycopy(b, inbound.ikeOffset(), m, 0, m.length);
                    ike.ike(m, UdpGsoSocket.sender(b, SENDER_AT), sock == null ? 0 : sock.port());
                }
            }
        }
        gro.flush();
    }

    private void handOne(int owner, byte[] b, int off, int len) {
        if (len > pool.mtu()) {
            drops.inc(Drop.OVERSIZE);
            return;
        }
        Packet p = pool.take();
        if (p == null) {
            drops.inc(Drop.NO_BUFFER);
            return;
        }
        p.set(b, off, len, Packet.DEFAULT_HEADROOM);
        if (!peers[owner].offerReceived(p)) {
            pool.give(p);
            drops.inc(Drop.QUEUE_FULL);
        }
    }

    private int drainReceived() {
        int n = 0;
        Packet p;
        while (n < BIG_BATCH && (p = rxRuns.poll()) != null) {
            n++;
            receiveRun(p);
            bigPool.give(p);
        }
        int m = 0;
        // single packets wait in their queues while the TUN writer holds most buffers (back-pressure)
        while (m < BATCH && bigPool.available() >= BIG_RESERVE && (p = rx.poll()) != null) {
            m++;
            deliver(p, inbound.fromUdp(p, s.localOuter()));
        }
        boolean v4 = s.localOuter().length == 4; // the raw socket's family is the outer address's
        while (m < 2 * BATCH && bigPool.available() >= BIG_RESERVE && (p = rxRaw.poll()) != null) {
            m++;
            deliver(p, v4 ? inbound.fromIp(p) : inbound.fromEsp(p, s.localOuter()));
        }
        gro.flush();
        return n + m;
    }

    /** Coalesces a verified inner packet towards the TUN queue, and gives the buffer back in every case. */
    private void deliver(Packet p, Inbound.Verdict v) {
        if (v == Inbound.Verdict.FORWARD) {
            espIn++;
            gro.add(p.buf, p.off, p.len);
        }
        pool.give(p);
    }

    /**
     * GroCoalesce's sink. With several workers the decrypting worker passes the write to its partner
     * ({@link #tunWriter}), whose TUN queue it goes into: the write (the kernel forwards the packet and delivers
     * it on the receiving host within the call) then runs beside the next decryption. TUN flow steering sends the
     * reverse direction of those flows to the partner's queue, which also gives the outbound segmentation to the
     * partner and the encryption to the SA's owner.
     */
    private Packet toTun(Packet out, int len) {
        if (tunWriter != id) {
            Packet next = bigPool.take(); // reads and lay-outs leave BIG_RESERVE buffers for this
            if (next == null) {
                // Not written here: a write on this queue would also move the flow's other direction to this
                // queue (TUN flow steering) and reorder it against what the partner has in hand.
                drops.inc(Drop.NO_BUFFER);
                return out;
            }
            out.off = 0;
            out.len = len;
            if (!peers[tunWriter].offerTunWrite(out)) {
                bigPool.give(next);
                drops.inc(Drop.QUEUE_FULL);
                return out;
            }
            return next; // the coalescer's buffer itself went over: no copy
        }
        writeTun(out.buf, 0, len);
        return out;
    }

    private int drainTunTx() {
        int n = 0;
        Packet p;
        while (n < BIG_BATCH && (p = tunTx.poll()) != null) {
            n++;
            writeTun(p.buf, p.off, p.len);
            bigPool.give(p);
        }
        return n;
    }

    private void writeTun(byte[] b, int off, int len) {
        if (tun.writeWithHdr(b, off, len) > 0) {
            tunOut++;
        } else {
            drops.inc(Drop.NO_BUFFER);
        }
    }
}
