package net.edgegw.mgmt.port;

/**
 * A container cluster on the local side whose networks the gateway bridges.
 *
 * @param podCidr     the pod network, e.g. {@code 10.244.0.0/16}
 * @param serviceCidr the service network, e.g. {@code 10.96.0.0/12}
 * @param nodeCidr    the node network, or {@code ""} when not routed
 */
public record Cluster(String name, String podCidr, String serviceCidr, String nodeCidr, String description)
        implements ConfigItem {
    @Override
    public Kind kind() {
        return Kind.CLUSTER;
    }
}
