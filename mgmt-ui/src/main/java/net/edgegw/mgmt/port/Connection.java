package net.edgegw.mgmt.port;

/**
 * A tunnel between a local cluster and a peer: one IKE SA with a Child SA carrying the cluster's networks to
 * {@code remoteCidr}.
 *
 * @param peer       name of a {@link Peer}
 * @param cluster    name of a {@link Cluster}
 * @param remoteCidr the remote network reached through the peer
 * @param espSuite   the ESP suite, e.g. {@code aes128gcm16}
 * @param enabled    whether the appliance brings the tunnel up
 */
public record Connection(String name, String peer, String cluster, String remoteCidr, String espSuite,
                         boolean enabled) implements ConfigItem {
    @Override
    public Kind kind() {
        return Kind.CONNECTION;
    }
}
