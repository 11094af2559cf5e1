package net.edgegw.appliance.ike.sa;

/**
 * The seam between IKE and the data plane (strongSwan's kernel_ipsec): installs a negotiated CHILD SA pair and
 * the policies for its traffic selectors, and removes them again. The gateway's implementation is
 * {@link DataplaneInstaller}; tests use a fake that records the calls.
 */
public interface ChildSaInstaller {
    /** Installs both SAs of {@code child} and its policies; the IKE SA gives the outer addresses and encapsulation. */
    void install(IkeSa ike, ChildSa child);

    /** Removes both SAs and the policies; a no-op for a child that was never installed. */
    void remove(IkeSa ike, ChildSa child);

    /** Whether an inbound SA with this SPI exists already (SPIs are unique per gateway, not per IKE SA). */
    default boolean spiInUse(int spi) {
        return false;
    }

    /**
     * Delivers the data plane's pending SA events to the CHILD SAs ({@link ChildSa#softExpired},
     * {@link ChildSa#hardExpired}); the table calls it from its thread on every tick.
     */
    default void poll() {
    }

    /** Packets that arrived on the inbound SA so far (ESP from the peer proves it alive, RFC 7296 §2.4). */
    default long inboundPackets(ChildSa child) {
        return 0;
    }
}
