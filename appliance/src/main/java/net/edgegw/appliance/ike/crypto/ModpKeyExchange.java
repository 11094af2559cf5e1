package net.edgegw.appliance.ike.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import javax.crypto.interfaces.DHPublicKey;
import javax.crypto.spec.DHParameterSpec;
import javax.crypto.spec.DHPrivateKeySpec;
import javax.crypto.spec.DHPublicKeySpec;
import net.edgegw.appliance.ike.IkeProtocolException;
import org.bouncycastle.crypto.agreement.DHStandardGroups;

/**
 * Finite-field Diffie-Hellman over the RFC 3526 MODP groups 14, 15 and 16, through the JDK's "DH" provider; the
 * primes are Bouncy Castle's {@link DHStandardGroups} (not retyped here).
 * The private exponent size is the JDK's default for the prime size (twice the group's security strength).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3526">RFC 3526</a>
 */
final class ModpKeyExchange extends KeyExchange {
    private static final BigInteger GENERATOR = BigInteger.TWO; // RFC 3526 §3-§5: "The generator is: 2."

    private final BigInteger p;
    private final PrivateKey privateKey;

    private ModpKeyExchange(int group, BigInteger p, PrivateKey privateKey, BigInteger y) {
        super(group, toFixed(y, publicValueLength(group)));
        this.p = p;
        this.privateKey = privateKey;
    }

    /** The RFC 3526 prime of {@code group}. */
    static BigInteger prime(int group) {
        return switch (group) {
            case MODP_2048 -> DHStandardGroups.rfc3526_2048.getP();
            case MODP_3072 -> DHStandardGroups.rfc3526_3072.getP();
            case MODP_4096 -> DHStandardGroups.rfc3526_4096.getP();
            default -> throw new IllegalArgumentException("not a MODP group: " + group);
        };
    }

    static ModpKeyExchange generate(int group, SecureRandom rnd) {
        BigInteger p = prime(group);
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("DH");
            kpg.initialize(new DHParameterSpec(p, GENERATOR), rnd);
            KeyPair kp = kpg.generateKeyPair();
            return new ModpKeyExchange(group, p, kp.getPrivate(), ((DHPublicKey) kp.getPublic()).getY());
        } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("JDK DH unavailable", e);
        }
    }

    static ModpKeyExchange fromPrivate(int group, byte[] x) {
        BigInteger p = prime(group);
        BigInteger xi = new BigInteger(1, x);
        try {
            PrivateKey priv = KeyFactory.getInstance("DH").generatePrivate(new DHPrivateKeySpec(xi, p, GENERATOR));
            return new ModpKeyExchange(group, p, priv, GENERATOR.modPow(xi, p));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("bad DH private value", e);
        }
    }

    @Override
    public byte[] sharedSecret(byte[] peerPublic) throws IkeProtocolException {
        checkLength(peerPublic);
        BigInteger y = new BigInteger(1, peerPublic);
        // RFC 6989 §2.1 / RFC 7296 §5.12: 1 < y < p-1. For these safe primes that range check is the whole
        // check RFC 6989 §2.2 asks for (the subgroup of order 2 is {1, p-1}).
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(p.subtract(BigInteger.ONE)) >= 0) {
            throw invalid("MODP public value outside [2, p-2] in group " + group());
        }
        byte[] secret = agree("DH", "DH", privateKey, new DHPublicKeySpec(y, p, GENERATOR));
        // RFC 7296 §2.14 / RFC 2631: g^ir is left-padded with zeros to the length of the prime.
        return toFixed(new BigInteger(1, secret), publicValueLength(group()));
    }
}
