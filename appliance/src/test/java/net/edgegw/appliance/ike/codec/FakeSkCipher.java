package net.edgegw.appliance.ike.codec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.crypto.SkCipher;

/**
 * A test double for the codec tests that need no real keys: 8-byte counter IV, XOR with a fixed byte, 1-byte pad
 * length, and a 12-byte SHA-256 "ICV" over aad | IV | ciphertext, so every flipped bit is detected as a real
 * cipher would. Not cryptography.
 */
final class FakeSkCipher implements SkCipher {
    static final int IV = 8;
    static final int ICV = 12;
    private long counter;

    @Override
    public int sealedLength(int plaintextLen) {
        return IV + plaintextLen + 1 + ICV;
    }

    @Override
    public int maxPlaintext(int sealedLen) {
        return sealedLen - IV - 1 - ICV;
    }

    @Override
    public byte[] seal(byte[] aad, byte[] plaintext) {
        byte[] out = new byte[sealedLength(plaintext.length)];
        long iv = ++counter;
        for (int i = 0; i < IV; i++) {
            out[i] = (byte) (iv >>> (56 - 8 * i));
        }
        for (int i = 0; i < plaintext.length; i++) {
            out[IV + i] = (byte) (plaintext[i] ^ 0x5a);
        }
        out[IV + plaintext.length] = 0x5a; // pad length 0
        byte[] icv = icv(aad, out, 0, out.length - ICV);
        System.arraycopy(icv, 0, out, out.length - ICV, ICV);
        return out;
    }

    @Override
    public byte[] open(byte[] aad, byte[] sealed, int off, int len) throws IkeProtocolException {
        if (len < IV + 1 + ICV) {
            throw new IkeProtocolException(IkeProtocolException.INVALID_SYNTAX, "short SK");
        }
        byte[] icv = icv(aad, sealed, off, len - ICV);
        if (!MessageDigest.isEqual(icv, Arrays.copyOfRange(sealed, off + len - ICV, off + len))) {
            throw new IkeProtocolException(IkeProtocolException.AUTHENTICATION_FAILED, "ICV");
        }
        int ctLen = len - IV - ICV;
        byte[] p = new byte[ctLen];
        for (int i = 0; i < ctLen; i++) {
            p[i] = (byte) (sealed[off + IV + i] ^ 0x5a);
        }
        int pad = p[ctLen - 1] & 0xff;
        if (pad + 1 > ctLen) {
            throw new IkeProtocolException(IkeProtocolException.INVALID_SYNTAX, "pad");
        }
        return Arrays.copyOf(p, ctLen - 1 - pad);
    }

    private static byte[] icv(byte[] aad, byte[] b, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(aad);
            md.update(b, off, len);
            return Arrays.copyOf(md.digest(), ICV);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
