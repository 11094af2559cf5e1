package net.edgegw.appliance.ike.sa;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.codec.IkeCodec;
import net.edgegw.appliance.ike.message.ExchangeType;
import net.edgegw.appliance.ike.message.IkeHeader;
import net.edgegw.appliance.ike.message.IkeMessage;
import net.edgegw.appliance.ike.message.NoncePayload;
import net.edgegw.appliance.ike.message.NotifyPayload;
import net.edgegw.appliance.ike.message.NotifyType;
import net.edgegw.appliance.ike.message.Payload;
import net.edgegw.appliance.ike.task.ChildCreate;
import net.edgegw.appliance.ike.task.ChildDelete;
import net.edgegw.appliance.ike.task.IkeAuth;
import net.edgegw.appliance.ike.task.IkeDelete;
import net.edgegw.appliance.ike.task.IkeInit;
import net.edgegw.appliance.ike.task.IkeRekey;

/**
 * The IKE SAs of this gateway, found by our SPI, and the entry point for received IKE datagrams and timers.
 * A new IKE_SA_INIT request creates a responder SA for the configuration whose remote address matches the
 * sender; a retransmitted one reaches the half-open SA it created (matched by peer and SPIi). With many
 * half-open SAs a new initiator must first return a stateless COOKIE (RFC 7296 §2.6). Malformed datagrams are
 * counted and dropped here. Single-threaded: the gateway calls it from one thread.
 */
public final class IkeSaTable {
    private final IkeContext ctx;
    private final Map<Long, IkeSa> bySpi = new HashMap<>();
    private final Map<String, IkeSa> halfOpen = new HashMap<>();
    /** The configuration for a peer address (the first one listed wins). */
    private final List<IkeConfig> configs;
    /** The first configuration per peer address (a responder finds its config by the sender's address). */
    private final Map<java.net.InetAddress, IkeConfig> byPeer = new HashMap<>();

    /** Our default: cookies are asked for once this many responder SAs are half-open. */
    public static final int DEFAULT_COOKIE_THRESHOLD = 16;

    /**
     * Our hard cap on half-open responder SAs: a peer that answers our cookies (it owns its address) could still
     * make us keep one SA with a key share per new SPIi; beyond this many, new IKE_SA_INIT requests are dropped
     * until half-open ones complete or time out (RFC 7296 §2.6 leaves the limit to the implementation).
     */
    public static final int DEFAULT_HALF_OPEN_LIMIT = 1024;

    private int cookieThreshold = DEFAULT_COOKIE_THRESHOLD;
    private int halfOpenLimit = DEFAULT_HALF_OPEN_LIMIT;
    private DpdAction dpdAction = DpdAction.CLEAR;
    private final byte[] cookieSecret = new byte[32];


    public IkeSaTable(List<IkeConfig> configs, IkeContext ctx) {
        this.configs = new ArrayList<>(configs);
        indexPeers();
        this.ctx = ctx;
        ctx.rnd().nextBytes(cookieSecret);
    }

    /** What this engine counted so far (its context's counters). */
    public IkeCounters counters() {
        return ctx.counters();
    }

    /** From how many half-open responder SAs on a new IKE_SA_INIT must carry our COOKIE (0 = always). */
    public void cookieThreshold(int n) {
        cookieThreshold = n;
    }

    /** Accepts IKE_SA_INIT from {@code cfg}'s peer from now on (the daemon adds connections while running). */
    public void addPeer(IkeConfig cfg) {
        configs.add(cfg);
        indexPeers();
    }

    /**
     * Forgets {@code cfg}: no new responder SA for it, and each of its IKE SAs is deleted (one Delete each, not
     * awaited); returns those SAs so the caller can {@link IkeSa#die} the ones the peer never answers.
     */
    public List<IkeSa> removePeer(IkeConfig cfg) {
        configs.remove(cfg);
        indexPeers();
        List<IkeSa> out = new ArrayList<>();
        for (IkeSa sa : list()) {
            if (sa.config == cfg && sa.state != IkeSa.State.DEAD) {
                if (sa.state == IkeSa.State.ESTABLISHED) {
                    delete(sa);
                } else {
                    sa.die();
                }
                out.add(sa);
            }
        }
        reap();
        return out;
    }

    /** At most this many half-open responder SAs; further new IKE_SA_INIT requests are counted and dropped. */
    public void halfOpenLimit(int n) {
        halfOpenLimit = n;
    }

    /** What to do when an established IKE SA's peer stops answering (default {@link DpdAction#CLEAR}). */
    public void dpdAction(DpdAction a) {
        dpdAction = a;
    }

    /** Responder SAs created by an IKE_SA_INIT request and not yet established. */
    public int halfOpenCount() {
        return halfOpen.size();
    }

    private void indexPeers() {
        byPeer.clear();
        for (IkeConfig c : configs) {
            byPeer.putIfAbsent(c.remote().getAddress(), c);
        }
    }

    /** Starts IKE_SA_INIT + IKE_AUTH (with its CHILD SA) towards {@code cfg}'s peer. */
    public IkeSa initiate(IkeConfig cfg) {
        IkeSa sa = new IkeSa(cfg, ctx, true, newSpi(), 0, cfg.remote());
        add(sa);
        sa.queue(new IkeInit(sa, true));
        sa.queue(new IkeAuth(sa, true), ChildCreate.inIkeAuth(sa));
        return sa;
    }

    /** One received datagram (without the non-ESP marker), from {@code from}, on our {@code localPort}. */
    public void receive(byte[] msg, InetSocketAddress from, int localPort) {
        IkeHeader h;
        try {
            h = IkeCodec.decodeHeader(msg);
        } catch (IkeProtocolException e) {
            ctx.counters().bump(IkeCounter.IKE_MALFORMED);
            return;
        }
        IkeSa sa;
        if (h.exchange() == ExchangeType.IKE_SA_INIT && !h.isResponse() && h.spiR() == 0) {
            String key = from + "/" + h.spiI();
            sa = halfOpen.get(key);
            if (sa == null || sa.state == IkeSa.State.DEAD) {
                IkeConfig cfg = configFor(from);
                if (cfg == null) {
                    ctx.counters().bump(IkeCounter.IKE_NO_CONFIG);
                    return;
                }
                if (halfOpen.size() >= cookieThreshold && !cookieOk(h, msg, from, localPort)) {
                    return;
                }
                if (halfOpen.size() >= halfOpenLimit) {
                    ctx.counters().bump(IkeCounter.IKE_HALF_OPEN_DROPPED);
                    return;
                }
                sa = new IkeSa(cfg, ctx, false, h.spiI(), newSpi(), from);
                add(sa);
                sa.halfOpenKey = key;
                halfOpen.put(key, sa);
            }
        } else {
            // our SPI is the half of the header written by our side: SPIr when the original initiator sent it
            sa = bySpi.get(h.fromInitiator() ? h.spiR() : h.spiI());
            if (sa == null || (h.fromInitiator() && sa.spiI != h.spiI())) {
                ctx.counters().bump(IkeCounter.IKE_UNKNOWN_SPI);
                return;
            }
        }
        sa.receive(h, msg, from, localPort);
        settle(sa); // only this SA changed (INITIAL_CONTACT settles the ones it ends): no walk over the table
    }

    /** Drops {@code sa} from the half-open set once it is no longer connecting, and from the table once dead. */
    private void settle(IkeSa sa) {
        if (sa.state != IkeSa.State.CONNECTING && sa.halfOpenKey != null) {
            halfOpen.remove(sa.halfOpenKey, sa);
            sa.halfOpenKey = null;
        }
        if (sa.state == IkeSa.State.DEAD) {
            bySpi.remove(sa.localSpi(), sa);
        }
    }

    /**
     * §2.6: true if the request starts with our cookie for (Ni, IPi, SPIi); otherwise answers statelessly with
     * {@code N(COOKIE)} and returns false. Cookie = SHA-256(Ni | IPi | SPIi | secret).
     */
    private boolean cookieOk(IkeHeader h, byte[] msg, InetSocketAddress from, int localPort) {
        IkeMessage m;
        try {
            m = IkeCodec.decode(msg, null);
        } catch (IkeProtocolException e) {
            ctx.counters().bump(IkeCounter.IKE_MALFORMED);
            return false;
        }
        NoncePayload ni = m.get(NoncePayload.class);
        if (ni == null) {
            ctx.counters().bump(IkeCounter.IKE_MALFORMED);
            return false;
        }
        byte[] cookie;
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(ni.data());
            md.update(from.getAddress().getAddress());
            md.update(java.nio.ByteBuffer.allocate(8).putLong(h.spiI()).array());
            md.update(cookieSecret);
            cookie = md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
        List<Payload> ps = m.payloads();
        if (!ps.isEmpty() && ps.get(0) instanceof NotifyPayload n && n.notifyType() == NotifyType.COOKIE.value()
                && MessageDigest.isEqual(n.data(), cookie)) {
            return true;
        }
        IkeMessage answer = new IkeMessage(h.spiI(), 0, ExchangeType.IKE_SA_INIT, IkeHeader.FLAG_RESPONSE, 0, false,
                List.of(NotifyPayload.of(NotifyType.COOKIE, cookie)));
        ctx.sender().send(IkeCodec.encode(answer, null), from, localPort == IkeConfig.NAT_T_PORT);
        ctx.counters().bump(IkeCounter.IKE_COOKIES_SENT);
        return false;
    }

    private void add(IkeSa sa) {
        sa.adopt = this::add;
        sa.initialContact = this::initialContact;
        bySpi.put(sa.localSpi(), sa);
    }

    private void initialContact(IkeSa fresh) {
        for (IkeSa other : list()) {
            if (other != fresh && other.config == fresh.config && other.state != IkeSa.State.DEAD) {
                other.log("replaced by " + fresh + " (INITIAL_CONTACT)");
                other.die();
                settle(other);
            }
        }
    }

    /** Rekeys an IKE SA (§2.18). */
    public void rekey(IkeSa sa) {
        sa.queue(new IkeRekey(sa, true));
    }

    private IkeConfig configFor(InetSocketAddress from) {
        return byPeer.get(from.getAddress());
    }

    /** Timers of every SA (retransmission, liveness); call a few times a second. */
    public void tick() {
        ctx.installer().poll(); // lifetime events from the data plane first: they may queue rekeys below
        for (IkeSa sa : new ArrayList<>(bySpi.values())) {
            sa.tick();
            if (sa.state == IkeSa.State.DEAD && sa.peerDead && dpdAction == DpdAction.RESTART) {
                sa.log("peer dead: restarting");
                initiate(sa.config);
            }
        }
        reap();
    }

    /** Deletes an IKE SA with an INFORMATIONAL exchange (§1.4.1). */
    public void delete(IkeSa sa) {
        sa.queue(new IkeDelete(sa, true));
    }

    /** Deletes one CHILD SA of an IKE SA. */
    public void delete(IkeSa sa, ChildSa child) {
        sa.queue(ChildDelete.initiator(sa, child));
    }

    /** Rekeys a CHILD SA: a new one in CREATE_CHILD_SA, then the old one is deleted (§2.8). */
    public void rekey(IkeSa sa, ChildSa child) {
        sa.queue(ChildCreate.createChildSa(sa, child));
    }

    public List<IkeSa> list() {
        return new ArrayList<>(bySpi.values());
    }

    private void reap() {
        bySpi.values().removeIf(s -> s.state == IkeSa.State.DEAD);
        halfOpen.values().removeIf(s -> s.state == IkeSa.State.DEAD || s.state == IkeSa.State.ESTABLISHED);
    }

    private long newSpi() {
        long s;
        do {
            s = ctx.rnd().nextLong();
        } while (s == 0 || bySpi.containsKey(s));
        return s;
    }

    /** Deletes every IKE SA (at shutdown) and removes their CHILD SAs right away. */
    public void shutdown() {
        for (IkeSa sa : list()) {
            sa.die();
        }
        reap();
    }
}
