package net.edgegw.appliance.ike.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import net.edgegw.appliance.ike.IkeProtocolException;

/**
 * Curve25519 as IKE group 31 (RFC 8031) through the JDK's XDH: the public value and the shared secret are
 * the 32-octet little-endian u-coordinates of RFC 7748 §5, and an all-zero shared secret is refused
 * (RFC 8031 §2.3).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8031#section-2">RFC 8031 §2</a>
 */
final class X25519KeyExchange extends KeyExchange {
    private static final int LEN = 32; // RFC 7748 §5: 32-octet scalars and u-coordinates
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19)); // RFC 7748 §4.1
    private static final byte[] BASE_POINT = new byte[LEN]; // RFC 7748 §4.1: u = 9
    static {
        BASE_POINT[0] = 9;
    }

    private final PrivateKey privateKey;

    private X25519KeyExchange(PrivateKey privateKey, byte[] publicValue) {
        super(CURVE25519, publicValue);
        this.privateKey = privateKey;
    }

    static X25519KeyExchange generate(SecureRandom rnd) {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("X25519");
            kpg.initialize(NamedParameterSpec.X25519, rnd);
            KeyPair kp = kpg.generateKeyPair();
            return new X25519KeyExchange(kp.getPrivate(), encodeU(((XECPublicKey) kp.getPublic()).getU()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK X25519 unavailable", e);
        }
    }

    /** From a fixed RFC 7748 scalar (clamped by the JDK as §5 says); the public value is X25519(k, 9). */
    static X25519KeyExchange fromPrivate(byte[] scalar) {
        if (scalar.length != LEN) {
            throw new IllegalArgumentException("X25519 scalar must be 32 bytes");
        }
        try {
            PrivateKey priv = KeyFactory.getInstance("XDH")
                    .generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar.clone()));
            return new X25519KeyExchange(priv, jdkAgree("X25519", "XDH", priv,
                    new XECPublicKeySpec(NamedParameterSpec.X25519, decodeU(BASE_POINT))));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("bad X25519 scalar", e);
        }
    }

    @Override
    public byte[] sharedSecret(byte[] peerPublic) throws IkeProtocolException {
        checkLength(peerPublic);
        // The JDK itself refuses most small-order points; the all-zero check below is ours (RFC 8031 §2.3).
        byte[] secret = agree("X25519", "XDH", privateKey, new XECPublicKeySpec(NamedParameterSpec.X25519,
                decodeU(peerPublic)));
        int acc = 0;
        for (byte b : secret) {
            acc |= b;
        }
        if (acc == 0) { // RFC 8031 §2.3: MUST check the result is not all zero
            throw invalid("X25519 shared secret is all zero (small-order public value)");
        }
        return secret;
    }

    /**
     * RFC 7748 §5 decodeUCoordinate: little-endian, the most significant bit of the last octet masked; a
     * non-canonical value (>= p) is accepted and reduced, as §5 asks.
     */
    static BigInteger decodeU(byte[] u) {
        byte[] be = new byte[LEN];
        for (int i = 0; i < LEN; i++) {
            be[i] = u[LEN - 1 - i];
        }
        be[0] &= 0x7f;
        return new BigInteger(1, be).mod(P);
    }

    /** RFC 7748 §5 encodeUCoordinate (u already reduced mod p by the JDK). */
    static byte[] encodeU(BigInteger u) {
        byte[] be = toFixed(u, LEN);
        byte[] le = new byte[LEN];
        for (int i = 0; i < LEN; i++) {
            le[i] = be[LEN - 1 - i];
        }
        return le;
    }
}
