package net.edgegw.appliance.ike.crypto;

import java.security.SecureRandom;

/**
 * Builds the {@link SkCipher} of one direction of an IKE SA from the negotiated ENCR and INTEG transforms
 * and that direction's SK_e / SK_a (RFC 7296 §2.14).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-3.14">RFC 7296 §3.14</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5282">RFC 5282</a>
 */
public final class SkCiphers {
    // IANA "Transform Type 1 - Encryption Algorithm Transform IDs".
    public static final int ENCR_AES_CBC = 12; // RFC 3602
    public static final int ENCR_AES_GCM_16 = 20; // RFC 4106, RFC 5282 for IKEv2
    public static final int ENCR_CHACHA20_POLY1305 = 28; // RFC 7634
    // IANA "Transform Type 3 - Integrity Algorithm Transform IDs".
    public static final int AUTH_NONE = 0;
    public static final int AUTH_HMAC_SHA2_256_128 = 12; // RFC 4868
    public static final int AUTH_HMAC_SHA2_384_192 = 13;
    public static final int AUTH_HMAC_SHA2_512_256 = 14;

    static final int AEAD_SALT_LEN = 4; // RFC 5282 §7.1 (GCM), RFC 7634 §2 (ChaCha20-Poly1305)
    static final int CHACHA20_KEY_LEN = 32; // RFC 7634 §2

    private SkCiphers() {}

    /**
     * The cipher for one direction.
     *
     * @param keyLenBits    the Key Length attribute (128/192/256 for AES; 0 or 256 for ChaCha20-Poly1305)
     * @param integIdOrNone {@link #AUTH_NONE} for the AEAD transforms, an HMAC-SHA2 transform for AES-CBC
     * @param encKey        SK_ei or SK_er, {@link #keyLength} bytes (AEAD: key | 4-byte salt)
     * @param integKey      SK_ai or SK_ar, {@link #integKeyLength} bytes (ignored, may be null, for AEAD)
     * @param rnd           source of CBC IVs (RFC 7296 §3.14: unpredictable) and of the AEAD IV mask
     * @throws IllegalArgumentException for a combination we don't offer or keys of the wrong length
     */
    public static SkCipher create(int encrId, int keyLenBits, int integIdOrNone, byte[] encKey, byte[] integKey,
            SecureRandom rnd) {
        int encLen = keyLength(encrId, keyLenBits);
        if (encKey.length != encLen) {
            throw new IllegalArgumentException("encryption key is " + encKey.length + " bytes, expected " + encLen);
        }
        if (isAead(encrId)) {
            if (integIdOrNone != AUTH_NONE) {
                throw new IllegalArgumentException("AEAD transform " + encrId + " with integrity " + integIdOrNone);
            }
            return new AeadSkCipher(encrId == ENCR_AES_GCM_16, encKey, rnd);
        }
        int integLen = integKeyLength(integIdOrNone);
        if (integLen == 0) {
            throw new IllegalArgumentException("AES-CBC needs an integrity transform");
        }
        if (integKey == null || integKey.length != integLen) {
            throw new IllegalArgumentException("integrity key must be " + integLen + " bytes");
        }
        return new CbcHmacSkCipher(encKey, integIdOrNone, integKey, rnd);
    }

    public static boolean isAead(int encrId) {
        return encrId == ENCR_AES_GCM_16 || encrId == ENCR_CHACHA20_POLY1305;
    }

    /** Whether {@link #create} accepts this combination. */
    public static boolean supported(int encrId, int keyLenBits, int integIdOrNone) {
        try {
            keyLength(encrId, keyLenBits);
            return isAead(encrId) ? integIdOrNone == AUTH_NONE : integKeyLength(integIdOrNone) > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Bytes of SK_e per direction, including the AEAD salt. */
    public static int keyLength(int encrId, int keyLenBits) {
        return switch (encrId) {
            case ENCR_AES_CBC -> aesKeyBytes(keyLenBits);
            case ENCR_AES_GCM_16 -> aesKeyBytes(keyLenBits) + AEAD_SALT_LEN;
            case ENCR_CHACHA20_POLY1305 -> {
                // RFC 7634 §3: no Key Length attribute is sent; accept its absence or the implied 256.
                if (keyLenBits != 0 && keyLenBits != 256) {
                    throw new IllegalArgumentException("ChaCha20-Poly1305 key length " + keyLenBits);
                }
                yield CHACHA20_KEY_LEN + AEAD_SALT_LEN;
            }
            default -> throw new IllegalArgumentException("unsupported encryption transform " + encrId);
        };
    }

    /** Bytes of SK_a per direction: the HMAC output length (RFC 4868 §2.1.1); 0 for {@link #AUTH_NONE}. */
    public static int integKeyLength(int integId) {
        return switch (integId) {
            case AUTH_NONE -> 0;
            case AUTH_HMAC_SHA2_256_128 -> 32;
            case AUTH_HMAC_SHA2_384_192 -> 48;
            case AUTH_HMAC_SHA2_512_256 -> 64;
            default -> throw new IllegalArgumentException("unsupported integrity transform " + integId);
        };
    }

    private static int aesKeyBytes(int keyLenBits) {
        if (keyLenBits != 128 && keyLenBits != 192 && keyLenBits != 256) {
            throw new IllegalArgumentException("AES key length " + keyLenBits);
        }
        return keyLenBits / 8;
    }
}
