package net.edgegw.appliance.ike.crypto;

import net.edgegw.appliance.ike.IkeProtocolException;

/**
 * Protection of the Encrypted payload (SK, RFC 7296 §3.14) and of each Encrypted Fragment (SKF, RFC 7383 §2.5)
 * for one direction of an IKE SA: AEAD per RFC 5282 (AES-GCM-16, RFC 7634 ChaCha20-Poly1305), or AES-CBC
 * with an HMAC-SHA2 integrity transform (RFC 4868).
 *
 * <p>The codec owns the framing, this interface the bytes between the generic payload header and the end of the
 * message: {@code IV | ciphertext(payloads | padding | pad length) | ICV}.
 * <ul>
 *   <li>{@code aad} is the message from the first octet of the IKE header through the last octet of the SK
 *       (or SKF) generic payload header (for SKF: through the fragment number fields), with the final lengths
 *       already filled in. For AEAD it is the associated data (RFC 5282 §5.1); for CBC + HMAC the ICV is the
 *       MAC over {@code aad | IV | ciphertext} (RFC 7296 §3.14).</li>
 *   <li>Padding is chosen here (block size for CBC; none needed for AEAD) and stripped again by {@link #open}.</li>
 * </ul>
 * Implementations are used by one thread at a time (the IKE SA's), and need not be thread-safe.
 */
public interface SkCipher {
    /** Length of the sealed bytes ({@code IV | ciphertext | ICV}) for {@code plaintextLen} bytes of payloads. */
    int sealedLength(int plaintextLen);

    /** Largest plaintext that fits in {@code sealedLen} sealed bytes (for fragmentation, RFC 7383 §2.5.1). */
    int maxPlaintext(int sealedLen);

    /** Encrypts {@code plaintext} (the inner payloads) with a fresh IV; returns exactly {@link #sealedLength} bytes. */
    byte[] seal(byte[] aad, byte[] plaintext);

    /**
     * Checks the ICV over {@code aad} and {@code sealed[off, off+len)} and decrypts it; returns the inner payloads
     * with padding and pad length removed.
     *
     * @throws IkeProtocolException AUTHENTICATION_FAILED when the ICV does not verify (RFC 7296 §2.21.2:
     *         the message is then dropped, not answered), INVALID_SYNTAX when the length or padding is malformed
     */
    byte[] open(byte[] aad, byte[] sealed, int off, int len) throws IkeProtocolException;
}
