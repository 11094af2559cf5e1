package net.edgegw.mgmt.api;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import net.edgegw.mgmt.port.ConfigItem;
import net.edgegw.mgmt.port.ConfigStore;
import net.edgegw.mgmt.port.Connection;

/** Connections: a peer and a cluster that exist, a remote network, an ESP suite the data plane has. */
final class ConnectionCodec implements ItemCodec<Connection> {
    static final Set<String> FIELDS = Set.of("name", "peer", "cluster", "remoteCidr", "espSuite", "enabled");
    /** The data plane's suite names (README "Suites"). */
    static final Set<String> SUITES = Set.of("aes128gcm16", "aes192gcm16", "aes256gcm16", "chacha20poly1305",
            "aes128-sha256", "aes128-sha384", "aes128-sha512", "aes256-sha256", "aes256-sha384", "aes256-sha512");

    @Override
    public ConfigItem.Kind kind() {
        return ConfigItem.Kind.CONNECTION;
    }

    @Override
    public Connection decode(String name, Fields f, ConfigStore store) {
        f.only(FIELDS);
        String peer = f.name("peer");
        if (f.ok("peer") && store.get(ConfigItem.Kind.PEER, peer).isEmpty()) {
            f.problem("peer", "no peer named '" + peer + "'");
        }
        String cluster = f.name("cluster");
        if (f.ok("cluster") && store.get(ConfigItem.Kind.CLUSTER, cluster).isEmpty()) {
            f.problem("cluster", "no cluster named '" + cluster + "'");
        }
        f.cidr("remoteCidr", true);
        String suite = f.oneOf("espSuite", SUITES, "aes128gcm16");
        boolean enabled = f.bool("enabled", true);
        return new Connection(name, peer, cluster, f.text("remoteCidr"), suite, enabled);
    }

    @Override
    public JsonObject encode(Connection c) {
        return new JsonObject().put("name", c.name()).put("peer", c.peer()).put("cluster", c.cluster())
                .put("remoteCidr", c.remoteCidr()).put("espSuite", c.espSuite()).put("enabled", c.enabled());
    }
}
