package net.edgegw.appliance.ike.task;

import java.util.ArrayList;
import java.util.List;
import net.edgegw.appliance.ike.message.IkeMessage;
import net.edgegw.appliance.ike.sa.IkeSa;

/** The tasks that answer a request, chosen by its exchange type and payloads (RFC 7296 §1.2-§1.4). */
public final class ResponderTasks {
    private ResponderTasks() {}

    public static List<IkeTask> forRequest(IkeSa sa, IkeMessage req) {
        List<IkeTask> l = new ArrayList<>();
        switch (req.exchange) {
            case IKE_SA_INIT -> l.add(new IkeInit(sa, false));
            case IKE_AUTH -> {
                l.add(new IkeAuth(sa, false));
                l.add(ChildCreate.responder(sa));
            }
            // IKE SA rekey, or a new or rekeyed (REKEY_SA) CHILD SA
            case CREATE_CHILD_SA -> l.add(IkeRekey.isIkeRekey(req) ? new IkeRekey(sa, false) : ChildCreate.responder(sa));
            case INFORMATIONAL -> {
                l.add(new IkeDelete(sa, false));
                l.add(ChildDelete.responder(sa));
            }
            default -> { } // unknown exchange type: an empty response
        }
        return l;
    }
}
