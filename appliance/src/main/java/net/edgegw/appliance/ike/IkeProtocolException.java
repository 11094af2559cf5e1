package net.edgegw.appliance.ike;

/**
 * A received IKE message (or a value in it) that breaks RFC 7296; carries the Notify Message Type the RFC
 * prescribes as the answer (RFC 7296 §3.10.1), so the task that catches it can reply or drop as §2.21 says.
 *
 * <p>Only for peer input: programmer errors stay {@link IllegalArgumentException} / {@link IllegalStateException}.
 */
public final class IkeProtocolException extends Exception {
    // RFC 7296 §3.10.1 error types used across packages (the codec's NotifyType enum has them all).
    public static final int UNSUPPORTED_CRITICAL_PAYLOAD = 1;
    public static final int INVALID_IKE_SPI = 4;
    public static final int INVALID_MAJOR_VERSION = 5;
    public static final int INVALID_SYNTAX = 7;
    public static final int INVALID_MESSAGE_ID = 9;
    public static final int INVALID_SPI = 11;
    public static final int NO_PROPOSAL_CHOSEN = 14;
    public static final int INVALID_KE_PAYLOAD = 17;
    public static final int AUTHENTICATION_FAILED = 24;
    public static final int SINGLE_PAIR_REQUIRED = 34;
    public static final int NO_ADDITIONAL_SAS = 35;
    public static final int INTERNAL_ADDRESS_FAILURE = 36;
    public static final int FAILED_CP_REQUIRED = 37;
    public static final int TS_UNACCEPTABLE = 38;
    public static final int INVALID_SELECTORS = 39;
    public static final int TEMPORARY_FAILURE = 43;
    public static final int CHILD_SA_NOT_FOUND = 44;

    private final int notifyType;

    public IkeProtocolException(int notifyType, String message) {
        super(message, null, false, false); // expected peer input: no stack trace
        this.notifyType = notifyType;
    }

    /** The RFC 7296 §3.10.1 Notify Message Type to answer with. */
    public int notifyType() {
        return notifyType;
    }
}
