package net.edgegw.dataplane.esp;

import net.edgegw.dataplane.packet.NetworkOrder;
import net.edgegw.dataplane.sa.SaConfig;

/**
 * The cryptographic half of ESP for one SA: protects and verifies the bytes of an ESP packet in place.
 * One instance per SA, used only by the SA's owning worker (it holds keyed JCE objects and scratch arrays).
 *
 * <p>Layout at {@code espOff} (RFC 4303 §2):
 * <pre>
 * | SPI (4) | Sequence Number (4) | IV (ivLen) | Payload + Padding + Pad Length + Next Header (ctLen) | ICV |
 * </pre>
 * Failures are return values, not exceptions: bad ICVs are expected input for a network device.
 */
public abstract class EspTransform {
    public static final int ESP_HEADER_LEN = 8; // RFC 4303 §2: SPI + Sequence Number

    /** SPI || [ESN high 32 bits] || sequence number: the AAD of RFC 4106 §5 / RFC 7634 §2.1 / RFC 4543 §3.3. */
    protected final byte[] aad = new byte[12];
    protected final boolean esn;

    protected EspTransform(boolean esn) {
        this.esn = esn;
    }

    public static EspTransform create(SaConfig c) {
        return switch (c.suite().kind) {
            case AEAD_GCM, AEAD_CHACHA, GMAC -> new AeadTransform(c);
            case CBC_HMAC -> new CbcHmacTransform(c);
            case AH_HMAC -> throw new IllegalArgumentException("AH suite given to ESP");
        };
    }

    public abstract int ivLen();

    public abstract int icvLen();

    /**
     * Writes the IV, encrypts {@code ctLen} bytes (payload and trailer, already in place after the IV) and
     * appends the ICV. SPI and the low 32 bits of {@code seq} are already written at {@code espOff}.
     *
     * @return false only if the JCE refused (a bug, never expected)
     */
    public abstract boolean seal(byte[] b, int espOff, int ctLen, long seq);

    /**
     * Verifies the ICV after {@code ctLen} bytes of ciphertext and, if it holds, decrypts them in place.
     *
     * @param seq the full sequence number (ESN high bits inferred by the replay window)
     * @return false if the ICV does not verify (the bytes may have been left as they were)
     */
    public abstract boolean open(byte[] b, int espOff, int ctLen, long seq);

    /** Fills {@link #aad} from the packet's SPI and the full sequence number; returns its length. */
    protected final int buildAad(byte[] b, int espOff, long seq) {
        System.arraycopy(b, espOff, aad, 0, 4);
        if (esn) {
            NetworkOrder.put64(aad, 4, seq); // RFC 4106 §5: SPI, high-order 32 bits, low-order 32 bits
            return 12;
        }
        NetworkOrder.put32(aad, 4, (int) seq);
        return 8;
    }
}
