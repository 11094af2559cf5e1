package net.edgegw.dataplane.io.raw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import net.edgegw.dataplane.io.netnstest.Netns;
import net.edgegw.dataplane.io.sys.Errno;
import net.edgegw.dataplane.packet.IpProtocol;
import net.edgegw.dataplane.packet.Ipv4Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The raw ESP socket over loopback in a throwaway namespace: what is sent comes back with the kernel's IPv4
 * header (protocol 50) in front, or bare for IPv6; empty and too-small reads are return codes.
 */
@Tag("netns")
class RawEspSocketTest {
    private static final Duration T = Duration.ofSeconds(10);
    private Netns ns;

    @BeforeEach
    void setUp() throws Exception {
        ns = Netns.create();
        ns.ip("link", "set", "lo", "up").ok();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    private static byte[] esp() {
        byte[] e = new byte[40];
        for (int i = 0; i < e.length; i++) {
            e[i] = (byte) (0x11 * (i + 1));
        }
        return e;
    }

    @Test
    void ipv4ReceivesTheWholePacketWithTheKernelsHeader() throws Exception {
        ns.call(T, () -> {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            try (RawEspSocket s = RawEspSocket.open(lo)) {
                byte[] buf = new byte[2048];
                assertEquals(0, s.receive(buf, 0, buf.length), "nothing waiting yet");
                byte[] esp = esp();
                assertEquals(esp.length, s.sender().send(esp, 0, esp.length, lo.getAddress()));
                assertEquals(1, s.awaitReadable(2000));
                int n = s.receive(buf, 100, buf.length - 100);
                assertEquals(Ipv4Header.MIN_LEN + esp.length, n);
                assertEquals(0x45, buf[100] & 0xff);
                assertEquals(IpProtocol.ESP, buf[100 + Ipv4Header.PROTOCOL] & 0xff);
                assertArrayEquals(esp, Arrays.copyOfRange(buf, 100 + Ipv4Header.MIN_LEN, 100 + n));

                s.sender().send(esp, 0, esp.length, lo.getAddress());
                s.awaitReadable(2000);
                assertEquals(-Errno.EMSGSIZE, s.receive(buf, 0, 30), "longer than the buffer: consumed, reported");
                assertEquals(0, s.receive(buf, 0, buf.length));
                assertEquals(-Errno.EINVAL, s.sender().send(esp, 0, esp.length, new byte[16]));
            }
            return null;
        });
    }

    @Test
    void ipv6ReceivesTheEspPacketAlone() throws Exception {
        ns.call(T, () -> {
            InetAddress lo = InetAddress.getByName("::1");
            try (RawEspSocket s = RawEspSocket.open(lo)) {
                byte[] esp = esp();
                assertEquals(esp.length, s.sender().send(esp, 0, esp.length, lo.getAddress()));
                assertEquals(1, s.awaitReadable(2000));
                byte[] buf = new byte[2048];
                int n = s.receive(buf, 0, buf.length);
                assertArrayEquals(esp, Arrays.copyOf(buf, n), "RFC 3542 §3: no IPv6 header on raw receive");
            }
            return null;
        });
    }
}
