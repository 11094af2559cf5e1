package net.edgegw.mgmt.port;

/**
 * A remote IKEv2 gateway.
 *
 * @param address  its IP address or DNS name
 * @param remoteId the IKE identity it must authenticate as (RFC 7296 §3.5), e.g. {@code gw.cloud.example}
 */
public record Peer(String name, String address, String remoteId, String description) implements ConfigItem {
    @Override
    public Kind kind() {
        return Kind.PEER;
    }
}
