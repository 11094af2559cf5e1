package net.edgegw.dataplane.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import net.edgegw.dataplane.packet.InetChecksum;
import net.edgegw.dataplane.packet.Ipv4Header;
import net.edgegw.dataplane.packet.Ipv6Header;
import net.edgegw.dataplane.spd.TrafficSelector;

/** Builds well-formed inner packets for tests: IPv4/IPv6 UDP datagrams with correct checksums. */
public final class TestPackets {
    private TestPackets() {}

    public static byte[] udp(String src, String dst, int sport, int dport, byte[] payload) {
        byte[] s = TrafficSelector.parseAddress(src);
        byte[] d = TrafficSelector.parseAddress(dst);
        int udpLen = 8 + payload.length;
        boolean v6 = s.length == 16;
        int hl = v6 ? Ipv6Header.LEN : Ipv4Header.MIN_LEN;
        byte[] p = new byte[hl + udpLen];
        if (v6) {
            Ipv6Header.write(p, 0, udpLen, 17, s, d, 0);
        } else {
            Ipv4Header.write(p, 0, p.length, 17, s, d, 0, true);
        }
        ByteBuffer bb = ByteBuffer.wrap(p, hl, udpLen);
        bb.putShort((short) sport).putShort((short) dport).putShort((short) udpLen).putShort((short) 0).put(payload);
        long sum = InetChecksum.sum(s, 0, s.length, 0);
        sum = InetChecksum.sum(d, 0, d.length, sum);
        sum += 17 + udpLen;
        sum = InetChecksum.sum(p, hl, udpLen, sum);
        int c = InetChecksum.finish(sum);
        p[hl + 6] = (byte) (c == 0 ? 0xff : c >>> 8);
        p[hl + 7] = (byte) (c == 0 ? 0xff : c);
        return p;
    }

    public static byte[] udp(String src, String dst, int size) {
        boolean v6 = src.indexOf(':') >= 0;
        int payloadLen = Math.max(0, size - (v6 ? 40 : 20) - 8);
        byte[] payload = new byte[payloadLen];
        byte[] tag = ("edgegw test " + src + " -> " + dst + " ").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < payloadLen; i++) {
            payload[i] = i < tag.length ? tag[i] : (byte) i;
        }
        return udp(src, dst, 40000, 5201, payload);
    }
}
