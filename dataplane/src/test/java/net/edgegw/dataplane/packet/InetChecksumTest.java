package net.edgegw.dataplane.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time sum against the RFC 1071 definition, 16 bits at a time, at every length and alignment. */
class InetChecksumTest {
    static int reference(byte[] b, int off, int n) {
        long sum = 0;
        for (int i = 0; i < n; i += 2) {
            int hi = b[off + i] & 0xff;
            int lo = i + 1 < n ? b[off + i + 1] & 0xff : 0;
            sum += hi << 8 | lo;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    @Test
    void matchesTheDefinition() {
        Random r = new Random(7);
        byte[] b = new byte[65536 + 16];
        r.nextBytes(b);
        for (int n = 0; n <= 300; n++) {
            for (int off = 0; off < 3; off++) {
                assertEquals(reference(b, off, n), InetChecksum.compute(b, off, n), "len " + n + " off " + off);
            }
        }
        assertEquals(reference(b, 5, 65535), InetChecksum.compute(b, 5, 65535));
        java.util.Arrays.fill(b, (byte) 0xff);
        assertEquals(reference(b, 0, 65536), InetChecksum.compute(b, 0, 65536), "all ones: the largest sums");
    }
}
