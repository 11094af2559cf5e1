package net.edgegw.mgmt.port;

/** One named item of the configuration: a {@link Cluster}, a {@link Peer} or a {@link Connection}. */
public sealed interface ConfigItem permits Cluster, Peer, Connection {
    String name();

    Kind kind();

    /** The kinds of configuration item; {@link #path()} is the REST collection name. */
    enum Kind {
        CLUSTER("clusters"),
        PEER("peers"),
        CONNECTION("connections");

        private final String path;

        Kind(String path) {
            this.path = path;
        }

        public String path() {
            return path;
        }
    }
}
