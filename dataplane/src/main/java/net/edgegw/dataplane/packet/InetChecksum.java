package net.edgegw.dataplane.packet;

/**
 * The Internet checksum (ones' complement sum of 16-bit words).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1071">RFC 1071</a>
 */
public final class InetChecksum {
    private InetChecksum() {}

    /** Ones' complement partial sum of {@code b[off, off+n)} added to {@code sum} (not folded). */
    public static long sum(byte[] b, int off, int n, long sum) {
        int i = off;
        int end = off + n;
        // 8 bytes at a time, added as two 32-bit halves: 2^32 = 1 (mod 2^16 - 1), so the folded sum is the same.
        // 32 bytes per step into two sums (independent adds run in parallel): 2^34 per step cannot overflow a
        // long before 2^29 steps (16 GiB).
        long sum2 = 0;
        for (; i + 32 <= end; i += 32) {
            long v0 = NetworkOrder.i64(b, i);
            long v1 = NetworkOrder.i64(b, i + 8);
            long v2 = NetworkOrder.i64(b, i + 16);
            long v3 = NetworkOrder.i64(b, i + 24);
            sum += (v0 >>> 32) + (v0 & 0xffffffffL) + (v1 >>> 32) + (v1 & 0xffffffffL);
            sum2 += (v2 >>> 32) + (v2 & 0xffffffffL) + (v3 >>> 32) + (v3 & 0xffffffffL);
        }
        sum += sum2;
        for (; i + 8 <= end; i += 8) {
            long v = NetworkOrder.i64(b, i);
            sum += (v >>> 32) + (v & 0xffffffffL);
        }
        for (; i + 4 <= end; i += 4) {
            sum += NetworkOrder.u32(b, i);
        }
        for (; i + 2 <= end; i += 2) {
            sum += NetworkOrder.u16(b, i);
        }
        if (i < end) {
            sum += (b[i] & 0xff) << 8;
        }
        return sum;
    }

    /** Folds a partial sum to 16 bits and complements it. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    public static int compute(byte[] b, int off, int n) {
        return finish(sum(b, off, n, 0));
    }
}
