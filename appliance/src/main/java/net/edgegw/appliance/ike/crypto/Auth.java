package net.edgegw.appliance.ike.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The octets an AUTH payload signs or MACs, and the shared-key MIC (RFC 7296 §2.15).
 *
 * <pre>
 * InitiatorSignedOctets = RealMessage1 | NonceRData | MACedIDForI
 * MACedIDForI           = prf(SK_pi, RestOfInitIDPayload)
 * AUTH (shared key)     = prf( prf(Shared Secret, "Key Pad for IKEv2"), &lt;InitiatorSignedOctets&gt;)
 * </pre>
 * and symmetrically for the responder with RealMessage2, NonceIData and SK_pr.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-2.15">RFC 7296 §2.15</a>
 */
public final class Auth {
    // IANA "IKEv2 Authentication Method" (RFC 7296 §3.8, RFC 4754, RFC 7427).
    public static final int RSA_DIGITAL_SIGNATURE = 1;
    public static final int SHARED_KEY_MIC = 2;
    public static final int ECDSA_SHA256_P256 = 9;
    public static final int ECDSA_SHA384_P384 = 10;
    public static final int ECDSA_SHA512_P521 = 11;
    public static final int DIGITAL_SIGNATURE = 14;

    // RFC 7296 §2.15: the 17 ASCII characters, no terminating NUL.
    private static final byte[] KEY_PAD = "Key Pad for IKEv2".getBytes(StandardCharsets.US_ASCII);

    private Auth() {}

    /**
     * {@code RealMessage | NonceOfPeer | prf(SK_px, IDx')}.
     *
     * @param firstMessageBytes the IKE_SA_INIT message sent by the side whose AUTH this is, exactly as it went on
     *                          the wire (RealMessage1 for the initiator's AUTH, RealMessage2 for the responder's)
     * @param peerNonce         the other side's Nonce Data (Nr for the initiator's AUTH, Ni for the responder's)
     * @param skP               SK_pi when computing or checking the initiator's AUTH, SK_pr for the responder's
     * @param idPayloadBody     the ID payload without its generic header: ID Type, 3 reserved octets, data
     */
    public static byte[] signedOctets(byte[] firstMessageBytes, byte[] peerNonce, Prf prf, byte[] skP,
            byte[] idPayloadBody) {
        return IkeKeys.concat(firstMessageBytes, peerNonce, prf.apply(skP, idPayloadBody));
    }

    /** The AUTH payload data for method 2: {@code prf(prf(sharedKey, "Key Pad for IKEv2"), signedOctets)}. */
    public static byte[] psk(Prf prf, byte[] sharedKey, byte[] signedOctets) {
        return prf.apply(prf.apply(sharedKey, KEY_PAD), signedOctets);
    }

    /** Checks a received method-2 AUTH value in constant time. */
    public static boolean verifyPsk(Prf prf, byte[] sharedKey, byte[] signedOctets, byte[] authData) {
        return authData != null && MessageDigest.isEqual(psk(prf, sharedKey, signedOctets), authData);
    }
}
