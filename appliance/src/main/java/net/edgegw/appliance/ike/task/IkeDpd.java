package net.edgegw.appliance.ike.task;

import net.edgegw.appliance.ike.message.ExchangeType;
import net.edgegw.appliance.ike.message.IkeMessage;
import net.edgegw.appliance.ike.sa.IkeSa;

/**
 * Liveness check (dead peer detection): an empty INFORMATIONAL request; the peer is alive if it answers, dead
 * when retransmissions run out (RFC 7296 §2.4).
 *
 * <pre>
 * HDR, SK {}  -->
 *             <--  HDR, SK {}
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-2.4">RFC 7296 §2.4</a>
 */
public final class IkeDpd extends IkeTask {
    public IkeDpd(IkeSa sa) {
        super(sa, true);
    }

    @Override
    public ExchangeType exchange() {
        return ExchangeType.INFORMATIONAL;
    }

    @Override
    public void build(IkeMessage m) {
        // empty on purpose
    }

    @Override
    public Status process(IkeMessage m) {
        return Status.DONE;
    }
}
