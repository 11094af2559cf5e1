package net.edgegw.appliance.ike.sa;

import java.net.InetSocketAddress;
import java.util.List;
import net.edgegw.appliance.ike.message.Proposal;
import net.edgegw.dataplane.spd.TrafficSelector;

/**
 * One peer's IKE configuration (a strongSwan "connection" with one child): addresses, identities, the PSK or the
 * certificates, the proposals in preference order, the subnets on each side, and the timers.
 *
 * @param local            our IKE address and port (500)
 * @param remote           the peer's IKE address and port (500)
 * @param localId          our identity (see {@link net.edgegw.appliance.ike.message.IdPayload#parse})
 * @param remoteId         the identity the peer must prove
 * @param psk              the pre-shared key (RFC 7296 §2.15)
 * @param ikeProposals     IKE SA proposals (see {@link Proposals#parseIke})
 * @param espProposals     CHILD SA proposals (see {@link Proposals#parseEsp})
 * @param localTs          our side's subnets (TSi when we initiate)
 * @param remoteTs         the peer's subnets
 * @param forceEncap       announce a NAT (a random NAT_DETECTION_SOURCE_IP, as strongSwan's {@code encap = yes}) so
 *                         ESP is always UDP-encapsulated (our data plane receives ESP only on the NAT-T port)
 * @param retransmitMillis first retransmission timeout (RFC 7296 §2.1)
 * @param retransmitBase   back-off factor per retransmission
 * @param retransmitTries  retransmissions before the peer is declared dead
 * @param dpdSeconds       liveness check after this much silence from the peer, 0 = off (RFC 7296 §2.4)
 * @param ikeRekeySeconds  rekey the IKE SA this long after it was established, 0 = never (§2.18)
 * @param childRekeySeconds rekey each CHILD SA this long after it was created, 0 = never (§2.8)
 * @param fragmentSize     largest IKE message we send unfragmented once both sides announced IKE fragmentation
 *                         (RFC 7383); 0 = we don't announce it
 * @param certs            certificate authentication (CERT, CERTREQ, signature AUTH) instead of the PSK; null = PSK
 * @param natKeepaliveSeconds NAT-keepalive interval when a NAT in front of us was detected (RFC 3948 §4), 0 = off
 */
public record IkeConfig(String name, InetSocketAddress local, InetSocketAddress remote, String localId,
                        String remoteId, byte[] psk, List<Proposal> ikeProposals, List<Proposal> espProposals,
                        List<TrafficSelector> localTs, List<TrafficSelector> remoteTs, boolean forceEncap,
                        long retransmitMillis, double retransmitBase, int retransmitTries, int dpdSeconds,
                        int ikeRekeySeconds, int childRekeySeconds, int fragmentSize,
                        CertCredentials certs, int natKeepaliveSeconds) {
    public static final int IKE_PORT = 500;     // RFC 7296 §2
    public static final int NAT_T_PORT = 4500;  // RFC 7296 §2.23, RFC 3948
    /** Our default fragment size: IKE message bytes, so that IPv6 + UDP + marker + message fit 1280 (RFC 7383 §2.5.1). */
    public static final int DEFAULT_FRAGMENT_SIZE = 1280 - 40 - 8 - 4;
    /** Our default NAT-keepalive interval: below the shortest common UDP mapping timeouts (RFC 3948 §4 suggests 20 s). */
    public static final int DEFAULT_NAT_KEEPALIVE_SECONDS = 20;

    public IkeConfig {
        ikeProposals = List.copyOf(ikeProposals);
        espProposals = List.copyOf(espProposals);
        localTs = List.copyOf(localTs);
        remoteTs = List.copyOf(remoteTs);
        if (ikeProposals.isEmpty() || espProposals.isEmpty()) {
            throw new IllegalArgumentException("at least one IKE and one ESP proposal");
        }
        if (certs == null && (psk == null || psk.length == 0)) {
            throw new IllegalArgumentException("a pre-shared key or a certificate is required");
        }
    }

    /** A PSK peer. */
    public IkeConfig(String name, InetSocketAddress local, InetSocketAddress remote, String localId, String remoteId,
                     byte[] psk, List<Proposal> ikeProposals, List<Proposal> espProposals,
                     List<TrafficSelector> localTs, List<TrafficSelector> remoteTs, boolean forceEncap,
                     long retransmitMillis, double retransmitBase, int retransmitTries, int dpdSeconds,
                     int ikeRekeySeconds, int childRekeySeconds, int fragmentSize) {
        this(name, local, remote, localId, remoteId, psk, ikeProposals, espProposals, localTs, remoteTs, forceEncap,
                retransmitMillis, retransmitBase, retransmitTries, dpdSeconds, ikeRekeySeconds, childRekeySeconds,
                fragmentSize, null, DEFAULT_NAT_KEEPALIVE_SECONDS);
    }

    /** A copy that authenticates with {@code c} instead of the PSK. */
    public IkeConfig withCerts(CertCredentials c) {
        return new IkeConfig(name, local, remote, localId, remoteId, null, ikeProposals, espProposals, localTs,
                remoteTs, forceEncap, retransmitMillis, retransmitBase, retransmitTries, dpdSeconds, ikeRekeySeconds,
                childRekeySeconds, fragmentSize, c, natKeepaliveSeconds);
    }

    /** Keys never appear in logs. */
    @Override
    public String toString() {
        return name + " " + local + " -> " + remote + " " + localId + " -> " + remoteId + " " + localTs + " <-> " + remoteTs;
    }
}
