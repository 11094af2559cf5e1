package net.edgegw.mgmt.port;

/**
 * A remote IKEv2 gateway and how both ends authenticate (RFC 7296 §2.15): a pre-shared key, or our certificate
 * plus the CA that must have issued the peer's.
 *
 * @param address      its IP address or DNS name
 * @param localId      our IKE identity (RFC 7296 §3.5), {@code ""} = our address
 * @param remoteId     the IKE identity it must authenticate as, e.g. {@code gw.cloud.example}
 * @param psk          the pre-shared key with {@link Auth#PSK}; write-only: on a replace {@code null} keeps the
 *                     stored one; a read has it when one is stored (the API shows only that it is set)
 * @param certificate  with {@link Auth#CERTIFICATE}: the name of our gateway certificate, else {@code ""}
 * @param ca           with {@link Auth#CERTIFICATE}: the name of the CA the peer's certificate must chain to
 * @param ikeProposals IKE proposals in strongSwan syntax joined by ", "; {@code ""} = the store's defaults
 */
public record Peer(String name, String address, String localId, String remoteId, Auth auth, Secret psk,
                   String certificate, String ca, String ikeProposals, String description) implements ConfigItem {

    /** How the peers authenticate; {@link #id()} is the API's spelling. */
    public enum Auth {
        PSK("psk"), CERTIFICATE("certificate");

        private final String id;

        Auth(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Auth of(String id) {
            return id.equals("certificate") ? CERTIFICATE : id.equals("psk") ? PSK : null;
        }
    }

    /** A peer authenticated by a pre-shared key, with our address as identity and the default proposals. */
    public static Peer psk(String name, String address, String remoteId, String psk, String description) {
        return new Peer(name, address, "", remoteId, Auth.PSK, psk == null ? null : Secret.of(psk), "", "", "",
                description);
    }

    @Override
    public Kind kind() {
        return Kind.PEER;
    }

    public boolean pskSet() {
        return psk != null;
    }

    /** This peer with the pre-shared key {@code psk}. */
    public Peer withPsk(Secret psk) {
        return new Peer(name, address, localId, remoteId, auth, psk, certificate, ca, ikeProposals, description);
    }
}
