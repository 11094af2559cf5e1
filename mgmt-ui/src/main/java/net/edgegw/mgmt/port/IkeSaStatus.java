package net.edgegw.mgmt.port;

import java.time.Instant;

/**
 * One IKE SA of a tunnel as the operator sees it (RFC 7296 §1.1): who we are to whom, what was negotiated, and
 * its timers.
 *
 * @param state              {@code CONNECTING}, {@code ESTABLISHED}, {@code DELETING}
 * @param localSpi           our IKE SPI, 16 hex digits
 * @param remoteSpi          the peer's, 16 hex digits ({@code 0000000000000000} before its answer)
 * @param initiator          whether we initiated this IKE SA
 * @param encryption         e.g. {@code AES_GCM_16_128}; {@code ""} before IKE_SA_INIT completed
 * @param prf                e.g. {@code PRF_HMAC_SHA2_256}
 * @param integrity          e.g. {@code AUTH_HMAC_SHA2_256_128}, {@code ""} with an AEAD cipher
 * @param dhGroup            e.g. {@code CURVE_25519}
 * @param local              our address:port (500, or 4500 after the NAT-T move)
 * @param remote             the peer's address:port
 * @param natLocal           a NAT in front of us (RFC 7296 §2.23)
 * @param natRemote          a NAT in front of the peer
 * @param establishedAt      when it was established, null while connecting
 * @param rekeySeconds       seconds until its rekey, -1 when none is scheduled
 */
public record IkeSaStatus(String state, String localSpi, String remoteSpi, boolean initiator, String encryption,
                          String prf, String integrity, String dhGroup, String local, String remote,
                          boolean natLocal, boolean natRemote, Instant establishedAt, long rekeySeconds) {
}
