package net.edgegw.dataplane.ah;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.edgegw.dataplane.packet.NetworkOrder;
import net.edgegw.dataplane.sa.SaConfig;
import net.edgegw.dataplane.sa.Suite;

/**
 * The HMAC-SHA-2 ICV of one AH SA (RFC 4302 §3.3.3 with RFC 4868's truncated HMACs). Owned by the SA's worker.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4302#section-3.3.3">RFC 4302 §3.3.3</a>
 */
public final class AhTransform {
    private final Mac mac;
    private final int icvLen;
    private final boolean esn;
    private final byte[] macOut;
    private final byte[] seqHi = new byte[4];
    private final byte[] received = new byte[64];

    public AhTransform(SaConfig c) {
        Suite s = c.suite();
        this.icvLen = s.icvLen;
        this.esn = c.esn();
        try {
            this.mac = Mac.getInstance(s.macAlgorithm);
            this.mac.init(new SecretKeySpec(c.authKey(), s.macAlgorithm));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + s.macAlgorithm, e);
        }
        this.macOut = new byte[mac.getMacLength()];
    }

    public int icvLen() {
        return icvLen;
    }

    /**
     * AH header length: 12 fixed bytes + ICV, padded to a multiple of 32 bits for IPv4 and 64 bits for IPv6
     * (RFC 4302 §2.6).
     */
    public int headerLen(boolean ipv6) {
        int n = Ah.FIXED_LEN + icvLen;
        int a = ipv6 ? 8 : 4;
        return (n + a - 1) / a * a;
    }

    /** Computes the ICV over {@code b[off, off+len)} (+ ESN high bits) into an internal buffer. */
    void compute(byte[] b, int off, int len, long seq) {
        mac.update(b, off, len);
        if (esn) {
            // RFC 4302 §3.3.3.2.1 / §2.5.1: the high-order 32 bits are appended implicitly after the packet.
            NetworkOrder.put32(seqHi, 0, (int) (seq >>> 32));
            mac.update(seqHi, 0, 4);
        }
        try {
            mac.doFinal(macOut, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e); // output buffer is sized from getMacLength(): cannot happen
        }
    }

    void writeIcv(byte[] b, int off) {
        System.arraycopy(macOut, 0, b, off, icvLen);
    }

    void keepReceived(byte[] b, int off) {
        System.arraycopy(b, off, received, 0, icvLen);
    }

    /** Constant-time comparison of the computed ICV with the one kept by {@link #keepReceived}. */
    boolean receivedMatches() {
        int diff = 0;
        for (int i = 0; i < icvLen; i++) {
            diff |= macOut[i] ^ received[i];
        }
        return diff == 0;
    }
}
