package net.edgegw.dataplane.sa;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import net.edgegw.dataplane.ah.AhTransform;
import net.edgegw.dataplane.esp.EspTransform;
import net.edgegw.dataplane.packet.Ipv4Header;
import net.edgegw.dataplane.packet.Ipv6Header;
import net.edgegw.dataplane.replay.ReplayWindow;
import net.edgegw.dataplane.encap.UdpEncap;

/**
 * The runtime form of an SA (VPP style): the immutable {@link SaConfig}, a keyed transform, lengths computed
 * once, and the per-packet state (sequence counter or replay window, counters, lifetime). One worker owns an
 * SA and is the only thread that touches its per-packet state; the transform's cipher objects are that
 * worker's too.
 */
public final class SecurityAssociation {
    // RFC 4303 §3.3.3: without ESN the counter must not cycle past 2^32 - 1. With ESN the limit is 2^64 - 1;
    // we stop at 2^63 - 1 (a long), which no SA reaches (3,000 years at 100 Mpps).
    static final long SEQ_LIMIT_32 = 0xffffffffL;
    static final long SEQ_LIMIT_64 = Long.MAX_VALUE;

    private static final int EV_SOFT = 1 << SaEvent.SOFT_EXPIRED.ordinal();
    private static final int EV_HARD = 1 << SaEvent.HARD_EXPIRED.ordinal();
    private static final int EV_SEQ = 1 << SaEvent.SEQ_EXHAUSTED.ordinal();
    private static final VarHandle PENDING;

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(SecurityAssociation.class, "pendingEvents", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public final SaConfig config;
    public final int spi;
    public final boolean esn;
    public final EspTransform esp;
    public final AhTransform ah;
    public final ReplayWindow replay;
    public final SaCounters counters = new SaCounters();

    /** Outer IP header length (20 or 40). */
    public final int outerIpLen;
    /** UDP header length when encapsulated (8), else 0. */
    public final int udpLen;
    /** ESP header + IV, or the AH header with its ICV and padding. */
    public final int protoHeaderLen;
    /** The configured destination is all zeros: inbound packets to any of our addresses match. */
    public final boolean anyDestination;
        /** The most bytes this SA adds to an inner packet (tunnel mode), for MTU computation. */
    public final int maxOverhead;

    private final long seqLimit;
    private final long softBytes;
    private final long softPackets;
    private final long hardBytes;
    private final long hardPackets;
    private final long softNanos;
    private final long hardNanos;
    private final long createdNanos;

    /** Outbound: the last sequence number used. */
    private long seq;
    private volatile boolean expired;
    @SuppressWarnings("unused") // written through PENDING
    private volatile int pendingEvents;
    private int deliveredEvents; // housekeeping thread only
    /** The worker that owns this SA (set at install by the forwarding layer; 0 when single-threaded). */
    public volatile int worker;

    public SecurityAssociation(SaConfig config, long nowNanos) {
        this.config = config;
        this.spi = config.spi();
        this.esn = config.esn();
        Suite s = config.suite();
        if (s.isAh()) {
            this.ah = new AhTransform(config);
            this.esp = null;
            this.protoHeaderLen = ah.headerLen(config.ipv6Outer());
        } else {
            this.esp = EspTransform.create(config);
            this.ah = null;
            this.protoHeaderLen = 8 + s.ivLen;
        }
        boolean zero = true;
        for (byte x : config.dst()) {
            zero &= x == 0;
        }
        this.anyDestination = zero;
        this.replay = config.direction() == Direction.INBOUND ? new ReplayWindow(config.replayWindow(), esn) : null;
        this.outerIpLen = config.ipv6Outer() ? Ipv6Header.LEN : Ipv4Header.MIN_LEN;
        this.udpLen = config.udpEncapsulated() ? UdpEncap.UDP_HEADER_LEN : 0;
        int trailer = s.isAh() ? 0 : (s.align - 1) + 2 + s.icvLen; // worst-case padding + pad length + NH + ICV
        this.maxOverhead = (config.mode() == Mode.TUNNEL ? outerIpLen : 0) + udpLen + protoHeaderLen + trailer;
        this.seqLimit = esn ? SEQ_LIMIT_64 : SEQ_LIMIT_32;
        this.seq = config.initialSeq();
        this.hardBytes = config.hard().bytesLimit();
        this.hardPackets = config.hard().packetsLimit();
        // A soft limit never lies beyond its hard one (RFC 4301 §4.4.2.1), so account() can test the hard
        // limits only once a soft one is reached — also when only a hard limit is configured.
        this.softBytes = Math.min(config.soft().bytesLimit(), hardBytes);
        this.softPackets = Math.min(config.soft().packetsLimit(), hardPackets);
        this.softNanos = config.soft().nanosLimit();
        this.hardNanos = config.hard().nanosLimit();
        this.createdNanos = nowNanos;
    }

    public Direction direction() {
        return config.direction();
    }

    public Mode mode() {
        return config.mode();
    }

    /** The last sequence number sent (outbound). */
    public long seq() {
        return seq;
    }

    /**
     * The next outbound sequence number, or -1 when the counter would cycle: the SA then stops sending and
     * asks for a rekey (RFC 4303 §3.3.3).
     */
    public long nextSeq() {
        if (seq >= seqLimit) {
            raise(EV_SEQ);
            return -1;
        }
        return ++seq;
    }

    /** False once the hard lifetime passed or the SA was removed: drop its traffic. */
    public boolean usable() {
        return !expired;
    }

    /**
     * Counts one packet of {@code innerBytes} against the lifetimes.
     *
     * @return false if this packet crossed the hard limit (the SA is now expired; drop it)
     */
    public boolean account(int innerBytes) {
        long p = ++counters.packets;
        long b = counters.bytes += innerBytes;
        if (p >= softPackets || b >= softBytes) {
            if (p >= hardPackets || b >= hardBytes) {
                expired = true;
                raise(EV_HARD);
                return p <= hardPackets && b <= hardBytes;
            }
            raise(EV_SOFT);
        }
        return true;
    }

    private void raise(int bit) {
        if ((pendingEvents & bit) == 0) { // volatile read first: the atomic op runs once per event, not per packet
            PENDING.getAndBitwiseOr(this, bit);
        }
    }

    /** Marks the SA dead (removed or replaced); workers drop what still arrives for it. */
    void kill() {
        expired = true;
    }

    /**
     * Housekeeping: checks time lifetimes and hands each event to the listener exactly once.
     * Called from one control-plane thread only.
     */
    void poll(long nowNanos, SaEventListener listener) {
        long age = nowNanos - createdNanos;
        if (age >= softNanos) {
            raise(EV_SOFT);
        }
        if (age >= hardNanos) {
            expired = true;
            raise(EV_HARD);
        }
        int fresh = pendingEvents & ~deliveredEvents;
        if (fresh == 0 || listener == null) {
            return; // without a listener the events stay pending until one is set
        }
        deliveredEvents |= fresh;
        for (SaEvent ev : SaEvent.values()) {
            if ((fresh & (1 << ev.ordinal())) != 0) {
                listener.onSaEvent(this, ev);
            }
        }
    }

    @Override
    public String toString() {
        return config.toString();
    }
}
