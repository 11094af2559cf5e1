package net.edgegw.appliance.ike.task;

import java.util.Arrays;
import java.util.List;
import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.crypto.IkeKeys;
import net.edgegw.appliance.ike.crypto.KeyExchange;
import net.edgegw.appliance.ike.crypto.Prf;
import net.edgegw.appliance.ike.message.ExchangeType;
import net.edgegw.appliance.ike.message.IkeMessage;
import net.edgegw.appliance.ike.message.KePayload;
import net.edgegw.appliance.ike.message.NoncePayload;
import net.edgegw.appliance.ike.message.Proposal;
import net.edgegw.appliance.ike.message.ProtocolId;
import net.edgegw.appliance.ike.message.SaPayload;
import net.edgegw.appliance.ike.message.TransformType;
import net.edgegw.appliance.ike.sa.ChildSa;
import net.edgegw.appliance.ike.sa.IkeSa;
import net.edgegw.appliance.ike.sa.Proposals;

/**
 * Rekeys the IKE SA with CREATE_CHILD_SA: a new IKE SA with new SPIs and keys from the old SK_d and a fresh
 * key exchange takes over the CHILD SAs; the rekey initiator then deletes the old IKE SA (§2.18). The side that
 * initiated the rekey is the new SA's original initiator.
 *
 * <pre>
 * HDR, SK {SA(IKE, new SPIi), Ni, KEi}  -->
 *                          <--  HDR, SK {SA(IKE, new SPIr), Nr, KEr}
 * SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-1.3.2">RFC 7296 §1.3.2, §2.18</a>
 */
public final class IkeRekey extends IkeTask {
    private long newSpi;
    private KeyExchange ke;
    private byte[] nonce;
    private Proposal chosen;
    private IkeSa replacement;

    public IkeRekey(IkeSa sa, boolean initiator) {
        super(sa, initiator);
    }

    @Override
    public ExchangeType exchange() {
        return ExchangeType.CREATE_CHILD_SA;
    }

    /** The new IKE SA, once the exchange succeeded. */
    public IkeSa replacement() {
        return replacement;
    }

    /** True when a CREATE_CHILD_SA request rekeys the IKE SA (its SA payload proposes protocol IKE). */
    public static boolean isIkeRekey(IkeMessage req) {
        SaPayload p = req.get(SaPayload.class);
        return p != null && !p.proposals().isEmpty() && p.proposals().get(0).protocol() == ProtocolId.IKE;
    }

    @Override
    public void build(IkeMessage m) throws IkeProtocolException {
        if (initiator) {
            newSpi = sa.newIkeSpi();
            nonce = random();
            int group = Proposals.id(sa.config.ikeProposals().get(0), TransformType.DH, 0);
            ke = KeyExchange.create(group, sa.ctx.rnd());
            m.add(new SaPayload(Proposals.withSpi(sa.config.ikeProposals(), spi64(newSpi))));
            m.add(new NoncePayload(nonce));
            m.add(new KePayload(group, ke.publicValue()));
            sa.rekeyInitiated = true;
            sa.collisionSuccessor = null;
            sa.collisionLowestNonce = null;
        } else {
            m.add(new SaPayload(List.of(new Proposal(chosen.number(), ProtocolId.IKE, spi64(newSpi),
                    chosen.transforms()))));
            m.add(new NoncePayload(nonce));
            m.add(new KePayload(ke.group(), ke.publicValue()));
        }
    }

    @Override
    public Status process(IkeMessage m) throws IkeProtocolException {
        SaPayload sp = m.get(SaPayload.class);
        NoncePayload n = m.get(NoncePayload.class);
        KePayload kp = m.get(KePayload.class);
        if (initiator && m.firstError() != null) {
            sa.log("IKE SA rekey refused: " + m.firstError());
            return Status.DONE;
        }
        if (sp == null || n == null || kp == null) {
            throw new IkeProtocolException(IkeProtocolException.INVALID_SYNTAX, "IKE rekey without SA, Nonce or KE");
        }
        if (initiator) {
            chosen = sp.proposals().size() == 1 ? sp.proposals().get(0) : null;
            if (chosen == null || chosen.spi().length != 8 || !Proposals.acceptable(sa.config.ikeProposals(), chosen)
                    || kp.group() != ke.group() || Proposals.id(chosen, TransformType.DH, 0) != ke.group()) {
                throw new IkeProtocolException(IkeProtocolException.NO_PROPOSAL_CHOSEN, "rekey answer " + sp);
            }
            replacement = sa.successor(true, newSpi, spi64(chosen.spi()));
            derive(nonce, n.data(), ke.sharedSecret(kp.data()));
            sa.rekeyInitiated = false;
            IkeSa theirs = sa.collisionSuccessor;
            if (theirs != null && Arrays.compareUnsigned(ChildSa.lowest(nonce, n.data()), sa.collisionLowestNonce) < 0) {
                // §2.8.2: our exchange holds the lowest nonce: our new IKE SA is redundant; we delete it, and the
                // winner deletes the old one. The CHILD SAs live on in the peer's new IKE SA.
                sa.log("IKE SA rekey collision lost: deleting redundant " + replacement);
                theirs.children.addAll(replacement.children);
                replacement.children.clear();
                replacement.queue(new IkeDelete(replacement, true));
                return Status.DONE;
            }
            if (theirs != null) {
                // §2.8.2: we won: the CHILD SAs move to our new IKE SA; the peer deletes the one it created
                sa.log("IKE SA rekey collision won against " + theirs);
                replacement.children.addAll(theirs.children);
                theirs.children.clear();
            }
            sa.queue(new IkeDelete(sa, true)); // §2.18: the old IKE SA goes; its CHILD SAs moved on
            return Status.DONE;
        }
        chosen = Proposals.select(sa.config.ikeProposals(), sp.proposals());
        if (chosen == null || chosen.spi().length != 8 || !IkeInit.supported(chosen)) {
            throw new IkeProtocolException(IkeProtocolException.NO_PROPOSAL_CHOSEN, "no acceptable IKE rekey proposal");
        }
        int dh = Proposals.id(chosen, TransformType.DH, 0);
        if (kp.group() != dh) {
            throw new IkeProtocolException(IkeProtocolException.INVALID_KE_PAYLOAD, "IKE rekey wants group " + dh);
        }
        ke = KeyExchange.create(dh, sa.ctx.rnd());
        nonce = random();
        newSpi = sa.newIkeSpi();
        replacement = sa.successor(false, spi64(chosen.spi()), newSpi);
        derive(n.data(), nonce, ke.sharedSecret(kp.data()));
        if (sa.rekeyInitiated) {
            // §2.8.2: our own rekey of this IKE SA is outstanding: decided when its answer arrives
            sa.collisionSuccessor = replacement;
            sa.collisionLowestNonce = ChildSa.lowest(n.data(), nonce);
            sa.log("IKE SA rekey collision: the peer's successor is " + replacement);
        }
        return Status.DONE;
    }

    private void derive(byte[] ni, byte[] nr, byte[] gir) {
        Prf prfNew = Prf.of(Proposals.id(chosen, TransformType.PRF, -1));
        IkeKeys k = IkeKeys.deriveRekey(sa.prf, sa.keys.skD(), prfNew, gir, ni, nr, replacement.spiI,
                replacement.spiR, IkeInit.encKeyLen(chosen), IkeInit.integKeyLen(chosen));
        IkeInit.useKeys(replacement, new Proposal(chosen.number(), ProtocolId.IKE, new byte[0], chosen.transforms()), k);
        sa.handOver(replacement);
        sa.log("IKE SA rekeyed, successor " + replacement);
    }

    static byte[] spi64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
        return b;
    }

    static long spi64(byte[] b) {
        long v = 0;
        for (byte x : b) {
            v = v << 8 | (x & 0xff);
        }
        return v;
    }

    private byte[] random() {
        byte[] b = new byte[IkeInit.NONCE_LEN];
        sa.ctx.rnd().nextBytes(b);
        return b;
    }
}
