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

/**
 * Finite-field Diffie-Hellman over the RFC 3526 MODP groups 14, 15 and 16, through the JDK's "DH" provider.
 * The private exponent size is the JDK's default for the prime size (twice the group's security strength).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3526">RFC 3526</a>
 */
final class ModpKeyExchange extends KeyExchange {
    private static final BigInteger GENERATOR = BigInteger.TWO; // RFC 3526 §3-§5: "The generator is: 2."

    // RFC 3526 §3: 2048-bit MODP group, generator 2.
    private static final BigInteger P2048 = new BigInteger(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
            + "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
            + "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
            + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
            + "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
            + "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
            + "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718"
            + "3995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF", 16);

    // RFC 3526 §4: 3072-bit MODP group, generator 2.
    private static final BigInteger P3072 = new BigInteger(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
            + "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
            + "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
            + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
            + "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
            + "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
            + "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718"
            + "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33"
            + "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
            + "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864"
            + "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2"
            + "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF", 16);

    // RFC 3526 §5: 4096-bit MODP group, generator 2.
    private static final BigInteger P4096 = new BigInteger(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
            + "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
            + "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
            + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
            + "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
            + "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
            + "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718"
            + "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33"
            + "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
            + "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864"
            + "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2"
            + "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A92108011A723C12A787E6D7"
            + "88719A10BDBA5B2699C327186AF4E23C1A946834B6150BDA2583E9CA2AD44CE8"
            + "DBBBC2DB04DE8EF92E8EFC141FBECAA6287C59474E6BC05D99B2964FA090C3A2"
            + "233BA186515BE7ED1F612970CEE2D7AFB81BDD762170481CD0069127D5B05AA9"
            + "93B4EA988D8FDDC186FFB7DC90A6C08F4DF435C934063199FFFFFFFFFFFFFFFF", 16);

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
            case MODP_2048 -> P2048;
            case MODP_3072 -> P3072;
            case MODP_4096 -> P4096;
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
