package net.edgegw.appliance.ike.task;

import java.util.ArrayList;
import java.util.List;
import net.edgegw.appliance.ike.message.DeletePayload;
import net.edgegw.appliance.ike.message.ExchangeType;
import net.edgegw.appliance.ike.message.IkeMessage;
import net.edgegw.appliance.ike.message.ProtocolId;
import net.edgegw.appliance.ike.sa.ChildSa;
import net.edgegw.appliance.ike.sa.IkeSa;

/**
 * Deletes CHILD SAs (RFC 7296 §1.4.1): each side names the SPIs of its inbound SAs, and the other side answers
 * with its own inbound SPIs of the same pairs.
 *
 * <pre>
 * HDR, SK {D(ESP, our inbound SPI)}  -->
 *                   <--  HDR, SK {D(ESP, peer's inbound SPI)}
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-1.4.1">RFC 7296 §1.4.1</a>
 */
public final class ChildDelete extends IkeTask {
    private final ChildSa child;
    private final List<ChildSa> deleted = new ArrayList<>();

    private ChildDelete(IkeSa sa, boolean initiator, ChildSa child) {
        super(sa, initiator);
        this.child = child;
    }

    public static ChildDelete initiator(IkeSa sa, ChildSa child) {
        return new ChildDelete(sa, true, child);
    }

    public static ChildDelete responder(IkeSa sa) {
        return new ChildDelete(sa, false, null);
    }

    @Override
    public ExchangeType exchange() {
        return ExchangeType.INFORMATIONAL;
    }

    @Override
    public void build(IkeMessage m) {
        if (initiator) {
            m.add(new DeletePayload(ProtocolId.ESP, List.of(child.spiIn)));
            return;
        }
        if (!deleted.isEmpty()) {
            List<Integer> spis = new ArrayList<>();
            for (ChildSa c : deleted) {
                spis.add(c.spiIn);
            }
            m.add(new DeletePayload(ProtocolId.ESP, spis));
        }
    }

    @Override
    public Status process(IkeMessage m) {
        if (initiator) {
            remove(child); // the answer names the peer's half, or nothing if it already deleted it (§1.4.1)
            return Status.DONE;
        }
        for (DeletePayload d : m.all(DeletePayload.class)) {
            if (d.protocol() != ProtocolId.ESP && d.protocol() != ProtocolId.AH) {
                continue;
            }
            for (int spi : d.spis()) {
                ChildSa c = sa.childByOutboundSpi(spi);
                if (c != null) {
                    deleted.add(c);
                    remove(c);
                }
            }
        }
        return Status.DONE;
    }

    private void remove(ChildSa c) {
        if (sa.children.remove(c)) {
            sa.ctx.installer().remove(sa, c);
            sa.log("CHILD SA deleted: " + c);
        }
    }
}
