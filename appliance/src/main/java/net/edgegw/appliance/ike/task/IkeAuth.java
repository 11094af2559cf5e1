package net.edgegw.appliance.ike.task;

import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.crypto.Auth;
import net.edgegw.appliance.ike.message.AuthMethod;
import net.edgegw.appliance.ike.message.AuthPayload;
import net.edgegw.appliance.ike.message.ExchangeType;
import net.edgegw.appliance.ike.message.IdPayload;
import net.edgegw.appliance.ike.message.IkeMessage;
import net.edgegw.appliance.ike.message.NotifyPayload;
import net.edgegw.appliance.ike.message.NotifyType;
import net.edgegw.appliance.ike.message.PayloadType;
import net.edgegw.appliance.ike.sa.IkeSa;

/**
 * IKE_AUTH with a pre-shared key: identities and AUTH over the IKE_SA_INIT messages (the CHILD SA part is
 * {@link ChildCreate}, which runs in the same exchange).
 *
 * <pre>
 * HDR, SK {IDi, [IDr,] AUTH, SAi2, TSi, TSr}  -->
 *                                <--  HDR, SK {IDr, AUTH, SAr2, TSi, TSr}
 * AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>)
 * InitiatorSignedOctets = RealMessage1 | NonceRData | prf(SK_pi, IDi')
 * ResponderSignedOctets = RealMessage2 | NonceIData | prf(SK_pr, IDr')
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-2.15">RFC 7296 §1.2, §2.15</a>
 */
public final class IkeAuth extends IkeTask {
    public IkeAuth(IkeSa sa, boolean initiator) {
        super(sa, initiator);
    }

    @Override
    public ExchangeType exchange() {
        return ExchangeType.IKE_AUTH;
    }

    @Override
    public void build(IkeMessage m) {
        IdPayload id = IdPayload.parse(initiator, sa.config.localId());
        m.add(id);
        if (initiator) {
            m.add(NotifyPayload.of(NotifyType.INITIAL_CONTACT)); // §2.4: no other IKE SA with this peer survives
            if (sa.config.remoteId() != null && !sa.config.remoteId().isEmpty()) {
                m.add(IdPayload.parse(false, sa.config.remoteId()));
            }
        }
        m.add(new AuthPayload(AuthMethod.SHARED_KEY_MIC.value(), Auth.psk(sa.prf, sa.config.psk(), octets(initiator, id))));
    }

    /** The octets the side {@code signerIsInitiator} signs (§2.15). */
    private byte[] octets(boolean signerIsInitiator, IdPayload id) {
        return signerIsInitiator
                ? Auth.signedOctets(sa.initRequest, sa.nr, sa.prf, sa.keys.skPi(), id.body())
                : Auth.signedOctets(sa.initResponse, sa.ni, sa.prf, sa.keys.skPr(), id.body());
    }

    @Override
    public Status process(IkeMessage m) throws IkeProtocolException {
        if (initiator) {
            NotifyPayload err = m.firstError();
            if (err != null && m.get(AuthPayload.class) == null) {
                throw new IkeProtocolException(err.notifyType(), "peer answered " + err);
            }
        }
        IdPayload id = (IdPayload) m.get(initiator ? PayloadType.IDR : PayloadType.IDI);
        AuthPayload auth = m.get(AuthPayload.class);
        if (id == null || auth == null) {
            throw new IkeProtocolException(IkeProtocolException.AUTHENTICATION_FAILED, "no ID or AUTH payload");
        }
        if (!IdPayload.parse(!initiator, sa.config.remoteId()).sameIdentity(id)) {
            throw new IkeProtocolException(IkeProtocolException.AUTHENTICATION_FAILED,
                    "peer identity " + id.text() + " is not " + sa.config.remoteId());
        }
        if (auth.authMethod() != AuthMethod.SHARED_KEY_MIC
                || !Auth.verifyPsk(sa.prf, sa.config.psk(), octets(!initiator, id), auth.data())) {
            throw new IkeProtocolException(IkeProtocolException.AUTHENTICATION_FAILED,
                    "AUTH of " + id.text() + " (" + auth.authMethod() + ") does not verify");
        }
        sa.log("peer " + id.text() + " authenticated with PSK");
        if (!initiator && m.notify(NotifyType.INITIAL_CONTACT) != null) {
            sa.initialContact();
        }
        sa.state = IkeSa.State.ESTABLISHED; // the responder's CHILD SA task runs only after this
        sa.log("IKE SA established");
        return Status.DONE;
    }
}
