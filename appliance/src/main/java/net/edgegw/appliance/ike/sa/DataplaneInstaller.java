package net.edgegw.appliance.ike.sa;

import java.util.function.Consumer;
import net.edgegw.dataplane.sa.Direction;
import net.edgegw.dataplane.sa.Lifetime;
import net.edgegw.dataplane.sa.Mode;
import net.edgegw.dataplane.sa.SaConfig;
import net.edgegw.dataplane.sa.SaEvent;
import net.edgegw.dataplane.sa.SaEventListener;
import net.edgegw.dataplane.sa.Sad;
import net.edgegw.dataplane.sa.SecurityAssociation;
import net.edgegw.dataplane.spd.Action;
import net.edgegw.dataplane.spd.Policy;
import net.edgegw.dataplane.spd.Spd;

/**
 * The real {@link ChildSaInstaller}: a CHILD SA becomes an inbound and an outbound runtime SA in the data
 * plane's SAD (owned by a worker), and one PROTECT policy named after the outbound SPI that points at the
 * outbound SA. Tunnel mode, UDP-encapsulated on the NAT-T port when the IKE SA saw a NAT (RFC 3948), anti-replay
 * window 1024.
 */
public final class DataplaneInstaller implements ChildSaInstaller, SaEventListener {
    private final Sad sad;
    private final Spd spd;
    private final Consumer<SecurityAssociation> assign;

    /** {@code assign} gives a new SA its owning worker (the gateway passes {@code Forwarder::assign}). */
    private final java.util.Map<Integer, ChildSa> byInboundSpi = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<Integer, ChildSa> byOutboundSpi = new java.util.concurrent.ConcurrentHashMap<>();
    private Lifetime soft = Lifetime.NONE;
    private Lifetime hard = Lifetime.NONE;

    public DataplaneInstaller(Sad sad, Spd spd, Consumer<SecurityAssociation> assign) {
        this.sad = sad;
        this.spd = spd;
        this.assign = assign;
        sad.listener(this);
    }

    /** Soft and hard lifetimes given to every SA we install (the data plane raises events; none by default). */
    public void lifetimes(Lifetime soft, Lifetime hard) {
        this.soft = soft;
        this.hard = hard;
    }

    @Override
    public void poll() {
        sad.poll(); // calls onSaEvent on this (the table's) thread
    }

    @Override
    public void onSaEvent(SecurityAssociation sa, SaEvent event) {
        ChildSa c = sa.direction() == Direction.INBOUND ? byInboundSpi.get(sa.config.spi()) : byOutboundSpi.get(sa.config.spi());
        if (c == null) {
            return; // not one of ours, or already removed
        }
        if (event == SaEvent.HARD_EXPIRED) {
            c.hardExpired = true;
        } else {
            c.softExpired = true; // SOFT_EXPIRED or SEQ_EXHAUSTED: rekey
        }
    }

    static String policyName(ChildSa c) {
        return String.format("ike-%08x", c.spiOut);
    }

    @Override
    public void install(IkeSa ike, ChildSa c) {
        byte[] local = ike.config.local().getAddress().getAddress();
        byte[] remote = ike.peer.getAddress().getAddress();
        int peerPort = ike.natT ? ike.peer.getPort() : IkeConfig.NAT_T_PORT;
        SaConfig.Builder common = SaConfig.builder().mode(Mode.TUNNEL).suite(c.suite).esn(c.esn)
                .localTs(c.localTs).remoteTs(c.remoteTs).soft(soft).hard(hard);
        SaConfig in = common.spi(c.spiIn).direction(Direction.INBOUND).encKey(c.encIn)
                .authKey(c.suite.authKeyLen == 0 ? null : c.integIn).src(remote).dst(local)
                .udpEncap(ike.natDetected ? peerPort : 0, ike.natDetected ? IkeConfig.NAT_T_PORT : 0).build();
        SaConfig out = common.spi(c.spiOut).direction(Direction.OUTBOUND).encKey(c.encOut)
                .authKey(c.suite.authKeyLen == 0 ? null : c.integOut).src(local).dst(remote)
                .udpEncap(ike.natDetected ? IkeConfig.NAT_T_PORT : 0, ike.natDetected ? peerPort : 0).build();
        // both configurations are valid (their constructors checked); now all or nothing
        SecurityAssociation inSa = sad.install(in);
        try {
            assign.accept(inSa);
            SecurityAssociation outSa = sad.install(out);
            try {
                assign.accept(outSa);
                Policy p = new Policy(policyName(c), c.localTs, c.remoteTs, Action.PROTECT);
                p.outboundSa(outSa);
                // a rekeyed CHILD SA: the new policy goes first, so traffic moves to the new SA at once
                spd.add(0, p);
            } catch (RuntimeException e) {
                sad.remove(Direction.OUTBOUND, c.spiOut);
                throw e;
            }
        } catch (RuntimeException e) {
            sad.remove(Direction.INBOUND, c.spiIn);
            throw e;
        }
        c.installed = true;
        byInboundSpi.put(c.spiIn, c);
        byOutboundSpi.put(c.spiOut, c);
    }

    @Override
    public boolean spiInUse(int spi) {
        return sad.inbound(spi) != null;
    }

    @Override
    public long inboundPackets(ChildSa c) {
        SecurityAssociation in = sad.inbound(c.spiIn);
        return in == null ? 0 : in.counters.packets; // written by its worker; a late view only delays a check
    }

    @Override
    public void remove(IkeSa ike, ChildSa c) {
        if (!c.installed) {
            return;
        }
        spd.remove(policyName(c));
        sad.remove(Direction.OUTBOUND, c.spiOut);
        sad.remove(Direction.INBOUND, c.spiIn);
        byInboundSpi.remove(c.spiIn, c);
        byOutboundSpi.remove(c.spiOut, c);
        c.installed = false;
    }
}
