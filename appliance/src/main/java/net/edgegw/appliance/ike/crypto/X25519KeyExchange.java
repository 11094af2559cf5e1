package net.edgegw.appliance.ike.crypto;

import java.security.SecureRandom;
import net.edgegw.appliance.ike.IkeProtocolException;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Curve25519 as IKE group 31 (RFC 8031) through Bouncy Castle's RFC 7748 X25519: the public value and the shared
 * secret are the 32-octet little-endian u-coordinates of RFC 7748 §5, and an all-zero shared secret is refused
 * (RFC 8031 §2.3). Bouncy Castle rather than the JDK's XDH: its fixed-base multiplication for the public value
 * and its field arithmetic take about a third of the JDK's time, and x25519 is most of the CPU of an IKE SA
 * setup (bench/ike.sh); no JCA provider lookup per key exchange either.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8031#section-2">RFC 8031 §2</a>
 */
final class X25519KeyExchange extends KeyExchange {
    private static final int LEN = X25519.SCALAR_SIZE; // RFC 7748 §5: 32-octet scalars and u-coordinates

    private final byte[] scalar;

    private X25519KeyExchange(byte[] scalar) {
        super(CURVE25519, publicValue(scalar));
        this.scalar = scalar;
    }

    private static byte[] publicValue(byte[] scalar) {
        byte[] pub = new byte[X25519.POINT_SIZE];
        X25519.generatePublicKey(scalar, 0, pub, 0); // X25519(k, 9), RFC 7748 §6.1
        return pub;
    }

    static X25519KeyExchange generate(SecureRandom rnd) {
        byte[] k = new byte[LEN];
        X25519.generatePrivateKey(rnd, k);
        return new X25519KeyExchange(k);
    }

    /** From a fixed RFC 7748 scalar (clamped as §5 says when it is used). */
    static X25519KeyExchange fromPrivate(byte[] scalar) {
        if (scalar.length != LEN) {
            throw new IllegalArgumentException("X25519 scalar must be 32 bytes");
        }
        return new X25519KeyExchange(scalar.clone());
    }

    @Override
    public byte[] sharedSecret(byte[] peerPublic) throws IkeProtocolException {
        checkLength(peerPublic);
        byte[] secret = new byte[X25519.POINT_SIZE];
        // RFC 7748 §5: the top bit of u is masked and a non-canonical u is reduced; false = all-zero result
        if (!X25519.calculateAgreement(scalar, 0, peerPublic, 0, secret, 0)) {
            throw invalid("X25519 shared secret is all zero (small-order public value)"); // RFC 8031 §2.3
        }
        return secret;
    }
}
