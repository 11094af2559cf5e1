package net.edgegw.appliance.ike.sa;

/**
 * What the gateway does when the liveness check (RFC 7296 §2.4) or any exchange of an established IKE SA gets no
 * answer after every retransmission: the IKE SA and its CHILD SAs are gone either way (§2.4: "the IKE SA and all
 * CHILD SAs ... are deleted"); {@code RESTART} then sets the tunnel up again at once with the same configuration
 * (strongSwan's {@code dpd_action = restart}), {@code CLEAR} leaves that to the peer or the operator.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-2.4">RFC 7296 §2.4</a>
 */
public enum DpdAction {
    CLEAR,
    RESTART
}
