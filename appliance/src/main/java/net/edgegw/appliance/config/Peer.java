package net.edgegw.appliance.config;

import java.util.List;

/**
 * A remote IKEv2 gateway: where it is, how both ends identify and authenticate (RFC 7296 §2.15, §3.5), the IKE
 * proposals offered (strongSwan syntax, see {@link Proposal}), and the liveness (RFC 7296 §2.4) and NAT
 * traversal (RFC 7296 §2.23, RFC 3948) settings.
 *
 * @param address            the remote gateway's IP literal or FQDN
 * @param localId            our IKE identity (IP literal, FQDN, user@fqdn or a DN), null = our address
 * @param remoteId           the identity the peer must prove, null = its address
 * @param ikeLifetimeSeconds IKE SA rekey interval
 */
public record Peer(String name, String address, String localId, String remoteId, Auth auth,
                   List<String> ikeProposals, int ikeLifetimeSeconds, Dpd dpd, NatTraversal natTraversal,
                   String description) {

    public static final int DEFAULT_IKE_LIFETIME_SECONDS = 14_400;

    public Peer {
        ikeProposals = List.copyOf(ikeProposals == null ? List.of() : ikeProposals);
        dpd = dpd == null ? Dpd.DEFAULT : dpd;
        natTraversal = natTraversal == null ? NatTraversal.DEFAULT : natTraversal;
    }

    public enum AuthMethod { PSK, CERTIFICATE }

    /**
     * How this gateway authenticates to the peer and the peer to it: a pre-shared key, or our certificate (by
     * name, from the config's certificates) plus the CA that must have issued the peer's certificate.
     */
    public record Auth(AuthMethod method, Secret psk, String certificate, String ca) {
        public static Auth psk(Secret psk) {
            return new Auth(AuthMethod.PSK, psk, null, null);
        }

        public static Auth certificate(String certificate, String ca) {
            return new Auth(AuthMethod.CERTIFICATE, null, certificate, ca);
        }
    }

    public enum DpdAction { RESTART, CLEAR, HOLD }

    /** Dead peer detection: an INFORMATIONAL probe after {@code delaySeconds} of silence; 0 turns it off. */
    public record Dpd(int delaySeconds, int timeoutSeconds, DpdAction action) {
        public static final Dpd DEFAULT = new Dpd(30, 150, DpdAction.RESTART);
    }

    /**
     * NAT-T: detection on (RFC 7296 §2.23), optionally UDP encapsulation forced even without a NAT, and the
     * keepalive interval (RFC 3948 §4).
     */
    public record NatTraversal(boolean enabled, boolean forceEncapsulation, int keepaliveSeconds) {
        public static final NatTraversal DEFAULT = new NatTraversal(true, false, 20);
    }
}
