package net.edgegw.dataplane.sa;

/** What the data plane tells the control plane about an SA. */
public enum SaEvent {
    /** Soft lifetime (bytes, packets or seconds) reached: rekey now. */
    SOFT_EXPIRED,
    /** Hard lifetime reached: the SA no longer carries traffic; delete it. */
    HARD_EXPIRED,
    /** The outbound sequence number reached its limit (RFC 4303 §3.3.3): the SA stopped sending; rekey. */
    SEQ_EXHAUSTED
}
