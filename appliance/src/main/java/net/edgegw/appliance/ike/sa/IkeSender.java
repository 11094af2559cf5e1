package net.edgegw.appliance.ike.sa;

import java.net.InetSocketAddress;

/** Where IKE messages leave: the UDP transport in the gateway, a queue in tests. */
public interface IkeSender {
    /**
     * Sends one IKE message to {@code to}, from our NAT-T port (with the non-ESP marker, RFC 3948 §2.2) when
     * {@code natT}, else from the IKE port.
     */
    void send(byte[] message, InetSocketAddress to, boolean natT);

    /** Sends a NAT-keepalive (0xFF, RFC 3948 §2.3) from our NAT-T port to {@code to}; nothing where there is none. */
    default void keepalive(InetSocketAddress to) {}
}
