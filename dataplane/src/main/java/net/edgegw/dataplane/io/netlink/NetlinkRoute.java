package net.edgegw.dataplane.io.netlink;

import java.io.Closeable;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import net.edgegw.dataplane.io.sys.Errno;
import net.edgegw.dataplane.io.sys.ErrnoException;
import net.edgegw.dataplane.io.sys.Libc;

/**
 * The rtnetlink (NETLINK_ROUTE) requests the gateway needs: find an interface, bring it up, set
 * its MTU, and add or delete its addresses and device routes.
 *
 * <p>The socket belongs to the network namespace of the thread that opened it; every later call
 * acts there, whichever thread makes it. Calls are serialized. Each returns once the kernel
 * acknowledged the change, or throws {@link NetlinkException} with the kernel's errno.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3549">RFC 3549</a>
 * @see <a href="https://man7.org/linux/man-pages/man7/rtnetlink.7.html">rtnetlink(7)</a>
 */
public final class NetlinkRoute implements Closeable {

    private final NetlinkSocket socket;
    private int ifindexFound;

    private NetlinkRoute(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Opens a NETLINK_ROUTE socket in the calling thread's network namespace. */
    public static NetlinkRoute open() throws ErrnoException {
        return new NetlinkRoute(NetlinkSocket.open(Nlmsghdr.NETLINK_ROUTE));
    }

    /** The index of interface {@code name} (RTM_GETLINK); ENODEV if there is none. */
    public synchronized int ifindex(String name) throws NetlinkException {
        ByteBuffer b = socket.begin(Ifinfomsg.RTM_GETLINK, 0);
        Ifinfomsg.put(b, 0, 0, 0);
        Rtattr.putString(b, Ifinfomsg.IFLA_IFNAME, name);
        ifindexFound = 0;
        socket.execute("RTM_GETLINK " + name, (type, payload) -> {
            if (type == Ifinfomsg.RTM_NEWLINK && payload.remaining() >= Ifinfomsg.LEN) {
                ifindexFound = payload.getInt(payload.position() + Ifinfomsg.INDEX_OFFSET);
            }
        });
        if (ifindexFound <= 0) {
            throw new NetlinkException(Errno.ENODEV, "RTM_GETLINK " + name + " (no RTM_NEWLINK reply)", null);
        }
        return ifindexFound;
    }

    /** Sets IFF_UP on the interface (RTM_NEWLINK, ifi_change IFF_UP). */
    public synchronized void setLinkUp(int ifindex) throws NetlinkException {
        setFlags(ifindex, Ifinfomsg.IFF_UP, "up");
    }

    /** Clears IFF_UP on the interface. */
    public synchronized void setLinkDown(int ifindex) throws NetlinkException {
        setFlags(ifindex, 0, "down");
    }

    private void setFlags(int ifindex, int flags, String what) throws NetlinkException {
        ByteBuffer b = socket.begin(Ifinfomsg.RTM_NEWLINK, 0);
        Ifinfomsg.put(b, ifindex, flags, Ifinfomsg.IFF_UP);
        socket.execute("RTM_NEWLINK ifindex " + ifindex + " " + what, NO_REPLY);
    }

    /** Sets the interface MTU (RTM_NEWLINK with IFLA_MTU). */
    public synchronized void setMtu(int ifindex, int mtu) throws NetlinkException {
        ByteBuffer b = socket.begin(Ifinfomsg.RTM_NEWLINK, 0);
        Ifinfomsg.put(b, ifindex, 0, 0);
        Rtattr.putInt(b, Ifinfomsg.IFLA_MTU, mtu);
        socket.execute("RTM_NEWLINK ifindex " + ifindex + " mtu " + mtu, NO_REPLY);
    }

    /** Adds {@code address/prefixLength} (IPv4 or IPv6) to the interface; EEXIST if present. */
    public synchronized void addAddress(int ifindex, InetAddress address, int prefixLength) throws NetlinkException {
        address(Ifaddrmsg.RTM_NEWADDR, Nlmsghdr.NLM_F_CREATE | Nlmsghdr.NLM_F_EXCL, ifindex, address, prefixLength);
    }

    /** Deletes {@code address/prefixLength} from the interface; EADDRNOTAVAIL if absent. */
    public synchronized void deleteAddress(int ifindex, InetAddress address, int prefixLength) throws NetlinkException {
        address(Ifaddrmsg.RTM_DELADDR, 0, ifindex, address, prefixLength);
    }

    private void address(int type, int flags, int ifindex, InetAddress address, int prefixLength)
            throws NetlinkException {
        byte[] a = address.getAddress();
        checkPrefix(a, prefixLength);
        ByteBuffer b = socket.begin(type, flags);
        Ifaddrmsg.put(b, family(address), prefixLength, Rtmsg.RT_SCOPE_UNIVERSE, ifindex);
        // As ip-address(8) does: the local address, and the same as the (peer) address.
        Rtattr.putBytes(b, Ifaddrmsg.IFA_LOCAL, a);
        Rtattr.putBytes(b, Ifaddrmsg.IFA_ADDRESS, a);
        socket.execute(name(type) + " " + address.getHostAddress() + "/" + prefixLength + " ifindex " + ifindex,
                NO_REPLY);
    }

    /**
     * Adds a route to {@code destination/prefixLength} through the interface, in the main table,
     * with the kernel's default metric; EEXIST if present. Host bits must be zero for IPv4
     * (EINVAL otherwise).
     */
    public synchronized void addRoute(InetAddress destination, int prefixLength, int ifindex) throws NetlinkException {
        route(Rtmsg.RTM_NEWROUTE, destination, prefixLength, ifindex, -1);
    }

    /** Adds a route as {@link #addRoute(InetAddress, int, int)} with metric (RTA_PRIORITY) {@code metric}. */
    public synchronized void addRoute(InetAddress destination, int prefixLength, int ifindex, int metric)
            throws NetlinkException {
        route(Rtmsg.RTM_NEWROUTE, destination, prefixLength, ifindex, checkMetric(metric));
    }

    /** Deletes the first route to {@code destination/prefixLength} through the interface; ESRCH if none. */
    public synchronized void deleteRoute(InetAddress destination, int prefixLength, int ifindex)
            throws NetlinkException {
        route(Rtmsg.RTM_DELROUTE, destination, prefixLength, ifindex, -1);
    }

    /** Deletes the route to {@code destination/prefixLength} through the interface with that metric. */
    public synchronized void deleteRoute(InetAddress destination, int prefixLength, int ifindex, int metric)
            throws NetlinkException {
        route(Rtmsg.RTM_DELROUTE, destination, prefixLength, ifindex, checkMetric(metric));
    }

    private void route(int type, InetAddress destination, int prefixLength, int ifindex, long metric)
            throws NetlinkException {
        byte[] a = destination.getAddress();
        checkPrefix(a, prefixLength);
        boolean add = type == Rtmsg.RTM_NEWROUTE;
        boolean v4 = destination instanceof Inet4Address;
        // As ip-route(8) does: a new route is static and unicast, of link scope when IPv4 without
        // gateway; a delete leaves protocol and type open and scope NOWHERE (any) for IPv4.
        int scope = v4 ? (add ? Rtmsg.RT_SCOPE_LINK : Rtmsg.RT_SCOPE_NOWHERE) : Rtmsg.RT_SCOPE_UNIVERSE;
        ByteBuffer b = socket.begin(type, add ? Nlmsghdr.NLM_F_CREATE | Nlmsghdr.NLM_F_EXCL : 0);
        Rtmsg.put(b, family(destination), prefixLength, Rtmsg.RT_TABLE_MAIN,
                add ? Rtmsg.RTPROT_STATIC : Rtmsg.RTPROT_UNSPEC, scope,
                add ? Rtmsg.RTN_UNICAST : Rtmsg.RTN_UNSPEC);
        if (prefixLength > 0) {
            Rtattr.putBytes(b, Rtmsg.RTA_DST, a);
        }
        Rtattr.putInt(b, Rtmsg.RTA_OIF, ifindex);
        if (metric >= 0) {
            Rtattr.putInt(b, Rtmsg.RTA_PRIORITY, (int) metric);
        }
        socket.execute(name(type) + " " + destination.getHostAddress() + "/" + prefixLength + " ifindex " + ifindex
                + (metric >= 0 ? " metric " + metric : ""), NO_REPLY);
    }

    @Override
    public synchronized void close() {
        socket.close();
    }

    private static final NetlinkSocket.Reply NO_REPLY = (type, payload) -> { };

    private static int family(InetAddress address) {
        return address instanceof Inet4Address ? Libc.AF_INET : Libc.AF_INET6;
    }

    private static void checkPrefix(byte[] address, int prefixLength) {
        if (prefixLength < 0 || prefixLength > address.length * 8) {
            throw new IllegalArgumentException("prefix length " + prefixLength);
        }
    }

    private static long checkMetric(int metric) {
        if (metric < 0) {
            throw new IllegalArgumentException("metric " + metric);
        }
        return metric;
    }

    private static String name(int type) {
        switch (type) {
            case Ifaddrmsg.RTM_NEWADDR: return "RTM_NEWADDR";
            case Ifaddrmsg.RTM_DELADDR: return "RTM_DELADDR";
            case Rtmsg.RTM_NEWROUTE: return "RTM_NEWROUTE";
            case Rtmsg.RTM_DELROUTE: return "RTM_DELROUTE";
            default: return "RTM " + type;
        }
    }
}
