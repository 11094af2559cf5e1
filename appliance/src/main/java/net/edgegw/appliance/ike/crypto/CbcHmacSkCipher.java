package net.edgegw.appliance.ike.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.edgegw.appliance.ike.IkeProtocolException;

/**
 * The Encrypted payload with AES-CBC (RFC 3602) and an HMAC-SHA2 integrity transform truncated as RFC 4868
 * says: sealed bytes are {@code IV(16) | ciphertext | ICV}, the ICV is the MAC over {@code aad | IV | ciphertext}
 * (RFC 7296 §3.14, encrypt-then-MAC), and the IV is fresh random per message (§3.14: MUST be unpredictable).
 * The plaintext is padded to the block size with zero octets plus the Pad Length octet.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-3.14">RFC 7296 §3.14</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4868#section-2.1">RFC 4868 §2.1</a>
 */
final class CbcHmacSkCipher implements SkCipher {
    static final int BLOCK = 16; // AES block and CBC IV length (RFC 3602 §3)

    private final SecretKeySpec key;
    private final Mac mac;
    private final int icvLen;
    private final SecureRandom rnd;
    private final Cipher cipher;

    CbcHmacSkCipher(byte[] encKey, int integId, byte[] integKey, SecureRandom rnd) {
        this.key = new SecretKeySpec(encKey, "AES");
        this.rnd = rnd;
        String hmac = switch (integId) {
            case SkCiphers.AUTH_HMAC_SHA2_256_128 -> "HmacSHA256";
            case SkCiphers.AUTH_HMAC_SHA2_384_192 -> "HmacSHA384";
            case SkCiphers.AUTH_HMAC_SHA2_512_256 -> "HmacSHA512";
            default -> throw new IllegalArgumentException("unsupported integrity transform " + integId);
        };
        try {
            this.mac = Mac.getInstance(hmac);
            mac.init(new SecretKeySpec(integKey, hmac));
            this.cipher = Cipher.getInstance("AES/CBC/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCE lacks AES-CBC or " + hmac, e);
        }
        this.icvLen = mac.getMacLength() / 2; // RFC 4868 §2.1.1: truncated to half the output
    }

    @Override
    public int sealedLength(int plaintextLen) {
        return BLOCK + paddedLength(plaintextLen) + icvLen;
    }

    @Override
    public int maxPlaintext(int sealedLen) {
        int ct = (sealedLen - BLOCK - icvLen) / BLOCK * BLOCK;
        return Math.max(0, ct - 1);
    }

    /** plaintext + padding + Pad Length, rounded up to the block size. */
    private static int paddedLength(int plaintextLen) {
        return (plaintextLen + 1 + BLOCK - 1) / BLOCK * BLOCK;
    }

    @Override
    public byte[] seal(byte[] aad, byte[] plaintext) {
        int ctLen = paddedLength(plaintext.length);
        byte[] out = new byte[BLOCK + ctLen + icvLen];
        byte[] iv = new byte[BLOCK];
        rnd.nextBytes(iv);
        System.arraycopy(iv, 0, out, 0, BLOCK);
        byte[] padded = Arrays.copyOf(plaintext, ctLen); // zero padding
        padded[ctLen - 1] = (byte) (ctLen - plaintext.length - 1); // Pad Length
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            cipher.doFinal(padded, 0, ctLen, out, BLOCK);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC seal failed", e);
        }
        mac.update(aad);
        mac.update(out, 0, BLOCK + ctLen);
        byte[] full = mac.doFinal();
        System.arraycopy(full, 0, out, BLOCK + ctLen, icvLen);
        return out;
    }

    @Override
    public byte[] open(byte[] aad, byte[] sealed, int off, int len) throws IkeProtocolException {
        int ctLen = len - BLOCK - icvLen;
        if (off < 0 || off + len > sealed.length || ctLen < BLOCK || ctLen % BLOCK != 0) {
            throw new IkeProtocolException(IkeProtocolException.INVALID_SYNTAX,
                    "Encrypted payload of " + len + " bytes is not IV | blocks | ICV");
        }
        mac.update(aad);
        mac.update(sealed, off, BLOCK + ctLen);
        byte[] full = mac.doFinal();
        // constant-time compare of the truncated ICV
        if (!MessageDigest.isEqual(Arrays.copyOf(full, icvLen),
                Arrays.copyOfRange(sealed, off + BLOCK + ctLen, off + len))) {
            throw new IkeProtocolException(IkeProtocolException.AUTHENTICATION_FAILED, "ICV mismatch");
        }
        byte[] plain;
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(sealed, off, BLOCK));
            plain = cipher.doFinal(sealed, off + BLOCK, ctLen);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC open failed", e);
        }
        return AeadSkCipher.stripPadding(plain);
    }
}
