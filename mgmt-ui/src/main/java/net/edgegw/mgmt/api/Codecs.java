package net.edgegw.mgmt.api;

import io.vertx.core.json.JsonObject;
import net.edgegw.mgmt.port.CertificateStore;
import net.edgegw.mgmt.port.Cluster;
import net.edgegw.mgmt.port.ConfigItem;
import net.edgegw.mgmt.port.Connection;
import net.edgegw.mgmt.port.Peer;

/** The codec of each kind of config item. */
final class Codecs {
    final ClusterCodec clusters = new ClusterCodec();
    final PeerCodec peers;
    final ConnectionCodec connections = new ConnectionCodec();

    Codecs(CertificateStore certificates) {
        this.peers = new PeerCodec(certificates);
    }

    JsonObject encode(ConfigItem item) {
        if (item instanceof Cluster c) {
            return clusters.encode(c);
        } else if (item instanceof Peer p) {
            return peers.encode(p);
        }
        return connections.encode((Connection) item);
    }
}
