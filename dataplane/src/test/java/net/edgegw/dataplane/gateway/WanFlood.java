package net.edgegw.dataplane.gateway;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;

/**
 * Bad input on the wire, for the flood test: sends {@code count} datagrams to a NAT-T port within about
 * {@code seconds} (paced, and never longer than twice that), cycling through five kinds, then prints one line
 * {@code FLOOD sent=<n> random=<n> truncated=<n> unknown_spi=<n> keepalive=<n> short=<n>}.
 *
 * <ul>
 *   <li>random: 8..1400 random bytes (nearly always an unknown SPI: NO_SA)
 *   <li>truncated: the real inbound SPI, a random sequence number, 8..60 bytes (RUNT or INTEG)
 *   <li>unknown_spi: a well-formed looking ESP header with an SPI nobody installed (NO_SA)
 *   <li>keepalive: the single 0xFF byte of RFC 3948 §2.3 (NAT_KEEPALIVE)
 *   <li>short: 2 or 3 bytes, neither keepalive nor non-ESP marker (BAD_ENCAP)
 * </ul>
 *
 * Usage: {@code WanFlood <dst> <port> <real SPI hex> <count> <seconds>}; run inside a test namespace only.
 */
public final class WanFlood {
    public static void main(String[] args) throws Exception {
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1]));
        int realSpi = (int) Long.parseLong(args[2].replace("0x", ""), 16);
        int count = Integer.parseInt(args[3]);
        long nanos = (long) (Double.parseDouble(args[4]) * 1e9);
        SplittableRandom rnd = new SplittableRandom(42);
        long[] kinds = new long[5];
        byte[] b = new byte[1400];
        int sent = 0;
        long start = System.nanoTime();
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSendBufferSize(1 << 20);
            DatagramPacket d = new DatagramPacket(b, 0, to);
            for (int i = 0; i < count; i++) {
                int kind = i % 5;
                int len;
                switch (kind) {
                    case 0 -> {
                        len = 8 + rnd.nextInt(1393);
                        fill(rnd, b, len);
                        if (b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0) {
                            b[0] = 1; // not the non-ESP marker: this is ESP-looking garbage, not IKE
                        }
                    }
                    case 1 -> {
                        len = 8 + rnd.nextInt(53);
                        fill(rnd, b, len);
                        put32(b, 0, realSpi);
                    }
                    case 2 -> {
                        len = 100 + rnd.nextInt(100);
                        fill(rnd, b, len);
                        int spi = rnd.nextInt();
                        put32(b, 0, spi == realSpi || spi == 0 ? 0x7e57_0000 : spi);
                        put32(b, 4, 1 + rnd.nextInt(1000));
                    }
                    case 3 -> {
                        len = 1;
                        b[0] = (byte) 0xff;
                    }
                    default -> {
                        len = 2 + rnd.nextInt(2);
                        b[0] = 0x01;
                        b[1] = 0x02;
                        b[2] = 0x03;
                    }
                }
                d.setLength(len);
                try {
                    s.send(d);
                } catch (java.io.IOException e) {
                    continue; // ENOBUFS and the like: not sent, not counted
                }
                kinds[kind]++;
                sent++;
                // pace: packet i is due at i/count of the duration; hard stop at twice the duration
                if ((i & 255) == 255) {
                    long due = start + nanos * (i + 1L) / count;
                    long now = System.nanoTime();
                    if (now - start > 2 * nanos) {
                        break;
                    }
                    if (due > now) {
                        Thread.sleep((due - now) / 1_000_000, (int) ((due - now) % 1_000_000));
                    }
                }
            }
        }
        System.out.printf("FLOOD sent=%d random=%d truncated=%d unknown_spi=%d keepalive=%d short=%d seconds=%.1f%n",
                sent, kinds[0], kinds[1], kinds[2], kinds[3], kinds[4], (System.nanoTime() - start) / 1e9);
    }

    private static void fill(SplittableRandom rnd, byte[] b, int len) {
        for (int i = 0; i < len; i += 8) {
            long v = rnd.nextLong();
            for (int j = 0; j < 8 && i + j < len; j++) {
                b[i + j] = (byte) (v >>> (8 * j));
            }
        }
    }

    private static void put32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
