package net.edgegw.dataplane.io.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import net.edgegw.dataplane.io.netnstest.Netns;
import net.edgegw.dataplane.io.sys.Errno;
import net.edgegw.dataplane.io.tun.TunDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * rtnetlink requests against the real kernel, each test in a fresh network namespace with one
 * TUN interface (edgegw1) to configure; results are read back with {@code ip -n}.
 */
@Tag("netns")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetlinkRouteTest {

    private static final Duration STEP = Duration.ofSeconds(20);

    private Netns ns;
    private TunDevice tun;
    private NetlinkRoute rt;
    private int ifindex;

    @BeforeEach
    void setUp() throws Exception {
        ns = Netns.create();
        ns.call(STEP, () -> {
            tun = TunDevice.open("edgegw1", 1);
            rt = NetlinkRoute.open();
            ifindex = rt.ifindex("edgegw1");
            return null;
        });
    }

    @AfterEach
    void tearDown() {
        if (rt != null) {
            rt.close();
        }
        if (tun != null) {
            tun.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void ifindexMatchesTheKernel() throws Exception {
        String link = ns.ip("-o", "link", "show", "edgegw1").ok().output();
        assertTrue(link.startsWith(ifindex + ": edgegw1:"), link);
        assertEquals(1, (int) ns.call(STEP, () -> rt.ifindex("lo")));
    }

    @Test
    void linkUpDownAndMtu() throws Exception {
        ns.call(STEP, () -> {
            rt.setMtu(ifindex, 1400);
            rt.setLinkUp(ifindex);
            return null;
        });
        String up = ns.ip("link", "show", "edgegw1").ok().output();
        assertTrue(up.contains("mtu 1400"), up);
        assertTrue(up.matches("(?s).*<[^>]*\\bUP\\b[^>]*>.*"), up);

        ns.call(STEP, () -> {
            rt.setLinkDown(ifindex);
            return null;
        });
        String down = ns.ip("link", "show", "edgegw1").ok().output();
        assertFalse(down.matches("(?s).*<[^>]*\\bUP\\b[^>]*>.*"), down);
    }

    @Test
    void addsAndDeletesAddressesAndRoutesOfBothFamilies() throws Exception {
        InetAddress v4 = InetAddress.getByName("10.99.0.1");
        InetAddress v6 = InetAddress.getByName("2001:db8:99::1");
        InetAddress net4 = InetAddress.getByName("10.98.0.0");
        InetAddress net6 = InetAddress.getByName("2001:db8:98::");
        InetAddress host4 = InetAddress.getByName("10.97.0.7");
        ns.call(STEP, () -> {
            rt.setLinkUp(ifindex);
            rt.addAddress(ifindex, v4, 24);
            rt.addAddress(ifindex, v6, 64);
            rt.addRoute(net4, 24, ifindex, 50);
            rt.addRoute(net6, 64, ifindex, 60);
            rt.addRoute(host4, 32, ifindex);
            return null;
        });
        String addrs = ns.ip("addr", "show", "dev", "edgegw1").ok().output();
        assertTrue(addrs.contains("inet 10.99.0.1/24"), addrs);
        assertTrue(addrs.contains("inet6 2001:db8:99::1/64"), addrs);
        String routes4 = ns.ip("-4", "route", "show", "dev", "edgegw1").ok().output();
        assertTrue(routes4.contains("10.98.0.0/24 proto static scope link metric 50"), routes4);
        assertTrue(routes4.contains("10.97.0.7 proto static scope link"), routes4);
        String routes6 = ns.ip("-6", "route", "show", "dev", "edgegw1").ok().output();
        assertTrue(routes6.contains("2001:db8:98::/64 proto static metric 60"), routes6);

        ns.call(STEP, () -> {
            rt.deleteRoute(net4, 24, ifindex, 50);
            rt.deleteRoute(net6, 64, ifindex, 60);
            rt.deleteRoute(host4, 32, ifindex);
            rt.deleteAddress(ifindex, v4, 24);
            rt.deleteAddress(ifindex, v6, 64);
            return null;
        });
        addrs = ns.ip("addr", "show", "dev", "edgegw1").ok().output();
        assertFalse(addrs.contains("10.99.0.1"), addrs);
        assertFalse(addrs.contains("2001:db8:99::1"), addrs);
        routes4 = ns.ip("-4", "route", "show", "dev", "edgegw1").ok().output();
        assertFalse(routes4.contains("10.98.0.0") || routes4.contains("10.97.0.7"), routes4);
        routes6 = ns.ip("-6", "route", "show", "dev", "edgegw1").ok().output();
        assertFalse(routes6.contains("2001:db8:98::"), routes6);
    }

    @Test
    void kernelRefusalsCarryTheirErrno() throws Exception {
        InetAddress v4 = InetAddress.getByName("10.99.0.1");
        ns.call(STEP, () -> {
            expect(Errno.ENODEV, () -> rt.setMtu(999_999, 1400));
            expect(Errno.ENODEV, () -> rt.setLinkUp(999_999));
            expect(Errno.ENODEV, () -> rt.ifindex("nosuch0"));
            rt.addAddress(ifindex, v4, 24);
            expect(Errno.EEXIST, () -> rt.addAddress(ifindex, v4, 24));
            expect(Errno.EADDRNOTAVAIL, () -> rt.deleteAddress(ifindex, InetAddress.getByName("10.99.0.2"), 24));
            rt.setLinkUp(ifindex);
            rt.addRoute(InetAddress.getByName("10.98.0.0"), 24, ifindex);
            expect(Errno.EEXIST, () -> rt.addRoute(InetAddress.getByName("10.98.0.0"), 24, ifindex));
            expect(Errno.ESRCH, () -> rt.deleteRoute(InetAddress.getByName("10.96.0.0"), 24, ifindex));
            NetlinkException hostBits =
                    expect(Errno.EINVAL, () -> rt.addRoute(InetAddress.getByName("10.98.0.5"), 24, ifindex));
            assertNotNull(hostBits.extAck(), "extended ack text: " + hostBits.getMessage());
            assertTrue(hostBits.getMessage().contains("RTM_NEWROUTE 10.98.0.5/24"), hostBits.getMessage());
            return null;
        });
        assertThrows(IllegalArgumentException.class, () -> rt.addAddress(ifindex, v4, 33));
    }

    private static NetlinkException expect(int errno, Executable call) {
        NetlinkException e = assertThrows(NetlinkException.class, call);
        assertEquals(errno, e.errno(), e.getMessage());
        return e;
    }
}
