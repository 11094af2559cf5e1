package net.edgegw.appliance.ike.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import javax.crypto.KeyAgreement;
import net.edgegw.appliance.ike.IkeProtocolException;

/**
 * One side of a Diffie-Hellman exchange in a KE payload (RFC 7296 §3.4): our ephemeral key pair for one
 * group, its public value as sent on the wire, and the shared secret g^ir from the peer's value.
 *
 * <p>Groups: MODP 14/15/16 (RFC 3526), ECP 19/20/21 (RFC 5903), Curve25519 31 (RFC 8031). Peer values are
 * checked before use (RFC 7296 §5.12, RFC 6989): a bad one is {@link IkeProtocolException#INVALID_SYNTAX}.
 * An instance is used by one IKE SA at a time and is not thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-2.14">RFC 7296 §2.14</a>
 */
public abstract class KeyExchange {
    // IANA "Transform Type 4 - Key Exchange Method Transform IDs".
    public static final int MODP_2048 = 14; // RFC 3526 §3
    public static final int MODP_3072 = 15; // RFC 3526 §4
    public static final int MODP_4096 = 16; // RFC 3526 §5
    public static final int ECP_256 = 19; // RFC 5903 §3.1
    public static final int ECP_384 = 20; // RFC 5903 §3.2
    public static final int ECP_521 = 21; // RFC 5903 §3.3
    public static final int CURVE25519 = 31; // RFC 8031

    private final int group;
    private final byte[] publicValue;

    KeyExchange(int group, byte[] publicValue) {
        this.group = group;
        this.publicValue = publicValue;
    }

    /** A fresh key pair for {@code dhGroup}; {@link IllegalArgumentException} for a group we don't offer. */
    public static KeyExchange create(int dhGroup, SecureRandom rnd) {
        return switch (dhGroup) {
            case MODP_2048, MODP_3072, MODP_4096 -> ModpKeyExchange.generate(dhGroup, rnd);
            case ECP_256, ECP_384, ECP_521 -> EcpKeyExchange.generate(dhGroup, rnd);
            case CURVE25519 -> X25519KeyExchange.generate(rnd);
            default -> throw new IllegalArgumentException("unsupported key exchange group " + dhGroup);
        };
    }

    /** A key exchange from a fixed private key (big-endian integer; X25519: the RFC 7748 scalar) — for vectors. */
    static KeyExchange fromPrivate(int dhGroup, byte[] privateKey) {
        return switch (dhGroup) {
            case MODP_2048, MODP_3072, MODP_4096 -> ModpKeyExchange.fromPrivate(dhGroup, privateKey);
            case ECP_256, ECP_384, ECP_521 -> EcpKeyExchange.fromPrivate(dhGroup, privateKey);
            case CURVE25519 -> X25519KeyExchange.fromPrivate(privateKey);
            default -> throw new IllegalArgumentException("unsupported key exchange group " + dhGroup);
        };
    }

    public static boolean supported(int dhGroup) {
        return publicValueLength(dhGroup) > 0;
    }

    /** Length of the KE payload's Key Exchange Data for {@code dhGroup}, or -1 if we don't offer it. */
    public static int publicValueLength(int dhGroup) {
        return switch (dhGroup) {
            case MODP_2048 -> 256; // the prime's length (RFC 7296 §3.4: left-padded with zeros)
            case MODP_3072 -> 384;
            case MODP_4096 -> 512;
            case ECP_256 -> 64; // x | y (RFC 5903 §7)
            case ECP_384 -> 96;
            case ECP_521 -> 132;
            case CURVE25519 -> 32; // RFC 8031 §2
            default -> -1;
        };
    }

    /** The IANA group number. */
    public final int group() {
        return group;
    }

    /** Our public value: the KE payload's Key Exchange Data, exactly {@link #publicValueLength} bytes. */
    public final byte[] publicValue() {
        return publicValue.clone();
    }

    /**
     * The shared secret g^ir from the peer's Key Exchange Data, in the group's RFC format (MODP: left-padded
     * to the prime's length; ECP: x only; X25519: 32 bytes).
     *
     * @throws IkeProtocolException INVALID_SYNTAX for a value of the wrong length or outside the group
     */
    public abstract byte[] sharedSecret(byte[] peerPublic) throws IkeProtocolException;

    final void checkLength(byte[] peerPublic) throws IkeProtocolException {
        if (peerPublic == null || peerPublic.length != publicValueLength(group)) {
            throw invalid("key exchange data length " + (peerPublic == null ? -1 : peerPublic.length)
                    + " for group " + group + ", expected " + publicValueLength(group));
        }
    }

    /**
     * Runs the JDK key agreement {@code kaAlg} with our key and the peer's public key spec; a key the provider
     * refuses is INVALID_SYNTAX.
     */
    final byte[] agree(String kaAlg, String keyFactoryAlg, PrivateKey ours, KeySpec peer) throws IkeProtocolException {
        try {
            return jdkAgree(kaAlg, keyFactoryAlg, ours, peer);
        } catch (InvalidKeyException | InvalidKeySpecException e) {
            throw invalid(this + ": public value refused: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(kaAlg + " unavailable in this JDK", e);
        }
    }

    static byte[] jdkAgree(String kaAlg, String keyFactoryAlg, PrivateKey ours, KeySpec peer)
            throws GeneralSecurityException {
        KeyAgreement ka = KeyAgreement.getInstance(kaAlg);
        ka.init(ours);
        ka.doPhase(KeyFactory.getInstance(keyFactoryAlg).generatePublic(peer), true);
        return ka.generateSecret();
    }

    final IkeProtocolException invalid(String why) {
        return new IkeProtocolException(IkeProtocolException.INVALID_SYNTAX, why);
    }

    /** {@code v} as an unsigned big-endian integer of exactly {@code len} bytes. */
    static byte[] toFixed(java.math.BigInteger v, int len) {
        byte[] raw = v.toByteArray();
        if (raw.length == len) {
            return raw;
        }
        byte[] out = new byte[len];
        if (raw.length > len) { // a leading sign octet
            System.arraycopy(raw, raw.length - len, out, 0, len);
        } else {
            System.arraycopy(raw, 0, out, len - raw.length, raw.length);
        }
        return out;
    }

    @Override
    public String toString() {
        return "KeyExchange(group " + group + ")";
    }
}
