package net.edgegw.dataplane.esp;

import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.edgegw.dataplane.packet.NetworkOrder;
import net.edgegw.dataplane.sa.SaConfig;
import net.edgegw.dataplane.sa.Suite;

/**
 * ESP with an AEAD cipher from the JDK: AES-GCM with a 16-byte ICV (RFC 4106), ChaCha20-Poly1305 (RFC 7634), or
 * AES-GMAC, integrity only (RFC 4543: the same GCM with IV, payload and trailer moved into the AAD and nothing
 * encrypted). Nonce = 4-byte salt || 8-byte IV; the IV is the 64-bit sequence number, so it never repeats under
 * one key (RFC 4106 §3.1, RFC 7634 §2, RFC 4543 §3.1). The JDK's AES-GCM runs on AES-NI/VAES + CLMUL intrinsics.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4106">RFC 4106</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7634">RFC 7634</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4543#section-3">RFC 4543 §3</a>
 */
final class AeadTransform extends EspTransform {
    static final int IV_LEN = 8;
    static final int ICV_LEN = 16;

    private final Cipher cipher;
    private final SecretKeySpec key;
    private final boolean gcm;
    private final boolean gmac;
    private final byte[] sink = new byte[0];
    /** salt || IV, reused for every packet. */
    private final byte[] nonce = new byte[12];

    AeadTransform(SaConfig c) {
        super(c.esn());
        Suite s = c.suite();
        this.gmac = s.kind == Suite.Kind.GMAC;
        this.gcm = gmac || s.kind == Suite.Kind.AEAD_GCM;
        byte[] k = c.encKey();
        this.key = new SecretKeySpec(k, 0, s.cipherKeyLen, gcm ? "AES" : "ChaCha20");
        System.arraycopy(k, s.cipherKeyLen, nonce, 0, 4);
        try {
            this.cipher = Cipher.getInstance(gcm ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + s.keyword, e);
        }
    }

    @Override
    public int ivLen() {
        return IV_LEN;
    }

    @Override
    public int icvLen() {
        return ICV_LEN;
    }

    private AlgorithmParameterSpec spec() {
        // The JCE copies the nonce into the spec: one small allocation per packet that the JCE API forces on
        // every user (the raw-JCE baseline in EspBenchmark pays it too).
        return gcm ? new GCMParameterSpec(ICV_LEN * 8, nonce) : new IvParameterSpec(nonce);
    }

    @Override
    public boolean seal(byte[] b, int espOff, int ctLen, long seq) {
        int ivOff = espOff + ESP_HEADER_LEN;
        NetworkOrder.put64(b, ivOff, seq);
        NetworkOrder.put64(nonce, 4, seq);
        int aadLen = buildAad(b, espOff, seq);
        int ptOff = ivOff + IV_LEN;
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, spec());
            cipher.updateAAD(aad, 0, aadLen);
            if (gmac) {
                cipher.updateAAD(b, ivOff, IV_LEN + ctLen);
                cipher.doFinal(b, ptOff + ctLen);
            } else {
                cipher.doFinal(b, ptOff, ctLen, b, ptOff);
            }
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public boolean open(byte[] b, int espOff, int ctLen, long seq) {
        int ivOff = espOff + ESP_HEADER_LEN;
        System.arraycopy(b, ivOff, nonce, 4, IV_LEN);
        int aadLen = buildAad(b, espOff, seq);
        int ctOff = ivOff + IV_LEN;
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, spec());
            cipher.updateAAD(aad, 0, aadLen);
            if (gmac) {
                cipher.updateAAD(b, ivOff, IV_LEN + ctLen);
                cipher.doFinal(b, ctOff + ctLen, ICV_LEN, sink, 0);
            } else {
                cipher.doFinal(b, ctOff, ctLen + ICV_LEN, b, ctOff);
            }
            return true;
        } catch (AEADBadTagException e) {
            // The JCE reports a bad tag only by exception; it costs a stack trace per forged packet, which
            // the replay pre-check and the per-SA counters keep in bounds.
            return false;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
