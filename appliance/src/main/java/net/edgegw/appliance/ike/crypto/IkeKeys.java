package net.edgegw.appliance.ike.crypto;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The seven secrets of an IKE SA (RFC 7296 §2.14): SK_d for Child SA keys, SK_ai/SK_ar for integrity,
 * SK_ei/SK_er for encryption (for AEAD: key | salt) and SK_pi/SK_pr for the AUTH payloads. The "i" keys
 * protect what the original initiator sends.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-2.14">RFC 7296 §2.14</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-2.18">RFC 7296 §2.18</a>
 */
public record IkeKeys(byte[] skD, byte[] skAi, byte[] skAr, byte[] skEi, byte[] skEr, byte[] skPi, byte[] skPr) {

    /**
     * Keys of a new IKE SA from IKE_SA_INIT: {@code SKEYSEED = prf(Ni | Nr, g^ir)} and
     * {@code {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)}.
     *
     * <p>The nonces are used whole as the PRF key: §2.14's rule of taking only their first halves applies to
     * PRFs with a fixed key size (AES-XCBC/CMAC), which we don't offer.
     *
     * @param encKeyLen   bytes of SK_e per direction, including an AEAD salt (RFC 5282 §7.1, RFC 7634 §2)
     * @param integKeyLen bytes of SK_a per direction (0 for AEAD)
     */
    public static IkeKeys derive(Prf prf, byte[] sharedSecret, byte[] ni, byte[] nr, long spiI, long spiR,
            int encKeyLen, int integKeyLen) {
        byte[] skeyseed = prf.apply(concat(ni, nr), sharedSecret);
        return expand(prf, skeyseed, ni, nr, spiI, spiR, encKeyLen, integKeyLen);
    }

    /**
     * Keys of the IKE SA that replaces one in CREATE_CHILD_SA (RFC 7296 §2.18):
     * {@code SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)} with the old SA's PRF, then prf+ as in §2.14
     * with the new PRF, nonces and SPIs.
     */
    public static IkeKeys deriveRekey(Prf prfOld, byte[] skDOld, Prf prfNew, byte[] sharedSecret, byte[] ni,
            byte[] nr, long spiI, long spiR, int encKeyLen, int integKeyLen) {
        byte[] skeyseed = prfOld.apply(skDOld, concat(sharedSecret, ni, nr));
        return expand(prfNew, skeyseed, ni, nr, spiI, spiR, encKeyLen, integKeyLen);
    }

    private static IkeKeys expand(Prf prf, byte[] skeyseed, byte[] ni, byte[] nr, long spiI, long spiR,
            int encKeyLen, int integKeyLen) {
        if (encKeyLen < 0 || integKeyLen < 0) {
            throw new IllegalArgumentException("negative key length");
        }
        byte[] seed = ByteBuffer.allocate(ni.length + nr.length + 16).put(ni).put(nr).putLong(spiI).putLong(spiR)
                .array();
        int pLen = prf.preferredKeyLength();
        byte[] km = prf.plus(skeyseed, seed, 3 * pLen + 2 * integKeyLen + 2 * encKeyLen);
        Arrays.fill(skeyseed, (byte) 0);
        int[] off = {0};
        IkeKeys keys = new IkeKeys(take(km, off, pLen), take(km, off, integKeyLen), take(km, off, integKeyLen),
                take(km, off, encKeyLen), take(km, off, encKeyLen), take(km, off, pLen), take(km, off, pLen));
        Arrays.fill(km, (byte) 0);
        return keys;
    }

    static byte[] take(byte[] km, int[] off, int len) {
        byte[] k = Arrays.copyOfRange(km, off[0], off[0] + len);
        off[0] += len;
        return k;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    /** Keys are secrets: never printed. */
    @Override
    public String toString() {
        return "IkeKeys[SK_d " + skD.length + " B, SK_a " + skAi.length + " B, SK_e " + skEi.length + " B, SK_p "
                + skPi.length + " B]";
    }
}
