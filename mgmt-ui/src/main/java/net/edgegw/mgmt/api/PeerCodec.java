package net.edgegw.mgmt.api;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.regex.Pattern;
import net.edgegw.mgmt.port.ConfigItem;
import net.edgegw.mgmt.port.ConfigStore;
import net.edgegw.mgmt.port.Peer;

/** Peers: an IP literal or a DNS name, and the IKE identity they must prove. */
final class PeerCodec implements ItemCodec<Peer> {
    static final Set<String> FIELDS = Set.of("name", "address", "remoteId", "description");
    // RFC 1123 §2.1 host names: labels of letters, digits and '-', dot-separated.
    private static final String LABEL = "[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?";
    private static final Pattern HOST = Pattern.compile("(?=.{1,253}$)" + LABEL + "(\\." + LABEL + ")*");

    @Override
    public ConfigItem.Kind kind() {
        return ConfigItem.Kind.PEER;
    }

    @Override
    public Peer decode(String name, Fields f, ConfigStore store) {
        f.only(FIELDS);
        String address = f.string("address", true, 253);
        if (f.ok("address") && Cidr.literal(address) == null && !HOST.matcher(address).matches()) {
            f.problem("address", "must be an IP address or a DNS name");
        }
        String remoteId = f.string("remoteId", true, Fields.MAX_TEXT);
        return new Peer(name, address, remoteId, f.string("description", false, Fields.MAX_TEXT));
    }

    @Override
    public JsonObject encode(Peer p) {
        return new JsonObject().put("name", p.name()).put("address", p.address()).put("remoteId", p.remoteId())
                .put("description", p.description());
    }
}
