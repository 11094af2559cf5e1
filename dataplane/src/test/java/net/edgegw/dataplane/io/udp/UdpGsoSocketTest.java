package net.edgegw.dataplane.io.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * UDP GSO and GRO over loopback: one UDP_SEGMENT send of 10 datagrams (the last shorter) reaches a UDP_GRO
 * socket as one read with the segment size in its cmsg; a plain send stays one datagram; SO_REUSEPORT lets a
 * second socket bind the same port; SPI steering lands each SPI on its worker's socket, and the start-up check of
 * that steering fails when a foreign socket sits in the group.
 */
class UdpGsoSocketTest {
    private UdpGsoSocket a;
    private UdpGsoSocket b;
    private UdpGsoSocket b2;

    @AfterEach
    void close() {
        for (UdpGsoSocket s : new UdpGsoSocket[] {a, b, b2}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private static int receiveWithin(UdpGsoSocket s, byte[] buf, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        int n;
        while ((n = s.receive(buf, 3, buf.length - 3)) == 0 && System.nanoTime() < end) {
            Thread.sleep(1);
        }
        return n;
    }

    @Test
    void segmentedSendArrivesAsOneGroRead() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        a = UdpGsoSocket.open(lo, 0, false);
        b = UdpGsoSocket.open(lo, 0, true);
        b2 = UdpGsoSocket.open(lo, b.port(), true); // SO_REUSEPORT: same port, second socket
        assertEquals(b.port(), b2.port());
        byte[] data = new byte[9 * 1000 + 321];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i / 1000 + i);
        }
        assertEquals(data.length, a.send(data, 0, data.length, 1000, lo.getAddress(), b.port()));
        assertEquals(1, a.gsoSends);

        byte[] buf = new byte[70000];
        // the kernel steers the 4-tuple to one of the two sockets: poll both until it shows up (a loaded machine may
        // deliver loopback traffic late, so no socket is given up on before the deadline)
        UdpGsoSocket got = null;
        int n = 0;
        long end = System.nanoTime() + 5_000_000_000L;
        while (got == null && System.nanoTime() < end) {
            for (UdpGsoSocket s : new UdpGsoSocket[] {b, b2}) {
                n = s.receive(buf, 3, buf.length - 3);
                if (n != 0) {
                    got = s;
                    break;
                }
            }
            if (got == null) {
                Thread.sleep(1);
            }
        }
        assertTrue(got != null, "nothing arrived on either socket within 5 s");
        assertEquals(data.length, n, "the whole run in one read");
        assertEquals(1000, got.gsoSize());
        assertEquals(1, got.groReads);
        assertArrayEquals(data, Arrays.copyOfRange(buf, 3, 3 + n));
        assertEquals(a.port(), UdpGsoSocket.sender(copySender(got), 0).getPort());

        // a plain send: one datagram, gsoSize = its length
        assertEquals(700, a.send(data, 5, 700, 0, lo.getAddress(), b.port()));
        n = receiveWithin(got, buf, 5000);
        assertEquals(700, n);
        assertEquals(700, got.gsoSize());
        assertEquals(1, got.groReads);
        assertTrue(got.receive(buf, 0, buf.length) == 0, "nothing more waiting");
    }

    @Test
    void spiSteersToTheSocketOfItsWorker() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        a = UdpGsoSocket.open(lo, 0, false);
        b = UdpGsoSocket.open(lo, 0, true);
        b2 = UdpGsoSocket.open(lo, b.port(), true);
        b.steerBySpi(2);
        byte[] buf = new byte[2000];
        for (int spi : new int[] {0x1001, 0x1002, 0xfffffffd, 0x7ffffffe}) {
            byte[] esp = new byte[100];
            net.edgegw.dataplane.packet.NetworkOrder.put32(esp, 0, spi);
            assertEquals(100, a.send(esp, 0, esp.length, 0, lo.getAddress(), b.port()));
            UdpGsoSocket expected = UdpGsoSocket.socketForSpi(spi, 2) == 0 ? b : b2;
            UdpGsoSocket other = expected == b ? b2 : b;
            assertEquals(100, receiveWithin(expected, buf, 5000), "SPI " + Integer.toHexString(spi));
            assertEquals(0, other.receive(buf, 3, buf.length - 3), "SPI " + Integer.toHexString(spi) + " elsewhere");
        }
    }

    @Test
    void steeringCheckPassesForOurGroupAndNamesAForeignSocketBoundFirst() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        b = UdpGsoSocket.open(lo, 0, true);
        b2 = UdpGsoSocket.open(lo, b.port(), true);
        b.steerBySpi(2);
        UdpGsoSocket.checkSteering(new UdpGsoSocket[] {b, b2}, lo); // ours alone, in bind order: passes
        b.close();
        b2.close();

        // a socket of "another process" joined the port first: it takes index 0 and shifts ours
        a = UdpGsoSocket.open(lo, 0, true);
        b = UdpGsoSocket.open(lo, a.port(), true);
        b2 = UdpGsoSocket.open(lo, a.port(), true);
        b.steerBySpi(2);
        UdpGsoSocket[] ours = {b, b2};
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> UdpGsoSocket.checkSteering(ours, lo));
        assertTrue(e.getMessage().contains("probe for socket 0 of 2 reached none of them"), e.getMessage());
        byte[] buf = new byte[100];
        assertTrue(a.receive(buf, 0, buf.length) > 0, "the probe went to the foreign socket");
    }

    private static byte[] copySender(UdpGsoSocket s) {
        byte[] b = new byte[UdpGsoSocket.SENDER_LEN];
        s.copySender(b, 0);
        return b;
    }
}
