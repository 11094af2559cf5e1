package net.edgegw.dataplane.esp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.edgegw.dataplane.packet.NetworkOrder;
import net.edgegw.dataplane.sa.SaConfig;
import net.edgegw.dataplane.sa.Suite;

/**
 * ESP with AES-CBC (RFC 3602) and an HMAC-SHA-2 ICV truncated to half its output (RFC 4868), encrypt-then-MAC.
 * The ICV covers SPI, sequence number, IV and ciphertext, plus the ESN high bits appended at the end
 * (RFC 4303 §3.3.2.1, §2.2.1); it is verified, in constant time, before anything is decrypted.
 *
 * <p>The IV must be unpredictable (RFC 3602 §2.3). We derive it as E_K(seq || 0), the forward cipher applied to a
 * nonce under the data key, the method NIST SP 800-38A Appendix C recommends: unique per packet, unpredictable
 * without the key, and no random-number generator call per packet.
 */
final class CbcHmacTransform extends EspTransform {
    static final int IV_LEN = 16; // RFC 3602 §2.1: one AES block

    private final Cipher cbc;
    private final Cipher ivGen;
    private final Mac mac;
    private final SecretKeySpec key;
    private final int icvLen;
    private final byte[] ivBlock = new byte[16];
    private final byte[] macOut;
    private final byte[] seqHi = new byte[4];

    CbcHmacTransform(SaConfig c) {
        super(c.esn());
        Suite s = c.suite();
        this.icvLen = s.icvLen;
        this.key = new SecretKeySpec(c.encKey(), 0, s.cipherKeyLen, "AES");
        try {
            this.cbc = Cipher.getInstance("AES/CBC/NoPadding");
            this.ivGen = Cipher.getInstance("AES/ECB/NoPadding");
            this.ivGen.init(Cipher.ENCRYPT_MODE, key);
            this.mac = Mac.getInstance(s.macAlgorithm);
            this.mac.init(new SecretKeySpec(c.authKey(), s.macAlgorithm));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + s.keyword, e);
        }
        this.macOut = new byte[mac.getMacLength()];
    }

    @Override
    public int ivLen() {
        return IV_LEN;
    }

    @Override
    public int icvLen() {
        return icvLen;
    }

    @Override
    public boolean seal(byte[] b, int espOff, int ctLen, long seq) {
        int ivOff = espOff + ESP_HEADER_LEN;
        int ctOff = ivOff + IV_LEN;
        try {
            NetworkOrder.put64(ivBlock, 0, seq);
            ivGen.doFinal(ivBlock, 0, 16, b, ivOff);
            cbc.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(b, ivOff, IV_LEN));
            cbc.doFinal(b, ctOff, ctLen, b, ctOff);
            computeIcv(b, espOff, ctOff + ctLen - espOff, seq);
            System.arraycopy(macOut, 0, b, ctOff + ctLen, icvLen);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public boolean open(byte[] b, int espOff, int ctLen, long seq) {
        int ivOff = espOff + ESP_HEADER_LEN;
        int ctOff = ivOff + IV_LEN;
        if (ctLen % IV_LEN != 0) {
            return false;
        }
        try {
            computeIcv(b, espOff, ctOff + ctLen - espOff, seq);
            int diff = 0;
            int icvOff = ctOff + ctLen;
            for (int i = 0; i < icvLen; i++) {
                diff |= macOut[i] ^ b[icvOff + i];
            }
            if (diff != 0) {
                return false;
            }
            cbc.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(b, ivOff, IV_LEN));
            cbc.doFinal(b, ctOff, ctLen, b, ctOff);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private void computeIcv(byte[] b, int off, int len, long seq) throws GeneralSecurityException {
        mac.update(b, off, len);
        if (esn) {
            NetworkOrder.put32(seqHi, 0, (int) (seq >>> 32));
            mac.update(seqHi, 0, 4);
        }
        mac.doFinal(macOut, 0);
    }
}
