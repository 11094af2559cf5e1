package net.edgegw.appliance.config;

import java.util.List;

/**
 * "Local cluster(s) &lt;-&gt; remote cluster(s) via peer": one CHILD SA (RFC 7296 §1.3) whose traffic selectors
 * are every local × remote CIDR pair of the same address family ({@link Config#selectors(Connection)}).
 *
 * @param protocol    ESP (RFC 4303) or AH (RFC 4302)
 * @param proposals   CHILD SA proposals, strongSwan syntax ({@link Proposal})
 * @param mode        tunnel, or transport for host-to-host / node-to-node meshes (selectors from node CIDRs)
 * @param startAction what the daemon does at start: bring the SA up, wait for traffic, or nothing
 * @param enforce     drop cleartext to the remote CIDRs while the SA is down instead of leaking it
 */
public record Connection(String name, String peer, List<String> localClusters, List<String> remoteClusters,
                         Protocol protocol, List<String> proposals, Mode mode, Lifetimes lifetimes,
                         StartAction startAction, boolean enforce, String description) {

    public Connection {
        localClusters = List.copyOf(localClusters == null ? List.of() : localClusters);
        remoteClusters = List.copyOf(remoteClusters == null ? List.of() : remoteClusters);
        proposals = List.copyOf(proposals == null ? List.of() : proposals);
        protocol = protocol == null ? Protocol.ESP : protocol;
        mode = mode == null ? Mode.TUNNEL : mode;
        lifetimes = lifetimes == null ? Lifetimes.DEFAULT : lifetimes;
        startAction = startAction == null ? StartAction.ON_TRAFFIC : startAction;
    }

    public enum Protocol { ESP, AH }

    public enum Mode { TUNNEL, TRANSPORT }

    public enum StartAction {
        START("start"), ON_TRAFFIC("on-traffic"), NONE("none");

        private final String text;

        StartAction(String text) {
            this.text = text;
        }

        /** The YAML spelling. */
        public String text() {
            return text;
        }
    }

    /**
     * CHILD SA lifetimes (RFC 4301 §4.4.2.1): rekey (soft) after {@code rekeySeconds}, delete (hard) after
     * {@code lifeSeconds}; byte and packet limits are 0 when unused.
     */
    public record Lifetimes(int rekeySeconds, int lifeSeconds, long rekeyBytes, long rekeyPackets) {
        public static final Lifetimes DEFAULT = new Lifetimes(3600, 3960, 0, 0);
    }
}
