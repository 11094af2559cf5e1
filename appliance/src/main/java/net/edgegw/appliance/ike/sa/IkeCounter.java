package net.edgegw.appliance.ike.sa;

/**
 * The events the IKE engine counts (strongSwan's counters shape: one named counter per event, bumped by the task or
 * the table where the event happens, never per ESP packet). Each carries its {@code /metrics} name
 * ({@code edgegw_<name>_total}); scripts read those names, so they do not change.
 */
public enum IkeCounter {
    /** IKE SAs authenticated in IKE_AUTH, either side initiating (rekeyed successors not included). */
    IKE_SAS_ESTABLISHED("ike_sas_established"),
    /** IKE SAs replaced by a rekey (§2.18), either side starting it; a §2.8.2 collision replaces the SA once. */
    IKE_REKEYS("ike_rekeys"),
    /** CHILD SAs put into the data plane: the one of IKE_AUTH, new ones and rekeyed ones (both of a collision). */
    CHILD_SAS_INSTALLED("child_sas_installed"),
    /** CHILD SAs replaced by a rekey (§2.8), either side starting it; a §2.8.1 collision replaces the SA once. */
    CHILD_SA_REKEYS("child_sa_rekeys"),
    /**
     * IKE_AUTH exchanges that did not set up the tunnel, either way: we refused the peer (AUTH does not verify,
     * identity, certificate, no proposal chosen, TS unacceptable) or the peer refused us (its error notify).
     */
    IKE_AUTH_FAILURES("ike_auth_failures"),
    /** IKE_SA_INIT exchanges that ended the IKE SA (no proposal chosen, a group we do not offer, a broken answer). */
    IKE_SA_INIT_FAILURES("ike_sa_init_failures"),
    /** Requests we sent again because no answer came in time (§2.1). */
    IKE_RETRANSMITS("ike_retransmits"),
    /** Exchanges given up after the last retransmission: the IKE SA is gone (a dead peer, §2.4). */
    IKE_EXCHANGE_TIMEOUTS("ike_exchange_timeouts"),
    /** Stateless N(COOKIE) answers to a new IKE_SA_INIT while many SAs were half-open (§2.6). */
    IKE_COOKIES_SENT("ike_cookies_sent"),
    /** New IKE_SA_INIT requests dropped at the half-open limit. */
    IKE_HALF_OPEN_DROPPED("ike_half_open_dropped"),
    /** New IKE_SA_INIT requests from an address no connection names. */
    IKE_NO_CONFIG("ike_no_config"),
    /** Messages for an IKE SA we do not have (or not with that peer SPI): dropped. */
    IKE_UNKNOWN_SPI("ike_unknown_spi"),
    /** Dropped as malformed and not authenticated: a bad header, a broken IKE_SA_INIT, an SK payload that fails to parse. */
    IKE_MALFORMED("ike_malformed"),
    /** Protected messages whose ICV does not verify (forged, or keys out of step): dropped (§2.21.2). */
    IKE_INTEGRITY_FAILURES("ike_integrity_failures"),
    /** Protected messages that verify but are malformed: a request gets the notify, a response is dropped (§2.21.2). */
    IKE_MALFORMED_PROTECTED("ike_malformed_protected"),
    /** Messages that do not fit the exchange state: a response we did not ask for, a request outside the window. */
    IKE_UNEXPECTED("ike_unexpected");

    private final String metric;

    IkeCounter(String metric) {
        this.metric = metric;
    }

    /** The name under which {@code /metrics} shows it ({@code edgegw_<name>_total}). */
    public String metric() {
        return metric;
    }
}
