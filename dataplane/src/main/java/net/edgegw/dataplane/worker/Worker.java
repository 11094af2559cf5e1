package net.edgegw.dataplane.worker;

import com.sun.jna.Memory;
import io.netty.util.internal.PlatformDependent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Queue;
import net.edgegw.dataplane.io.raw.RawEspSocket;
import net.edgegw.dataplane.io.sys.Libc;
import net.edgegw.dataplane.io.tun.TunQueue;
import net.edgegw.dataplane.io.udp.UdpTransport;
import net.edgegw.dataplane.ipsec.Inbound;
import net.edgegw.dataplane.ipsec.Outbound;
import net.edgegw.dataplane.packet.Ipv4Header;
import net.edgegw.dataplane.packet.MssClamp;
import net.edgegw.dataplane.packet.NetworkOrder;
import net.edgegw.dataplane.packet.Packet;
import net.edgegw.dataplane.packet.TooBig;
import net.edgegw.dataplane.sa.SecurityAssociation;
import net.edgegw.dataplane.sa.Sad;
import net.edgegw.dataplane.spd.Spd;
import net.edgegw.dataplane.stats.Drop;
import net.edgegw.dataplane.stats.DropCounters;

/**
 * One forwarding thread: owns one TUN queue, its own {@link Outbound}/{@link Inbound} and drop counters, and
 * the SAs whose {@code worker} is its id (VPP style: one writer per SA, so sequence numbers and replay windows
 * need no lock).
 *
 * <pre>
 *   TUN queue --read batch--> SPD select --(SA owned here)--> ESP protect --> UDP write ... flush (or raw sendto)
 *                                        \--(other owner)---> owner's hand-off queue
 *   hand-off queue ---------------------------------------> ESP protect --> UDP write
 *   rx queue (from the UDP threads) --> ESP verify/decrypt --> TUN queue write
 *   raw rx queue (raw ESP reader) ----> IP + ESP verify/decrypt --> TUN queue write
 * </pre>
 *
 * Both queues are bounded MPSC arrays; a full queue is a counted QUEUE_FULL drop. The thread sleeps in poll(2)
 * on its TUN descriptor and an eventfd that producers signal when it is asleep.
 */
public final class Worker implements Runnable {
    /** Packets read from the TUN queue per batch, and queue entries drained per round. */
    public static final int BATCH = 64;
    public static final int QUEUE_CAPACITY = 1024;
    static final int IDLE_POLL_MILLIS = 100;

    /** What a worker needs to know about the gateway. */
    public record Settings(byte[] localOuter, int linkMtu, boolean mssClamp, byte[] icmpSrc4, byte[] icmpSrc6) {}

    public final int id;
    private final TunQueue tun;
    private final PacketPool pool;
    private final Forwarder fwd;
    private UdpTransport udp; // set when the thread starts
    private RawEspSocket.Sender rawTx; // set when the thread starts; null without a raw ESP socket
    private final Worker[] peers;
    private final Settings s;
    private final DropCounters drops = new DropCounters();
    private final Outbound outbound;
    private final Inbound inbound;
    private final Queue<Packet> rx = PlatformDependent.newFixedMpscQueue(QUEUE_CAPACITY);
    private final Queue<Packet> rxRaw = PlatformDependent.newFixedMpscQueue(QUEUE_CAPACITY);
    private final Queue<Packet> handoff = PlatformDependent.newFixedMpscQueue(QUEUE_CAPACITY);

    // wake-up: eventfd + poll(2) on { tun, eventfd }
    private final int eventFd;
    private final Memory one = new Memory(8);
    private final Memory scratch8 = new Memory(8);
    private final Memory pollFds = new Memory(2L * Libc.POLLFD_SIZE);
    private volatile boolean sleeping;
    private volatile boolean running = true;

    // batch state
    private final Packet[] batch = new Packet[BATCH];
    private final byte[][] bufs = new byte[BATCH][];
    private final int[] sizes = new int[BATCH];
    private boolean sendPending;
    private SecurityAssociation peerSa;
    private InetSocketAddress peerAddr;

    // counters: written by this thread only, read by the status logger
    public volatile long tunIn;
    public volatile long tunOut;
    public volatile long espOut;
    public volatile long espIn;
    public volatile long handedOff;

    Worker(int id, TunQueue tun, PacketPool pool, Forwarder fwd, Worker[] peers, Sad sad, Spd spd, Settings s) {
        this.id = id;
        this.tun = tun;
        this.pool = pool;
        this.fwd = fwd;
        this.peers = peers;
        this.s = s;
        this.outbound = new Outbound(spd, drops);
        this.inbound = new Inbound(sad, drops);
        this.eventFd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (eventFd < 0) {
            throw new IllegalStateException("eventfd: errno " + Libc.errno());
        }
        one.setLong(0, 1);
        pollFds.clear();
        pollFds.setInt(0, tun.fd());
        pollFds.setShort(4, Libc.POLLIN);
        pollFds.setInt(Libc.POLLFD_SIZE, eventFd);
        pollFds.setShort(Libc.POLLFD_SIZE + 4, Libc.POLLIN);
    }

    public DropCounters drops() {
        return drops;
    }

    /** Called by a UDP receive thread: an ESP datagram for an SA this worker owns. False when the queue is full. */
    boolean offerReceived(Packet p) {
        if (!rx.offer(p)) {
            return false;
        }
        wake();
        return true;
    }

    /**
     * Called by the raw ESP receive thread: an IPv4 packet with its header, or (IPv6 raw socket) the bare ESP
     * packet, for an SA this worker owns. False when the queue is full.
     */
    boolean offerReceivedRaw(Packet p) {
        if (!rxRaw.offer(p)) {
            return false;
        }
        wake();
        return true;
    }

    /** Called by another worker: an inner packet for an outbound SA this worker owns. */
    boolean offerHandoff(Packet p) {
        if (!handoff.offer(p)) {
            return false;
        }
        wake();
        return true;
    }

    private void wake() {
        if (sleeping) {
            Libc.write(eventFd, one, 8);
        }
    }

    void stop() {
        running = false;
        Libc.write(eventFd, one, 8);
    }

    @Override
    public void run() {
        udp = fwd.udp();
        RawEspSocket raw = fwd.raw();
        rawTx = raw == null ? null : raw.sender();
        try {
            while (running) {
                int work = readTun() + drainReceived() + drainHandoff();
                if (sendPending) {
                    udp.flush(id);
                    sendPending = false;
                }
                if (work == 0) {
                    idle();
                }
            }
        } finally {
            for (int i = 0; i < BATCH; i++) {
                if (batch[i] != null) {
                    pool.give(batch[i]);
                    batch[i] = null;
                }
            }
            Packet p;
            while ((p = rx.poll()) != null) {
                pool.give(p);
            }
            while ((p = rxRaw.poll()) != null) {
                pool.give(p);
            }
            while ((p = handoff.poll()) != null) {
                pool.give(p);
            }
            Libc.close(eventFd);
        }
    }

    private void idle() {
        sleeping = true;
        if (rx.isEmpty() && rxRaw.isEmpty() && handoff.isEmpty() && running) {
            Libc.poll(pollFds, 2, IDLE_POLL_MILLIS);
        }
        sleeping = false;
        Libc.read(eventFd, scratch8, 8); // reset the counter; EAGAIN when nobody signalled
    }

    // --- outbound: TUN -> ESP -> UDP ---

    private int readTun() {
        int want = 0;
        while (want < BATCH) {
            if (batch[want] == null) {
                Packet p = pool.take();
                if (p == null) {
                    break;
                }
                batch[want] = p;
                bufs[want] = p.buf;
            }
            want++;
        }
        if (want == 0) {
            return 0; // no buffer: the kernel keeps the packets queued (and drops when its queue overflows)
        }
        int n = tun.read(bufs, sizes, Packet.DEFAULT_HEADROOM, want);
        for (int i = 0; i < n; i++) {
            Packet p = batch[i];
            p.off = Packet.DEFAULT_HEADROOM;
            p.len = sizes[i];
            tunIn++;
            if (fromTun(p)) {
                batch[i] = null; // ownership moved to another worker
            }
        }
        return Math.max(n, 0);
    }

    /** Returns true if {@code p} was handed to another worker (do not reuse it). */
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
        int innerMtu = s.linkMtu() - sa.maxOverhead;
        if (p.len > innerMtu && tooBig(p, innerMtu)) {
            return false;
        }
        if (s.mssClamp()) {
            MssClamp.clamp(p, innerMtu);
        }
        if (sa.worker != id) {
            if (!peers[sa.worker].offerHandoff(p)) {
                drops.inc(Drop.QUEUE_FULL);
                return false;
            }
            handedOff++;
            return true;
        }
        protectAndSend(sa, p);
        return false;
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

    private int drainHandoff() {
        int n = 0;
        Packet p;
        while (n < BATCH && (p = handoff.poll()) != null) {
            n++;
            // Select again: the policy may point at a new SA since the hand-off (rekey).
            if (outbound.select(p) == Outbound.Verdict.PROTECTED) {
                SecurityAssociation sa = outbound.lastSa();
                if (sa.worker == id) {
                    protectAndSend(sa, p);
                } else {
                    drops.inc(Drop.NO_SA);
                }
            }
            pool.give(p);
        }
        return n;
    }

    private void protectAndSend(SecurityAssociation sa, Packet p) {
        if (sa.udpLen == 0 && (rawTx == null || sa.ah != null)) {
            drops.inc(Drop.UNSUPPORTED); // raw AH (IP protocol 51) has no socket yet
            return;
        }
        if (outbound.protect(sa, p) != Outbound.Verdict.PROTECTED) {
            return;
        }
        if (sa.udpLen == 0) {
            // Raw ESP: the kernel writes the outer IP header (RawEspSocket), we pass it what follows ours.
            int hl = (p.buf[p.off] & 0xf0) == 0x40 ? Ipv4Header.headerLen(p.buf, p.off) : sa.outerIpLen;
            if (rawTx.send(p.buf, p.off + hl, p.len - hl, sa.config.dst()) < 0) {
                drops.inc(Drop.TX_ERROR);
                return;
            }
            espOut++;
            return;
        }
        int hdr = sa.outerIpLen + sa.udpLen;
        udp.write(id, p.buf, p.off + hdr, p.len - hdr, peer(sa));
        sendPending = true;
        espOut++;
    }

    private InetSocketAddress peer(SecurityAssociation sa) {
        if (sa != peerSa) {
            try {
                peerAddr = new InetSocketAddress(InetAddress.getByAddress(sa.config.dst()), sa.config.encapDstPort());
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // 4 or 16 bytes, checked by SaConfig
            }
            peerSa = sa;
        }
        return peerAddr;
    }

    // --- inbound: UDP or raw IP -> ESP -> TUN ---

    private int drainReceived() {
        int n = 0;
        Packet p;
        while (n < BATCH && (p = rx.poll()) != null) {
            n++;
            deliver(p, inbound.fromUdp(p, s.localOuter()));
        }
        int m = 0;
        boolean v4 = s.localOuter().length == 4; // the raw socket's family is the outer address's
        while (m < BATCH && (p = rxRaw.poll()) != null) {
            m++;
            deliver(p, v4 ? inbound.fromIp(p) : inbound.fromEsp(p, s.localOuter()));
        }
        return n + m;
    }

    /** Writes a verified inner packet to the TUN queue, and gives the buffer back in every case. */
    private void deliver(Packet p, Inbound.Verdict v) {
        if (v == Inbound.Verdict.FORWARD) {
            espIn++;
            if (tun.write(p.buf, p.off, p.len) > 0) {
                tunOut++;
            } else {
                drops.inc(Drop.NO_BUFFER);
            }
        }
        pool.give(p);
    }
}
