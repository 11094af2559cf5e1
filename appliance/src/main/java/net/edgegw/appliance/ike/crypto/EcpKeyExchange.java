package net.edgegw.appliance.ike.crypto;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import net.edgegw.appliance.ike.IkeProtocolException;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;

/**
 * ECDH over the NIST prime curves P-256/384/521 as IKE groups 19/20/21, through the JDK's "EC" provider.
 * Wire format (RFC 5903 §7): the public value is {@code x | y}, each a fixed-length big-endian field element,
 * with no SEC1 point-format octet; the shared secret is the x coordinate of the common point.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5903#section-7">RFC 5903 §7</a>
 */
final class EcpKeyExchange extends KeyExchange {
    private final ECParameterSpec params;
    private final int coordinateLength;
    private final PrivateKey privateKey;

    private EcpKeyExchange(int group, ECParameterSpec params, PrivateKey privateKey, BigInteger x, BigInteger y) {
        super(group, IkeKeys.concat(toFixed(x, publicValueLength(group) / 2),
                toFixed(y, publicValueLength(group) / 2)));
        this.params = params;
        this.coordinateLength = publicValueLength(group) / 2;
        this.privateKey = privateKey;
    }

    static String curveName(int group) {
        return switch (group) {
            case ECP_256 -> "secp256r1";
            case ECP_384 -> "secp384r1";
            case ECP_521 -> "secp521r1";
            default -> throw new IllegalArgumentException("not an ECP group: " + group);
        };
    }

    static ECParameterSpec params(int group) {
        try {
            AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
            ap.init(new ECGenParameterSpec(curveName(group)));
            return ap.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks curve " + curveName(group), e);
        }
    }

    static EcpKeyExchange generate(int group, SecureRandom rnd) {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec(curveName(group)), rnd);
            KeyPair kp = kpg.generateKeyPair();
            ECPublicKey pub = (ECPublicKey) kp.getPublic();
            return new EcpKeyExchange(group, pub.getParams(), kp.getPrivate(),
                    pub.getW().getAffineX(), pub.getW().getAffineY());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK EC unavailable for " + curveName(group), e);
        }
    }

    /** From a fixed scalar (vectors); the public point is computed with Bouncy Castle, the JDK has no API for it. */
    static EcpKeyExchange fromPrivate(int group, byte[] scalar) {
        BigInteger s = new BigInteger(1, scalar);
        ECParameterSpec params = params(group);
        org.bouncycastle.math.ec.ECPoint q =
                ECNamedCurveTable.getByName(curveName(group)).getG().multiply(s).normalize();
        try {
            PrivateKey priv = KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(s, params));
            return new EcpKeyExchange(group, params, priv,
                    q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("bad EC private scalar", e);
        }
    }

    @Override
    public byte[] sharedSecret(byte[] peerPublic) throws IkeProtocolException {
        checkLength(peerPublic);
        BigInteger x = new BigInteger(1, java.util.Arrays.copyOfRange(peerPublic, 0, coordinateLength));
        BigInteger y = new BigInteger(1, java.util.Arrays.copyOfRange(peerPublic, coordinateLength, peerPublic.length));
        // RFC 7296 §5.12 / RFC 6989 §2.3: the point must be on the curve. The point at infinity has no x | y
        // encoding; (0, 0) is not on these curves (b != 0), so this check refuses it too.
        if (!onCurve(params.getCurve(), x, y)) {
            throw invalid("ECP public value not on the curve of group " + group());
        }
        byte[] secret = agree("ECDH", "EC", privateKey, new ECPublicKeySpec(new ECPoint(x, y), params));
        return toFixed(new BigInteger(1, secret), coordinateLength);
    }

    /** {@code 0 <= x, y < p} and {@code y^2 = x^3 + ax + b (mod p)} (SEC1 §3.2.2.1 steps 2-3). */
    static boolean onCurve(EllipticCurve curve, BigInteger x, BigInteger y) {
        BigInteger p = ((ECFieldFp) curve.getField()).getP();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger lhs = y.multiply(y).mod(p);
        BigInteger rhs = x.multiply(x).add(curve.getA()).multiply(x).add(curve.getB()).mod(p);
        return lhs.equals(rhs);
    }
}
