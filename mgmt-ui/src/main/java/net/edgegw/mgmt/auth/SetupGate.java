package net.edgegw.mgmt.auth;

/**
 * First-boot setup: while no user exists, one random setup token (printed once on the console) lets whoever
 * holds it create the first admin. There is no default password. Once the first admin exists the gate is closed
 * for good, whatever token is presented.
 */
public final class SetupGate {
    /** What a presented token is worth. */
    public enum Verdict { OK, WRONG_TOKEN, CLOSED }

    private String token;

    /** Opens the gate with a fresh token and returns it; the caller prints it once. */
    public synchronized String open(Secrets secrets) {
        token = secrets.next();
        return token;
    }

    public synchronized boolean isOpen() {
        return token != null;
    }

    public synchronized Verdict check(String presented) {
        if (token == null) {
            return Verdict.CLOSED;
        }
        return Secrets.same(token, presented) ? Verdict.OK : Verdict.WRONG_TOKEN;
    }

    /** Closes the gate after the first admin was created (or found to exist already). */
    public synchronized void close() {
        token = null;
    }
}
