package net.edgegw.appliance.ike.task;

import net.edgegw.appliance.ike.message.DeletePayload;
import net.edgegw.appliance.ike.message.ExchangeType;
import net.edgegw.appliance.ike.message.IkeMessage;
import net.edgegw.appliance.ike.message.ProtocolId;
import net.edgegw.appliance.ike.sa.IkeSa;

/**
 * Deletes the IKE SA and with it every CHILD SA (RFC 7296 §1.4.1).
 *
 * <pre>
 * HDR, SK {D(IKE)}  -->
 *                   <--  HDR, SK {}
 * </pre>
 * As responder it finds a {@code D(IKE)} among the request's payloads and ends the SA after the response.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-1.4.1">RFC 7296 §1.4.1</a>
 */
public final class IkeDelete extends IkeTask {
    private boolean deleting;

    public IkeDelete(IkeSa sa, boolean initiator) {
        super(sa, initiator);
    }

    @Override
    public ExchangeType exchange() {
        return ExchangeType.INFORMATIONAL;
    }

    @Override
    public void build(IkeMessage m) {
        if (initiator) {
            sa.state = IkeSa.State.DELETING;
            m.add(DeletePayload.ikeSa());
        } else if (deleting) {
            sa.dieAfterResponse();
        }
    }

    @Override
    public Status process(IkeMessage m) {
        if (initiator) {
            sa.die(); // whatever the answer (§1.4.1: the response may be empty or an error)
            return Status.DONE;
        }
        for (DeletePayload d : m.all(DeletePayload.class)) {
            if (d.protocol() == ProtocolId.IKE) {
                sa.log("peer deletes the IKE SA");
                deleting = true;
            }
        }
        return Status.DONE;
    }
}
