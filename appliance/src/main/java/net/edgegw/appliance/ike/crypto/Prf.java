package net.edgegw.appliance.ike.crypto;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An IKEv2 pseudorandom function (Transform Type 2) and the prf+ expansion built on it.
 *
 * <p>Only the HMAC-SHA2 PRFs (RFC 4868) are offered; their preferred key length is the hash output length
 * (RFC 7296 §2.13), and any key length is accepted. Instances are immutable and thread-safe: each call takes
 * its own {@link Mac} (the IKE control plane, not the packet path).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-2.13">RFC 7296 §2.13</a>
 */
public final class Prf {
    // IANA "Transform Type 2 - Pseudorandom Function Transform IDs" (RFC 7296 §3.3.2, RFC 4868).
    public static final int PRF_HMAC_SHA2_256 = 5;
    public static final int PRF_HMAC_SHA2_384 = 6;
    public static final int PRF_HMAC_SHA2_512 = 7;

    // RFC 7296 §2.13: the counter in prf+ is a single octet, so at most 255 blocks.
    private static final int PRF_PLUS_MAX_BLOCKS = 255;

    private static final Prf SHA2_256 = new Prf(PRF_HMAC_SHA2_256, "HmacSHA256", 32);
    private static final Prf SHA2_384 = new Prf(PRF_HMAC_SHA2_384, "HmacSHA384", 48);
    private static final Prf SHA2_512 = new Prf(PRF_HMAC_SHA2_512, "HmacSHA512", 64);

    private final int id;
    private final String jceName;
    private final int outputLength;

    private Prf(int id, String jceName, int outputLength) {
        this.id = id;
        this.jceName = jceName;
        this.outputLength = outputLength;
    }

    /** The PRF for an IANA transform ID; {@link IllegalArgumentException} for one we don't offer. */
    public static Prf of(int prfId) {
        return switch (prfId) {
            case PRF_HMAC_SHA2_256 -> SHA2_256;
            case PRF_HMAC_SHA2_384 -> SHA2_384;
            case PRF_HMAC_SHA2_512 -> SHA2_512;
            default -> throw new IllegalArgumentException("unsupported PRF transform " + prfId);
        };
    }

    public static boolean supported(int prfId) {
        return prfId == PRF_HMAC_SHA2_256 || prfId == PRF_HMAC_SHA2_384 || prfId == PRF_HMAC_SHA2_512;
    }

    /** The IANA transform ID. */
    public int id() {
        return id;
    }

    public int outputLength() {
        return outputLength;
    }

    /** Key length for SK_d, SK_pi and SK_pr (RFC 7296 §2.14): the HMAC output length (RFC 4868 §2.1.2). */
    public int preferredKeyLength() {
        return outputLength;
    }

    /** {@code prf(key, data)}. */
    public byte[] apply(byte[] key, byte[] data) {
        Mac mac = init(key);
        return mac.doFinal(data);
    }

    /** {@code prf(key, a | b)} without building the concatenation. */
    byte[] apply(byte[] key, byte[] a, byte[] b) {
        Mac mac = init(key);
        mac.update(a);
        return mac.doFinal(b);
    }

    /**
     * prf+ (RFC 7296 §2.13): {@code T1 | T2 | ...} truncated to {@code len} bytes, where
     * {@code T1 = prf(K, S | 0x01)} and {@code Tn = prf(K, Tn-1 | S | n)}.
     *
     * @throws IllegalArgumentException if {@code len} needs more than 255 blocks
     */
    public byte[] plus(byte[] key, byte[] seed, int len) {
        if (len < 0 || len > PRF_PLUS_MAX_BLOCKS * outputLength) {
            throw new IllegalArgumentException("prf+ length " + len + " exceeds 255 blocks of " + outputLength);
        }
        byte[] out = new byte[len];
        Mac mac = init(key);
        byte[] t = new byte[0];
        for (int n = 1, off = 0; off < len; n++) {
            mac.update(t);
            mac.update(seed);
            mac.update((byte) n);
            t = mac.doFinal();
            int take = Math.min(t.length, len - off);
            System.arraycopy(t, 0, out, off, take);
            off += take;
        }
        return out;
    }

    private Mac init(byte[] key) {
        try {
            Mac mac = Mac.getInstance(jceName);
            // HMAC zero-pads the key to the block size, so the empty key equals one zero octet; SecretKeySpec
            // refuses empty keys.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, jceName));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(jceName + " unavailable in this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "PRF_" + jceName.substring(4).replace("SHA", "HMAC_SHA2_");
    }
}
