package net.edgegw.dataplane.io.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.edgegw.dataplane.packet.TestPackets;
import org.junit.jupiter.api.Test;

/** What must not merge is written alone behind a zero virtio header, unchanged. */
class GroCoalesceTest {
    static final int ACK = 0x10;
    final List<byte[]> written = new ArrayList<>();
    final GroCoalesce gro = new GroCoalesce((p, len) -> {
            written.add(Arrays.copyOfRange(p.buf, 0, len));
            return p;
        }, new net.edgegw.dataplane.packet.Packet(GroCoalesce.BUFFER_LEN));

    static byte[] seg(int srcPort, long seq, int flags, int n) {
        return TestPackets.tcp("10.244.1.10", "10.96.1.10", srcPort, 5201, seq, 9, flags, new byte[0],
                GsoSplitTest.data(n));
    }

    void add(byte[]... ps) {
        for (byte[] p : ps) {
            gro.add(p, 0, p.length);
        }
        gro.flush();
    }

    void assertAlone(byte[]... expected) {
        assertEquals(expected.length, written.size());
        for (int i = 0; i < expected.length; i++) {
            byte[] w = written.get(i);
            assertEquals(VirtioNetHdr.GSO_NONE, VirtioNetHdr.gsoType(w, 0));
            assertEquals(0, VirtioNetHdr.flags(w, 0));
            assertArrayEquals(expected[i], Arrays.copyOfRange(w, VirtioNetHdr.LEN, w.length), "packet " + i);
        }
    }

    @Test
    void outOfOrderDoesNotMerge() {
        byte[] a = seg(1000, 100, ACK, 500);
        byte[] b = seg(1000, 700, ACK, 500); // a gap of 100 bytes
        add(a, b);
        assertAlone(a, b);
    }

    @Test
    void otherFlowSynFinAndUdpDoNotMerge() {
        byte[] a = seg(1000, 100, ACK, 500);
        byte[] otherPort = seg(1001, 600, ACK, 500);
        byte[] syn = seg(1000, 600, 0x02, 0);
        byte[] fin = seg(1000, 600, ACK | 0x01, 500);
        byte[] udp = TestPackets.udp("10.244.1.10", "10.96.1.10", 500);
        add(a, otherPort, syn, fin, udp);
        assertAlone(a, otherPort, syn, fin, udp);
    }

    @Test
    void aLargerSegmentStartsAnewAndAShorterOneEndsTheRun() {
        byte[] a = seg(1000, 0, ACK, 500);
        byte[] b = seg(1000, 500, ACK, 600); // larger than the first: cannot follow it
        byte[] c = seg(1000, 1100, ACK, 600);
        byte[] d = seg(1000, 1700, ACK, 100); // shorter: joins, and ends the run
        byte[] e = seg(1000, 1800, ACK, 600);
        add(a, b, c, d, e);
        assertEquals(3, written.size());
        assertArrayEquals(a, Arrays.copyOfRange(written.get(0), VirtioNetHdr.LEN, written.get(0).length));
        byte[] run = written.get(1);
        assertEquals(VirtioNetHdr.GSO_TCPV4, VirtioNetHdr.gsoType(run, 0));
        assertEquals(600, VirtioNetHdr.gsoSize(run, 0));
        assertEquals(VirtioNetHdr.LEN + 40 + 1300, run.length);
        assertEquals(1, gro.coalesced);
        assertEquals(3, gro.segmentsCoalesced);
        assertArrayEquals(e, Arrays.copyOfRange(written.get(2), VirtioNetHdr.LEN, written.get(2).length));
    }

    @Test
    void aSinkThatKeepsTheBufferGetsAFreshOneEachTime() {
        List<net.edgegw.dataplane.packet.Packet> kept = new ArrayList<>();
        GroCoalesce g = new GroCoalesce((p, len) -> {
            p.len = len;
            kept.add(p);
            return new net.edgegw.dataplane.packet.Packet(GroCoalesce.BUFFER_LEN);
        }, new net.edgegw.dataplane.packet.Packet(GroCoalesce.BUFFER_LEN));
        byte[] a = seg(1000, 0, ACK, 500);
        byte[] b = seg(1000, 500, ACK, 500);
        byte[] c = seg(1000, 5000, ACK, 500); // a gap: a new run
        byte[] d = seg(1000, 5500, ACK, 300);
        for (byte[] x : new byte[][] {a, b, c, d}) {
            g.add(x, 0, x.length);
        }
        g.flush();
        assertEquals(2, kept.size());
        assertTrue(kept.get(0) != kept.get(1), "each write kept its own buffer");
        assertEquals(VirtioNetHdr.LEN + 40 + 1000, kept.get(0).len);
        assertEquals(VirtioNetHdr.LEN + 40 + 800, kept.get(1).len);
        assertEquals(5000, net.edgegw.dataplane.packet.NetworkOrder.u32(kept.get(1).buf, VirtioNetHdr.LEN + 24));
    }

    @Test
    void differentAckDoesNotMerge() {
        byte[] a = seg(1000, 0, ACK, 500);
        byte[] b = TestPackets.tcp("10.244.1.10", "10.96.1.10", 1000, 5201, 500, 10, ACK, new byte[0],
                GsoSplitTest.data(500));
        add(a, b);
        assertAlone(a, b);
    }
}
