package net.edgegw.appliance.ike.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.edgegw.appliance.ike.IkeProtocolException;

/**
 * The Encrypted payload with an AEAD transform (RFC 5282): AES-GCM with a 16-octet ICV (RFC 4106 nonce
 * format) or ChaCha20-Poly1305 (RFC 7634). Sealed bytes are {@code IV(8) | ciphertext | ICV(16)}, nonce =
 * salt(4) | IV(8), and the plaintext still ends with a Pad Length octet (RFC 5282 §3; we send no padding).
 *
 * <p>IVs: a 64-bit counter XOR a random mask chosen at construction, so they never repeat within one
 * instance (RFC 5282 §3.1 asks for uniqueness under a key, not unpredictability). The IKE SA must therefore
 * use a single instance per direction.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5282#section-3">RFC 5282 §3</a>
 */
final class AeadSkCipher implements SkCipher {
    static final int IV_LEN = 8; // RFC 5282 §3.1, RFC 7634 §2
    static final int ICV_LEN = 16; // AES-GCM-16 (RFC 4106 §3), Poly1305 tag (RFC 7634 §2)
    private static final int NONCE_LEN = SkCiphers.AEAD_SALT_LEN + IV_LEN;

    private final boolean gcm;
    private final SecretKeySpec key;
    private final byte[] salt;
    private final long ivMask;
    private long counter;
    private final Cipher cipher;

    AeadSkCipher(boolean gcm, byte[] keyAndSalt, SecureRandom rnd) {
        this.gcm = gcm;
        int keyLen = keyAndSalt.length - SkCiphers.AEAD_SALT_LEN;
        this.key = new SecretKeySpec(keyAndSalt, 0, keyLen, gcm ? "AES" : "ChaCha20");
        this.salt = Arrays.copyOfRange(keyAndSalt, keyLen, keyAndSalt.length);
        this.ivMask = rnd.nextLong();
        try {
            this.cipher = Cipher.getInstance(gcm ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCE lacks " + (gcm ? "AES-GCM" : "ChaCha20-Poly1305"), e);
        }
    }

    @Override
    public int sealedLength(int plaintextLen) {
        return IV_LEN + plaintextLen + 1 + ICV_LEN; // + Pad Length octet
    }

    @Override
    public int maxPlaintext(int sealedLen) {
        return Math.max(0, sealedLen - IV_LEN - 1 - ICV_LEN);
    }

    @Override
    public byte[] seal(byte[] aad, byte[] plaintext) {
        long iv = ++counter ^ ivMask;
        if (counter == 0) { // 2^64 messages: unreachable, but never reuse a nonce
            throw new IllegalStateException("AEAD IV space exhausted");
        }
        byte[] out = new byte[sealedLength(plaintext.length)];
        for (int i = 0; i < IV_LEN; i++) {
            out[i] = (byte) (iv >>> (56 - 8 * i));
        }
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, params(out, 0));
            cipher.updateAAD(aad);
            int n = cipher.update(plaintext, 0, plaintext.length, out, IV_LEN);
            // Pad Length = 0 (RFC 7296 §3.14: padding is optional with AEAD; none needed)
            n += cipher.doFinal(new byte[1], 0, 1, out, IV_LEN + n);
            if (IV_LEN + n != out.length) {
                throw new IllegalStateException("AEAD output " + n + " bytes");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AEAD seal failed", e);
        }
        return out;
    }

    @Override
    public byte[] open(byte[] aad, byte[] sealed, int off, int len) throws IkeProtocolException {
        if (len < IV_LEN + 1 + ICV_LEN || off < 0 || off + len > sealed.length) {
            throw new IkeProtocolException(IkeProtocolException.INVALID_SYNTAX, "Encrypted payload too short: " + len);
        }
        byte[] plain;
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, params(sealed, off));
            cipher.updateAAD(aad);
            plain = cipher.doFinal(sealed, off + IV_LEN, len - IV_LEN);
        } catch (AEADBadTagException e) {
            throw new IkeProtocolException(IkeProtocolException.AUTHENTICATION_FAILED, "ICV mismatch");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AEAD open failed", e);
        }
        return stripPadding(plain);
    }

    /** Removes padding and the Pad Length octet; padding contents are not checked (RFC 7296 §3.14). */
    static byte[] stripPadding(byte[] plain) throws IkeProtocolException {
        int padLen = plain[plain.length - 1] & 0xff;
        if (padLen + 1 > plain.length) {
            throw new IkeProtocolException(IkeProtocolException.INVALID_SYNTAX, "Pad Length " + padLen
                    + " exceeds the decrypted " + plain.length + " bytes");
        }
        return Arrays.copyOf(plain, plain.length - padLen - 1);
    }

    private AlgorithmParameterSpec params(byte[] ivSrc, int ivOff) {
        byte[] nonce = new byte[NONCE_LEN];
        System.arraycopy(salt, 0, nonce, 0, salt.length);
        System.arraycopy(ivSrc, ivOff, nonce, salt.length, IV_LEN);
        return gcm ? new GCMParameterSpec(ICV_LEN * 8, nonce) : new IvParameterSpec(nonce);
    }
}
