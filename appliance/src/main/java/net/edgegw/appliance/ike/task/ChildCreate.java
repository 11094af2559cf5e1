package net.edgegw.appliance.ike.task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.crypto.ChildKeys;
import net.edgegw.appliance.ike.crypto.KeyExchange;
import net.edgegw.appliance.ike.message.ExchangeType;
import net.edgegw.appliance.ike.message.IkeMessage;
import net.edgegw.appliance.ike.message.KePayload;
import net.edgegw.appliance.ike.message.NoncePayload;
import net.edgegw.appliance.ike.message.NotifyPayload;
import net.edgegw.appliance.ike.message.NotifyType;
import net.edgegw.appliance.ike.message.PayloadType;
import net.edgegw.appliance.ike.message.Proposal;
import net.edgegw.appliance.ike.message.ProtocolId;
import net.edgegw.appliance.ike.message.SaPayload;
import net.edgegw.appliance.ike.message.TransformType;
import net.edgegw.appliance.ike.message.TsPayload;
import net.edgegw.appliance.ike.sa.ChildSa;
import net.edgegw.appliance.ike.sa.IkeCounter;
import net.edgegw.appliance.ike.sa.IkeSa;
import net.edgegw.appliance.ike.sa.Proposals;
import net.edgegw.dataplane.sa.Suite;
import net.edgegw.dataplane.spd.TrafficSelector;

/**
 * Creates a CHILD SA: inside IKE_AUTH (nonces and keys of the IKE SA) or as CREATE_CHILD_SA (own nonces,
 * optional KE for PFS, {@code N(REKEY_SA)} when it replaces an existing CHILD SA).
 *
 * <pre>
 * IKE_AUTH          ... SAi2, TSi, TSr  -->   <--  ... SAr2, TSi, TSr
 * CREATE_CHILD_SA   HDR, SK {[N(REKEY_SA)], SA, Ni, [KEi], TSi, TSr}  -->
 *                                   <--  HDR, SK {SA, Nr, [KEr], TSi, TSr}
 * </pre>
 * As responder it narrows the proposed selectors to the configured ones (§2.9) and answers
 * {@code N(NO_PROPOSAL_CHOSEN)} or {@code N(TS_UNACCEPTABLE)} without failing the IKE SA. The rekey initiator
 * deletes the replaced CHILD SA once the new one is installed (§2.8).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-1.3">RFC 7296 §1.3, §2.9, §2.17</a>
 */
public final class ChildCreate extends IkeTask {
    private final ExchangeType exchange;
    private final ChildSa rekeyed;
    private int spiIn;
    private byte[] nonceI;
    private byte[] nonceR;
    private KeyExchange ke;
    private int pfsGroup;
    // responder results
    private Proposal chosen;
    private List<TrafficSelector> tsi;
    private List<TrafficSelector> tsr;
    private int error;
    private ChildSa created;
    /** The CHILD SA the new one replaces (ours to rekey, or named by the peer's N(REKEY_SA)), or null. */
    private ChildSa replacing;

    private ChildCreate(IkeSa sa, boolean initiator, ExchangeType exchange, ChildSa rekeyed) {
        super(sa, initiator);
        this.exchange = exchange;
        this.rekeyed = rekeyed;
        this.replacing = rekeyed;
    }

    /** The CHILD SA that comes with IKE_AUTH. */
    public static ChildCreate inIkeAuth(IkeSa sa) {
        return new ChildCreate(sa, true, ExchangeType.IKE_AUTH, null);
    }

    /** A CREATE_CHILD_SA exchange we initiate; {@code rekeyed} is the CHILD SA it replaces, or null. */
    public static ChildCreate createChildSa(IkeSa sa, ChildSa rekeyed) {
        return new ChildCreate(sa, true, ExchangeType.CREATE_CHILD_SA, rekeyed);
    }

    public static ChildCreate responder(IkeSa sa) {
        return new ChildCreate(sa, false, null, null);
    }

    @Override
    public ExchangeType exchange() {
        return exchange;
    }

    /** The CHILD SA this task installed, or null. */
    public ChildSa created() {
        return created;
    }

    @Override
    public void build(IkeMessage m) throws IkeProtocolException {
        boolean ccsa = m.exchange == ExchangeType.CREATE_CHILD_SA;
        if (initiator) {
            spiIn = sa.newChildSpi();
            if (rekeyed != null) {
                m.add(new NotifyPayload(ProtocolId.ESP.value(), spi(rekeyed.spiIn), NotifyType.REKEY_SA.value(),
                        new byte[0]));
                rekeyed.rekeyInitiated = true;
                rekeyed.collisionLowestNonce = null;
            }
            m.add(new SaPayload(Proposals.withSpi(sa.config.espProposals(), spi(spiIn))));
            if (ccsa) {
                nonceI = random();
                m.add(new NoncePayload(nonceI));
                pfsGroup = Proposals.id(sa.config.espProposals().get(0), TransformType.DH, 0);
                if (pfsGroup != 0) {
                    ke = KeyExchange.create(pfsGroup, sa.ctx.rnd());
                    m.add(new KePayload(pfsGroup, ke.publicValue()));
                }
            }
            m.add(new TsPayload(true, sa.config.localTs()));
            m.add(new TsPayload(false, sa.config.remoteTs()));
            return;
        }
        if (sa.state != IkeSa.State.ESTABLISHED) {
            return; // IKE_AUTH failed: IkeAuth's error is the answer
        }
        if (error != 0) {
            m.add(NotifyPayload.error(error));
            return;
        }
        m.add(new SaPayload(List.of(new Proposal(chosen.number(), ProtocolId.ESP, spi(spiIn), chosen.transforms()))));
        if (ccsa) {
            m.add(new NoncePayload(nonceR));
            if (ke != null) {
                m.add(new KePayload(ke.group(), ke.publicValue()));
            }
        }
        m.add(new TsPayload(true, tsi));
        m.add(new TsPayload(false, tsr));
    }

    @Override
    public Status process(IkeMessage m) throws IkeProtocolException {
        if (initiator) {
            processResponse(m);
        } else {
            try {
                processRequest(m);
            } catch (IkeProtocolException e) {
                if (m.exchange != ExchangeType.IKE_AUTH) {
                    throw e;
                }
                // §2.21.3 (IKE_AUTH): the IKE SA stands, the CHILD SA fails with this notify
                sa.log("CHILD SA refused: " + e.getMessage());
                sa.count(IkeCounter.IKE_AUTH_FAILURES); // we refused the peer's CHILD SA: no tunnel
                error = e.notifyType();
            }
        }
        return Status.DONE;
    }

    private void processRequest(IkeMessage m) throws IkeProtocolException {
        SaPayload sai = m.get(SaPayload.class);
        TsPayload ti = (TsPayload) m.get(PayloadType.TSI);
        TsPayload tr = (TsPayload) m.get(PayloadType.TSR);
        if (m.exchange == ExchangeType.IKE_AUTH && sa.state != IkeSa.State.ESTABLISHED) {
            return;
        }
        if (sai == null || ti == null || tr == null) {
            throw new IkeProtocolException(IkeProtocolException.INVALID_SYNTAX, "no SA, TSi or TSr");
        }
        chosen = Proposals.select(sa.config.espProposals(), sai.proposals());
        Suite suite = chosen == null ? null : ChildSa.suiteOf(chosen);
        if (suite == null) {
            throw new IkeProtocolException(IkeProtocolException.NO_PROPOSAL_CHOSEN, "no acceptable ESP proposal");
        }
        // §2.9: TSi is the initiator's (our remote) side, TSr ours; narrow each to what we have configured
        tsi = narrow(ti.selectors(), sa.config.remoteTs());
        tsr = narrow(tr.selectors(), sa.config.localTs());
        if (tsi.isEmpty() || tsr.isEmpty()) {
            throw new IkeProtocolException(IkeProtocolException.TS_UNACCEPTABLE,
                    "proposed " + ti.selectors() + " === " + tr.selectors() + " outside our " + sa.config.remoteTs()
                            + " === " + sa.config.localTs());
        }
        byte[] gir = null;
        if (m.exchange == ExchangeType.CREATE_CHILD_SA) {
            NoncePayload n = m.get(NoncePayload.class);
            if (n == null) {
                throw new IkeProtocolException(IkeProtocolException.INVALID_SYNTAX, "CREATE_CHILD_SA without Nonce");
            }
            nonceI = n.data();
            nonceR = random();
            int dh = Proposals.id(chosen, TransformType.DH, 0);
            if (dh != 0) {
                KePayload kei = m.get(KePayload.class);
                if (kei == null || kei.group() != dh) {
                    throw new IkeProtocolException(IkeProtocolException.INVALID_KE_PAYLOAD, "PFS group " + dh);
                }
                ke = KeyExchange.create(dh, sa.ctx.rnd());
                gir = ke.sharedSecret(kei.data());
            }
        } else {
            nonceI = sa.ni;
            nonceR = sa.nr;
        }
        NotifyPayload rekey = m.notify(NotifyType.REKEY_SA);
        if (rekey != null && rekey.spi().length == 4) {
            ChildSa old = sa.childByOutboundSpi(Proposal.spi32(rekey.spi()));
            if (old != null) {
                replacing = old;
                old.rekeyQueued = true; // the peer replaces it and will delete it (§2.8); our timer leaves it
                if (old.rekeyInitiated) {
                    // §2.8.1: both ends rekey it at once; remember this exchange's lowest nonce for when ours ends
                    old.collisionLowestNonce = ChildSa.lowest(nonceI, nonceR);
                    sa.log("CHILD SA rekey collision on " + old);
                }
            }
        }
        spiIn = sa.newChildSpi();
        install(suite, chosen, chosen.spi32(), gir, tsr, tsi, false);
    }

    private void processResponse(IkeMessage m) throws IkeProtocolException {
        if (sa.state != IkeSa.State.ESTABLISHED) {
            return;
        }
        NotifyPayload err = m.firstError();
        SaPayload sar = m.get(SaPayload.class);
        if (err != null || sar == null) {
            sa.log("CHILD SA not created: " + (err != null ? err : "no SA payload"));
            if (m.exchange == ExchangeType.IKE_AUTH) {
                sa.count(IkeCounter.IKE_AUTH_FAILURES); // the peer refused our CHILD SA: no tunnel
            }
            return; // the IKE SA stays (§1.3: a failed CHILD SA does not take it down)
        }
        TsPayload ti = (TsPayload) m.get(PayloadType.TSI);
        TsPayload tr = (TsPayload) m.get(PayloadType.TSR);
        Proposal c = sar.proposals().size() == 1 ? sar.proposals().get(0) : null;
        Suite suite = c == null || !Proposals.acceptable(sa.config.espProposals(), c) ? null : ChildSa.suiteOf(c);
        if (suite == null || ti == null || tr == null || c.spi().length != 4) {
            throw new IkeProtocolException(IkeProtocolException.NO_PROPOSAL_CHOSEN, "unacceptable SA " + sar);
        }
        byte[] gir = null;
        if (m.exchange == ExchangeType.CREATE_CHILD_SA) {
            NoncePayload n = m.get(NoncePayload.class);
            if (n == null) {
                throw new IkeProtocolException(IkeProtocolException.INVALID_SYNTAX, "no Nr");
            }
            nonceR = n.data();
            if (ke != null) {
                KePayload ker = m.get(KePayload.class);
                if (ker == null || ker.group() != pfsGroup) {
                    throw new IkeProtocolException(IkeProtocolException.INVALID_SYNTAX, "no KEr for PFS");
                }
                gir = ke.sharedSecret(ker.data());
            }
        } else {
            nonceI = sa.ni;
            nonceR = sa.nr;
        }
        // the responder narrowed: what it answered is what we install, if it lies within what we proposed
        if (narrow(ti.selectors(), sa.config.localTs()).size() != ti.selectors().size()
                || narrow(tr.selectors(), sa.config.remoteTs()).size() != tr.selectors().size()) {
            throw new IkeProtocolException(IkeProtocolException.TS_UNACCEPTABLE, "responder widened the selectors");
        }
        install(suite, c, c.spi32(), gir, ti.selectors(), tr.selectors(), true);
        if (rekeyed == null) {
            return;
        }
        rekeyed.rekeyInitiated = false;
        byte[] peers = rekeyed.collisionLowestNonce;
        if (peers != null && Arrays.compareUnsigned(ChildSa.lowest(nonceI, nonceR), peers) < 0) {
            // §2.8.1: our exchange holds the lowest of the four nonces: our new SA is the redundant one and we
            // delete it; the peer, who won, deletes the old one
            sa.log("CHILD SA rekey collision lost: deleting redundant " + created);
            sa.queue(ChildDelete.initiator(sa, created));
            return;
        }
        sa.queue(ChildDelete.initiator(sa, rekeyed)); // §2.8: the rekey initiator deletes the old SA
    }

    private void install(Suite suite, Proposal p, int spiOut, byte[] gir, List<TrafficSelector> local,
                         List<TrafficSelector> remote, boolean weInitiated) throws IkeProtocolException {
        ChildKeys k = ChildKeys.derive(sa.prf, sa.keys.skD(), gir, nonceI, nonceR, suite.encKeyLen(), suite.authKeyLen);
        boolean esn = Proposals.id(p, TransformType.ESN, 0) == 1;
        created = new ChildSa(spiIn, spiOut, suite, esn, k, weInitiated, local, remote);
        created.createdAt = sa.ctx.nanoClock().getAsLong();
        try {
            sa.ctx.installer().install(sa, created);
        } catch (IllegalArgumentException e) {
            // the data plane refused it (e.g. the peer's SPI is below 256, RFC 4303 §2.1): no CHILD SA
            sa.ctx.installer().remove(sa, created);
            created = null;
            throw new IkeProtocolException(IkeProtocolException.NO_PROPOSAL_CHOSEN, "data plane refused: " + e.getMessage());
        }
        sa.children.add(created);
        sa.count(IkeCounter.CHILD_SAS_INSTALLED);
        if (replacing != null && !replacing.replaced) {
            replacing.replaced = true; // a §2.8.1 collision installs two successors of it: one rekey
            sa.count(IkeCounter.CHILD_SA_REKEYS);
        }
        sa.log("CHILD SA installed: " + created);
    }

    /**
     * §2.9 narrowing: every intersection of a proposed selector with a configured one (same family, overlapping
     * addresses, compatible protocol, overlapping ports).
     */
    static List<TrafficSelector> narrow(List<TrafficSelector> proposed, List<TrafficSelector> configured) {
        List<TrafficSelector> out = new ArrayList<>();
        for (TrafficSelector a : proposed) {
            for (TrafficSelector b : configured) {
                TrafficSelector x = intersect(a, b);
                if (x != null && !out.contains(x)) {
                    out.add(x);
                }
            }
        }
        return out;
    }

    static TrafficSelector intersect(TrafficSelector a, TrafficSelector b) {
        if (a.family() != b.family()) {
            return null;
        }
        int proto = a.protocol() == 0 ? b.protocol() : b.protocol() == 0 || b.protocol() == a.protocol() ? a.protocol() : -1;
        if (proto < 0) {
            return null;
        }
        long sHi;
        long sLo;
        if (cmp(a.startHi(), a.startLo(), b.startHi(), b.startLo()) >= 0) {
            sHi = a.startHi();
            sLo = a.startLo();
        } else {
            sHi = b.startHi();
            sLo = b.startLo();
        }
        long eHi;
        long eLo;
        if (cmp(a.endHi(), a.endLo(), b.endHi(), b.endLo()) <= 0) {
            eHi = a.endHi();
            eLo = a.endLo();
        } else {
            eHi = b.endHi();
            eLo = b.endLo();
        }
        int sp = Math.max(a.startPort(), b.startPort());
        int ep = Math.min(a.endPort(), b.endPort());
        if (cmp(sHi, sLo, eHi, eLo) > 0 || sp > ep) {
            return null;
        }
        return new TrafficSelector(a.family(), sHi, sLo, eHi, eLo, proto, sp, ep);
    }

    private static int cmp(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    static byte[] spi(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private byte[] random() {
        byte[] b = new byte[IkeInit.NONCE_LEN];
        sa.ctx.rnd().nextBytes(b);
        return b;
    }
}
