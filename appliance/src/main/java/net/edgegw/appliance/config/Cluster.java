package net.edgegw.appliance.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A site's container network: a Kubernetes / Swarm / OpenShift cluster described by its address ranges, IPv4
 * and/or IPv6. CIDRs are kept as written; {@link ConfigValidator} checks their syntax.
 *
 * @param podCidrs     pod (overlay) networks, e.g. 10.244.0.0/16
 * @param serviceCidrs service (cluster IP) networks, e.g. 10.96.0.0/12
 * @param nodeCidrs    the nodes' own addresses, used by transport-mode (node-to-node) connections
 * @param description  free text, may be null
 */
public record Cluster(String name, List<String> podCidrs, List<String> serviceCidrs, List<String> nodeCidrs,
                      String description) {

    public Cluster {
        podCidrs = List.copyOf(podCidrs == null ? List.of() : podCidrs);
        serviceCidrs = List.copyOf(serviceCidrs == null ? List.of() : serviceCidrs);
        nodeCidrs = List.copyOf(nodeCidrs == null ? List.of() : nodeCidrs);
    }

    /** Pod, service and node CIDRs, in that order. */
    public List<String> allCidrs() {
        List<String> all = new ArrayList<>(podCidrs);
        all.addAll(serviceCidrs);
        all.addAll(nodeCidrs);
        return all;
    }
}
