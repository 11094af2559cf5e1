package net.edgegw.dataplane.esp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.edgegw.dataplane.packet.NetworkOrder;
import net.edgegw.dataplane.sa.SaConfig;
import net.edgegw.dataplane.sa.Suite;

/**
 * ESP integrity without confidentiality: AES-GMAC (ENCR_NULL_AUTH_AES_GMAC). The payload travels in clear;
 * the AAD is SPI, sequence number (64 bits with ESN), IV, payload and trailer; the GCM tag is the ICV.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4543#section-3">RFC 4543 §3</a>
 */
final class GmacTransform extends EspTransform {
    static final int IV_LEN = 8;
    static final int ICV_LEN = 16;

    private final Cipher cipher;
    private final SecretKeySpec key;
    private final byte[] nonce = new byte[12];
    private final byte[] sink = new byte[0];

    GmacTransform(SaConfig c) {
        super(c.esn());
        Suite s = c.suite();
        byte[] k = c.encKey();
        this.key = new SecretKeySpec(k, 0, s.cipherKeyLen, "AES");
        System.arraycopy(k, s.cipherKeyLen, nonce, 0, 4);
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks AES-GCM", e);
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

    @Override
    public boolean seal(byte[] b, int espOff, int ctLen, long seq) {
        int ivOff = espOff + ESP_HEADER_LEN;
        NetworkOrder.put64(b, ivOff, seq);
        NetworkOrder.put64(nonce, 4, seq);
        int aadLen = buildAad(b, espOff, seq);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(ICV_LEN * 8, nonce));
            cipher.updateAAD(aad, 0, aadLen);
            cipher.updateAAD(b, ivOff, IV_LEN + ctLen);
            cipher.doFinal(b, ivOff + IV_LEN + ctLen);
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
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(ICV_LEN * 8, nonce));
            cipher.updateAAD(aad, 0, aadLen);
            cipher.updateAAD(b, ivOff, IV_LEN + ctLen);
            cipher.doFinal(b, ivOff + IV_LEN + ctLen, ICV_LEN, sink, 0);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
