package net.edgegw.dataplane.io.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.edgegw.dataplane.packet.NetworkOrder;
import net.edgegw.dataplane.packet.TestPackets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Segmentation of TUN super-packets and coalescing back, checked with the independent checksum code of
 * {@link TestPackets}: a 5000-byte TCP super-packet (timestamps option) cut at MSS 1400 must give 4 valid
 * segments, and those must coalesce into the same super-packet again.
 */
class GsoSplitTest {
    static final byte[] TS_OPTION = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2}; // NOP NOP timestamps
    static final int ACK = 0x10;
    static final int PSH = 0x08;
    static final int MSS = 1400;

    static byte[] data(int n) {
        byte[] d = new byte[n];
        for (int i = 0; i < n; i++) {
            d[i] = (byte) (i * 7 + 3);
        }
        return d;
    }

    /** As the TUN hands it over: the whole payload behind one header, the checksum field holding the pseudo-header sum. */
    static byte[] superPacket(String src, String dst, long seq, int flags, int payload) {
        byte[] p = TestPackets.tcp(src, dst, 40000, 5201, seq, 777, flags, TS_OPTION, data(payload));
        int hl = (p[0] & 0xf0) == 0x40 ? 20 : 40;
        NetworkOrder.put16(p, hl + 16, TestPackets.tcpPseudoSum(p));
        return p;
    }

    static List<byte[]> split(byte[] p, int mss) {
        int ipHl = (p[0] & 0xf0) == 0x40 ? 20 : 40;
        int hdrLen = GsoSplit.headerLen(p, 0, p.length, ipHl);
        assertEquals(ipHl + 32, hdrLen);
        int n = GsoSplit.segments(p.length - hdrLen, mss);
        int stride = hdrLen + mss + 5; // some slack between segments, as an ESP layout leaves
        byte[] dst = new byte[n * stride + 64];
        int[] lens = new int[n];
        // in two calls, as the worker does when one send cannot take them all
        int k = GsoSplit.split(p, 0, p.length, ipHl, hdrLen, mss, 0, 2, dst, 7, stride, lens);
        int[] rest = new int[n];
        k += GsoSplit.split(p, 0, p.length, ipHl, hdrLen, mss, 2, n, dst, 7 + 2 * stride, stride, rest);
        System.arraycopy(rest, 0, lens, 2, n - 2);
        assertEquals(n, k);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Arrays.copyOfRange(dst, 7 + i * stride, 7 + i * stride + lens[i]));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.244.1.10>10.96.1.10", "fd00:1::10>fd00:2::10"})
    void splitGivesValidSegmentsAndCoalescesBack(String flow) {
        String[] a = flow.split(">");
        boolean v4 = !a[0].contains(":");
        int ipHl = v4 ? 20 : 40;
        byte[] sp = superPacket(a[0], a[1], 0xfffff000L, ACK | PSH, 5000); // sequence numbers wrap inside
        List<byte[]> segs = split(sp, MSS);
        assertEquals(4, segs.size());
        for (int i = 0; i < 4; i++) {
            byte[] s = segs.get(i);
            int pay = i < 3 ? MSS : 5000 - 3 * MSS;
            assertEquals(ipHl + 32 + pay, s.length);
            if (v4) {
                assertEquals(s.length, NetworkOrder.u16(s, 2));
                assertEquals(0x1234 + i, NetworkOrder.u16(s, 4), "IPv4 ID of segment " + i);
                assertTrue(TestPackets.ipv4ChecksumOk(s), "IPv4 header checksum of segment " + i);
            } else {
                assertEquals(s.length - 40, NetworkOrder.u16(s, 4));
            }
            assertTrue(TestPackets.tcpChecksumOk(s), "TCP checksum of segment " + i);
            assertEquals((0xfffff000L + (long) i * MSS) & 0xffffffffL, NetworkOrder.u32(s, ipHl + 4));
            assertEquals(i == 3 ? ACK | PSH : ACK, s[ipHl + 13] & 0xff, "PSH on the last segment only");
            assertArrayEquals(Arrays.copyOfRange(sp, ipHl + 32 + i * MSS, ipHl + 32 + i * MSS + pay),
                    Arrays.copyOfRange(s, ipHl + 32, s.length));
        }

        List<byte[]> written = new ArrayList<>();
        GroCoalesce gro = new GroCoalesce((p, len) -> {
            written.add(Arrays.copyOfRange(p.buf, 0, len));
            return p;
        }, new net.edgegw.dataplane.packet.Packet(GroCoalesce.BUFFER_LEN));
        for (byte[] s : segs) {
            gro.add(s, 0, s.length);
        }
        gro.flush();
        assertEquals(1, written.size(), "one super-packet");
        byte[] w = written.get(0);
        assertEquals(VirtioNetHdr.F_NEEDS_CSUM, VirtioNetHdr.flags(w, 0));
        assertEquals(v4 ? VirtioNetHdr.GSO_TCPV4 : VirtioNetHdr.GSO_TCPV6, VirtioNetHdr.gsoType(w, 0));
        assertEquals(MSS, VirtioNetHdr.gsoSize(w, 0));
        assertEquals(ipHl + 32, VirtioNetHdr.hdrLen(w, 0));
        assertEquals(ipHl, VirtioNetHdr.csumStart(w, 0));
        assertEquals(16, VirtioNetHdr.csumOffset(w, 0));
        byte[] merged = Arrays.copyOfRange(w, VirtioNetHdr.LEN, w.length);
        byte[] expected = sp.clone();
        if (v4) {
            assertTrue(TestPackets.ipv4ChecksumOk(merged));
            System.arraycopy(merged, 10, expected, 10, 2); // the ID of the first segment, checksum recomputed
        }
        assertArrayEquals(expected, merged, "coalesced = the original super-packet");
        assertEquals(1, gro.coalesced);
        assertEquals(4, gro.segmentsCoalesced);
    }

    @Test
    void completesAPartialChecksum() {
        byte[] p = TestPackets.tcp("10.0.0.1", "10.0.0.2", 1, 2, 5, 6, ACK, new byte[0], data(333));
        NetworkOrder.put16(p, 36, TestPackets.tcpPseudoSum(p));
        assertTrue(!TestPackets.tcpChecksumOk(p));
        assertTrue(GsoSplit.completeChecksum(p, 0, p.length, 20, 16));
        assertTrue(TestPackets.tcpChecksumOk(p));
        assertTrue(!GsoSplit.completeChecksum(p, 0, p.length, p.length - 10, 16), "offset beyond the packet");
    }

    @Test
    void malformedSuperPacketsAreRefused() {
        byte[] sp = superPacket("10.0.0.1", "10.0.0.2", 1, ACK, 3000);
        assertEquals(-1, GsoSplit.headerLen(sp, 0, sp.length, 24), "csum_start is not the IP header length");
        assertEquals(-1, GsoSplit.headerLen(sp, 0, 30, 20), "cut inside the TCP header");
        byte[] udp = TestPackets.udp("10.0.0.1", "10.0.0.2", 100);
        assertEquals(-1, GsoSplit.headerLen(udp, 0, udp.length, 20), "not TCP");
        byte[] bad = sp.clone();
        bad[20 + 12] = 0x30; // data offset 12 bytes < 20
        assertEquals(-1, GsoSplit.headerLen(bad, 0, bad.length, 20));
    }
}
