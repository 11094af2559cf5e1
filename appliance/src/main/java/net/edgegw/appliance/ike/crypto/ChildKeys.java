package net.edgegw.appliance.ike.crypto;

import java.util.Arrays;

/**
 * Keying material of a Child SA pair (RFC 7296 §2.17): {@code KEYMAT = prf+(SK_d, [g^ir (new)] | Ni | Nr)},
 * taken as encr_i, integ_i, encr_r, integ_r. The "i" keys protect initiator-to-responder traffic (the SA
 * whose SPI the responder chose), the "r" keys the other direction. For AEAD the encryption key includes
 * the salt (RFC 4106 §8.1, RFC 7634 §4).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-2.17">RFC 7296 §2.17</a>
 */
public record ChildKeys(byte[] encI, byte[] integI, byte[] encR, byte[] integR) {

    /**
     * @param sharedSecretOrNull g^ir of the optional KE payloads in CREATE_CHILD_SA, or null (IKE_AUTH, no PFS)
     * @param encKeyLen          bytes per direction including an AEAD salt
     * @param integKeyLen        bytes per direction (0 for AEAD)
     */
    public static ChildKeys derive(Prf prf, byte[] skD, byte[] sharedSecretOrNull, byte[] ni, byte[] nr,
            int encKeyLen, int integKeyLen) {
        if (encKeyLen < 0 || integKeyLen < 0) {
            throw new IllegalArgumentException("negative key length");
        }
        byte[] seed = sharedSecretOrNull == null ? IkeKeys.concat(ni, nr) : IkeKeys.concat(sharedSecretOrNull, ni, nr);
        byte[] km = prf.plus(skD, seed, 2 * (encKeyLen + integKeyLen));
        int[] off = {0};
        ChildKeys keys = new ChildKeys(IkeKeys.take(km, off, encKeyLen), IkeKeys.take(km, off, integKeyLen),
                IkeKeys.take(km, off, encKeyLen), IkeKeys.take(km, off, integKeyLen));
        Arrays.fill(km, (byte) 0);
        Arrays.fill(seed, (byte) 0);
        return keys;
    }

    /** Keys are secrets: never printed. */
    @Override
    public String toString() {
        return "ChildKeys[enc " + encI.length + " B, integ " + integI.length + " B]";
    }
}
