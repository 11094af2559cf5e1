package net.edgegw.mgmt.port;

/**
 * What became of an operator's action on a tunnel (initiate, terminate, rekey).
 *
 * @param detail what was done, or why not
 */
public record ActionResult(Outcome outcome, String detail) {
    public enum Outcome {
        /** Started: IKE exchanges run asynchronously, the status shows their effect. */
        ACCEPTED,
        /** No such tunnel. */
        NOT_FOUND,
        /** Not possible in the tunnel's state (e.g. a rekey with no SA up), or not supported by this backend. */
        CONFLICT
    }

    public static ActionResult accepted(String detail) {
        return new ActionResult(Outcome.ACCEPTED, detail);
    }

    public static ActionResult notFound() {
        return new ActionResult(Outcome.NOT_FOUND, "no such tunnel");
    }

    public static ActionResult conflict(String why) {
        return new ActionResult(Outcome.CONFLICT, why);
    }
}
