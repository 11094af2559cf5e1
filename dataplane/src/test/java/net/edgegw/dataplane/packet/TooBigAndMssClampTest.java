package net.edgegw.dataplane.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TooBigAndMssClampTest {
    static final byte[] A = {10, (byte) 244, 1, 10};
    static final byte[] B = {10, 96, 1, 10};

    /** An IPv4 TCP SYN with options MSS (kind 2) then NOP NOP SACK-permitted, valid checksum. */
    static Packet syn(int mss, boolean df, int payload) {
        Packet p = Packet.forMtu(2000);
        byte[] b = p.buf;
        int ip = p.off;
        int tcpLen = 28;
        Ipv4Header.write(b, ip, 20 + tcpLen + payload, IpProtocol.TCP, A, B, 0, df);
        int t = ip + 20;
        NetworkOrder.put16(b, t, 40000);
        NetworkOrder.put16(b, t + 2, 5201);
        b[t + 12] = (byte) ((tcpLen / 4) << 4);
        b[t + 13] = 0x02; // SYN
        NetworkOrder.put16(b, t + 14, 64240);
        b[t + 20] = 2;
        b[t + 21] = 4;
        NetworkOrder.put16(b, t + 22, mss);
        b[t + 24] = 1;
        b[t + 25] = 1;
        b[t + 26] = 4;
        b[t + 27] = 2;
        p.len = 20 + tcpLen + payload;
        NetworkOrder.put16(b, t + 16, tcpChecksum(p));
        return p;
    }

    static int tcpChecksum(Packet p) {
        byte[] b = p.buf;
        int t = p.off + 20;
        int len = p.len - 20;
        long sum = InetChecksum.sum(b, p.off + Ipv4Header.SRC, 8, 0) + IpProtocol.TCP + len;
        return InetChecksum.finish(InetChecksum.sum(b, t, len, sum));
    }

    @Test
    void clampLowersMssAndKeepsTheChecksumValid() {
        Packet p = syn(1460, true, 0);
        assertTrue(MssClamp.clamp(p, 1435));
        assertEquals(1395, NetworkOrder.u16(p.buf, p.off + 20 + 22));
        assertEquals(0, tcpChecksum(p), "checksum over a valid segment folds to 0");
    }

    @Test
    void clampLeavesSmallMssAlone() {
        Packet p = syn(1200, true, 0);
        assertFalse(MssClamp.clamp(p, 1435));
        assertEquals(1200, NetworkOrder.u16(p.buf, p.off + 20 + 22));
    }

    @Test
    void fragmentationNeededQuotesTheHeaderAndCarriesTheMtu() {
        Packet big = syn(1460, true, 1500);
        Packet out = Packet.forMtu(2000);
        byte[] gw = {10, (byte) 255, 0, 1};
        TooBig.icmpv4(big, out, gw, 1435);
        byte[] b = out.buf;
        int ip = out.off;
        assertEquals(TooBig.ICMPV4_MAX_ERROR, out.len);
        assertEquals(0, InetChecksum.compute(b, ip, 20), "IPv4 header checksum");
        int icmp = ip + 20;
        assertEquals(3, b[icmp]);
        assertEquals(4, b[icmp + 1]);
        assertEquals(1435, NetworkOrder.u16(b, icmp + 6));
        assertEquals(0, InetChecksum.compute(b, icmp, out.len - 20), "ICMP checksum");
        assertEquals(NetworkOrder.i32(A, 0), NetworkOrder.i32(b, ip + Ipv4Header.DST));
        assertEquals(NetworkOrder.i32(big.buf, big.off + Ipv4Header.SRC), NetworkOrder.i32(b, icmp + 8 + Ipv4Header.SRC));
    }
}
