package net.edgegw.appliance.ike.sa;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.codec.IkeCodec;
import net.edgegw.appliance.ike.message.ExchangeType;
import net.edgegw.appliance.ike.message.IkeHeader;
import net.edgegw.appliance.ike.task.ChildCreate;
import net.edgegw.appliance.ike.task.ChildDelete;
import net.edgegw.appliance.ike.task.IkeAuth;
import net.edgegw.appliance.ike.task.IkeDelete;
import net.edgegw.appliance.ike.task.IkeInit;
import net.edgegw.appliance.ike.task.IkeRekey;

/**
 * The IKE SAs of this gateway, found by our SPI, and the entry point for received IKE datagrams and timers.
 * A new IKE_SA_INIT request creates a responder SA for the configuration whose remote address matches the
 * sender; a retransmitted one reaches the half-open SA it created (matched by peer and SPIi). Malformed
 * datagrams are counted and dropped here. Single-threaded: the gateway calls it from one thread.
 */
public final class IkeSaTable {
    private final List<IkeConfig> configs;
    private final IkeContext ctx;
    private final Map<Long, IkeSa> bySpi = new HashMap<>();
    private final Map<String, IkeSa> halfOpen = new HashMap<>();

    public final LongAdder malformed = new LongAdder();
    public final LongAdder unknownSpi = new LongAdder();
    public final LongAdder noConfig = new LongAdder();

    public IkeSaTable(List<IkeConfig> configs, IkeContext ctx) {
        this.configs = List.copyOf(configs);
        this.ctx = ctx;
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
            malformed.increment();
            return;
        }
        IkeSa sa;
        if (h.exchange() == ExchangeType.IKE_SA_INIT && !h.isResponse() && h.spiR() == 0) {
            String key = from + "/" + h.spiI();
            sa = halfOpen.get(key);
            if (sa == null || sa.state == IkeSa.State.DEAD) {
                IkeConfig cfg = configFor(from);
                if (cfg == null) {
                    noConfig.increment();
                    return;
                }
                sa = new IkeSa(cfg, ctx, false, h.spiI(), newSpi(), from);
                add(sa);
                halfOpen.put(key, sa);
            }
        } else {
            sa = bySpi.get(h.fromInitiator() ? h.spiR() : h.spiI());
            if (sa == null || (h.fromInitiator() ? sa.spiI != h.spiI() : false)) {
                unknownSpi.increment();
                return;
            }
        }
        sa.receive(h, msg, from, localPort);
        reap();
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
            }
        }
    }

    /** Rekeys an IKE SA (§2.18). */
    public void rekey(IkeSa sa) {
        sa.queue(new IkeRekey(sa, true));
    }

    private IkeConfig configFor(InetSocketAddress from) {
        for (IkeConfig c : configs) {
            if (c.remote().getAddress().equals(from.getAddress())) {
                return c;
            }
        }
        return null;
    }

    /** Timers of every SA (retransmission, liveness); call a few times a second. */
    public void tick() {
        for (IkeSa sa : new ArrayList<>(bySpi.values())) {
            sa.tick();
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
