package net.edgegw.appliance.ike.task;

import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.message.ExchangeType;
import net.edgegw.appliance.ike.message.IkeMessage;
import net.edgegw.appliance.ike.sa.IkeSa;

/**
 * One step of an exchange, as in strongSwan's task model: several tasks contribute payloads to one message
 * (IKE_AUTH = {@link IkeAuth} + {@link ChildCreate}). As the initiator of an exchange a task builds the request,
 * then processes the response; as responder it processes the request, then builds the response.
 *
 * <p>{@link #process} throws {@link IkeProtocolException} when the exchange fails; its notify type is what a
 * responder answers with.
 */
public abstract class IkeTask {
    /** What the engine does after {@link #process} on the initiator side. */
    public enum Status {
        DONE,
        /** Send the exchange again (IKE_SA_INIT after INVALID_KE_PAYLOAD or COOKIE, RFC 7296 §1.2, §2.6). */
        RETRY
    }

    protected final IkeSa sa;
    /** True when we initiate this exchange (not necessarily the IKE SA). */
    protected final boolean initiator;

    protected IkeTask(IkeSa sa, boolean initiator) {
        this.sa = sa;
        this.initiator = initiator;
    }

    public abstract ExchangeType exchange();

    /** Adds this task's payloads to a request (initiator) or response (responder). */
    public abstract void build(IkeMessage m) throws IkeProtocolException;

    /** Reads this task's payloads from a response (initiator) or request (responder). */
    public abstract Status process(IkeMessage m) throws IkeProtocolException;
}
