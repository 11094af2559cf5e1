package net.edgegw.mgmt.api;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import net.edgegw.mgmt.port.Cluster;
import net.edgegw.mgmt.port.ConfigItem;
import net.edgegw.mgmt.port.ConfigStore;

/** Clusters: pod and service networks required and disjoint; node network optional. */
final class ClusterCodec implements ItemCodec<Cluster> {
    static final Set<String> FIELDS = Set.of("name", "podCidr", "serviceCidr", "nodeCidr", "description");

    @Override
    public ConfigItem.Kind kind() {
        return ConfigItem.Kind.CLUSTER;
    }

    @Override
    public Cluster decode(String name, Fields f, ConfigStore store) {
        f.only(FIELDS);
        Cidr pod = f.cidr("podCidr", true);
        Cidr svc = f.cidr("serviceCidr", true);
        Cidr node = f.cidr("nodeCidr", false);
        if (pod != null && svc != null && pod.overlaps(svc)) {
            f.problem("serviceCidr", "overlaps podCidr");
        }
        if (node != null && pod != null && node.overlaps(pod)) {
            f.problem("nodeCidr", "overlaps podCidr");
        }
        if (node != null && svc != null && node.overlaps(svc)) {
            f.problem("nodeCidr", "overlaps serviceCidr");
        }
        String description = f.string("description", false, Fields.MAX_TEXT);
        return new Cluster(name, f.text("podCidr"), f.text("serviceCidr"), f.text("nodeCidr"), description);
    }

    @Override
    public JsonObject encode(Cluster c) {
        return new JsonObject().put("name", c.name()).put("podCidr", c.podCidr()).put("serviceCidr", c.serviceCidr())
                .put("nodeCidr", c.nodeCidr()).put("description", c.description());
    }
}
