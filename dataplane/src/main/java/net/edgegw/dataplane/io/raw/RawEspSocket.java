package net.edgegw.dataplane.io.raw;

import com.sun.jna.Memory;
import java.io.Closeable;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import net.edgegw.dataplane.io.sys.Errno;
import net.edgegw.dataplane.io.sys.ErrnoException;
import net.edgegw.dataplane.io.sys.Libc;
import net.edgegw.dataplane.packet.IpProtocol;

/**
 * ESP straight on IP (protocol 50, RFC 4303 §2, no UDP encapsulation) through a raw socket
 * {@code socket(AF_INET[6], SOCK_RAW, IPPROTO_ESP)} bound to the gateway's outer address, for peers that are
 * not behind NAT.
 *
 * <p>Receive: an AF_INET raw socket delivers the whole IPv4 packet, header included, after the kernel has
 * reassembled fragments; an AF_INET6 raw socket delivers only what follows the IPv6 header (RFC 3542 §3), i.e.
 * the ESP packet. Every ESP packet to the bound address reaches every such socket, so a gateway opens exactly
 * one and reads it from one thread. The kernel sends no "protocol unreachable" for packets a raw socket took.
 *
 * <p>Send: without IP_HDRINCL. The caller passes the packet from the ESP header on and the kernel writes the
 * outer IP header (source = the bound address), its identification and checksum, and fragments an outer
 * packet above the route MTU. The same code then serves IPv4 and IPv6 (IPv6 raw sockets never take our header
 * unless IPV6_HDRINCL, Linux 4.5+, and then fragmentation would be ours). The price: the outer DSCP/ECN and DF
 * are the socket's, not copied from the inner header per packet (a deviation from RFC 4301 §5.1.2.1's DSCP
 * copy and RFC 6040's ECN copy; a later version can use IP_HDRINCL for IPv4 to restore them).
 *
 * <p>Packets move through native scratch memory (per receiving thread, and per {@link Sender}), so the calls
 * allocate nothing; failures are returned as {@code -errno}, never thrown.
 */
public final class RawEspSocket implements Closeable {
    /** The IPv4 total length / IPv6 payload length limit. */
    public static final int MAX_PACKET = 65535;
    private static final int SOCKET_BUFFER = 4 << 20;

    private final int fd;
    private final boolean ipv6;
    private final Memory rx = new Memory(MAX_PACKET);
    private final Memory pollfd = new Memory(Libc.POLLFD_SIZE);
    private final AtomicBoolean closed = new AtomicBoolean();

    private RawEspSocket(int fd, boolean ipv6) {
        this.fd = fd;
        this.ipv6 = ipv6;
        pollfd.setInt(0, fd);
        pollfd.setShort(4, Libc.POLLIN);
    }

    /**
     * Opens the raw ESP socket of the family of {@code local} and binds it there (receives only ESP sent to
     * that address, sends from it). Needs CAP_NET_RAW.
     */
    public static RawEspSocket open(InetAddress local) throws ErrnoException {
        boolean v6 = !(local instanceof Inet4Address);
        // Blocking descriptor: a full send buffer makes the sending worker wait (back-pressure, like a TUN
        // write) instead of dropping; receives use MSG_DONTWAIT after poll(2).
        int fd = Libc.socket(v6 ? Libc.AF_INET6 : Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, IpProtocol.ESP);
        if (fd < 0) {
            throw new ErrnoException(Libc.errno(), "socket(SOCK_RAW, IPPROTO_ESP)");
        }
        RawEspSocket s = new RawEspSocket(fd, v6);
        try (Memory addr = new Memory(Libc.SOCKADDR_IN6_LEN)) {
            int len = sockaddr(addr, v6, local.getAddress(), 0);
            if (Libc.bind(fd, addr, len) < 0) {
                throw new ErrnoException(Libc.errno(), "bind raw ESP socket to " + local.getHostAddress());
            }
            s.bufferSize(Libc.SO_RCVBUFFORCE, Libc.SO_RCVBUF);
            s.bufferSize(Libc.SO_SNDBUFFORCE, Libc.SO_SNDBUF);
        } catch (ErrnoException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void bufferSize(int force, int plain) {
        try (Memory v = new Memory(4)) {
            v.setInt(0, SOCKET_BUFFER);
            if (Libc.setsockopt(fd, Libc.SOL_SOCKET, force, v, 4) < 0) {
                Libc.setsockopt(fd, Libc.SOL_SOCKET, plain, v, 4); // capped by net.core.[rw]mem_max
            }
        }
    }

    /** Writes a sockaddr_in / sockaddr_in6 for {@code addr} (port 0: raw sockets have none). */
    static int sockaddr(Memory m, boolean v6, byte[] addr, int addrOff) {
        m.clear(Libc.SOCKADDR_IN6_LEN);
        m.setShort(0, (short) (v6 ? Libc.AF_INET6 : Libc.AF_INET)); // sa_family_t, host order
        if (v6) {
            m.write(8, addr, addrOff, 16); // sin6_addr after family, port, flowinfo
            return Libc.SOCKADDR_IN6_LEN;
        }
        m.write(4, addr, addrOff, 4); // sin_addr after family, port
        return Libc.SOCKADDR_IN_LEN;
    }

    public boolean ipv6() {
        return ipv6;
    }

    public int fd() {
        return fd;
    }

    /**
     * Waits until a packet is waiting or {@code timeoutMillis} passes. One receiving thread only.
     *
     * @return 1 when readable, 0 on timeout or signal, {@code -errno} on failure
     */
    public int awaitReadable(int timeoutMillis) {
        if (closed.get()) {
            return -Errno.EBADF;
        }
        pollfd.setShort(6, (short) 0);
        int r = Libc.poll(pollfd, 1, timeoutMillis);
        if (r < 0) {
            int errno = Libc.errno();
            return errno == Errno.EINTR ? 0 : -errno;
        }
        return r == 0 ? 0 : 1;
    }

    /**
     * Receives one packet without blocking into {@code buf[off, off+cap)}: the IPv4 packet with its header, or
     * the ESP packet for IPv6. One receiving thread only.
     *
     * @return its length; 0 when none is waiting; {@code -EMSGSIZE} when it was longer than {@code cap} (it is
     *     consumed); {@code -errno} on other failures
     */
    public int receive(byte[] buf, int off, int cap) {
        if (closed.get()) {
            return -Errno.EBADF;
        }
        for (;;) {
            long r = Libc.recv(fd, rx, MAX_PACKET, Libc.MSG_DONTWAIT | Libc.MSG_TRUNC);
            if (r < 0) {
                int errno = Libc.errno();
                if (errno == Errno.EINTR) {
                    continue;
                }
                return errno == Errno.EAGAIN ? 0 : -errno;
            }
            if (r > cap || r > MAX_PACKET) {
                return -Errno.EMSGSIZE;
            }
            rx.read(0, buf, off, (int) r);
            return (int) r;
        }
    }

    /** A sending handle with its own scratch memory: one per sending thread (worker). */
    public Sender sender() {
        return new Sender();
    }

    /** Sends ESP packets to peers; not thread-safe, several Senders may share the socket. */
    public final class Sender {
        private final Memory tx = new Memory(MAX_PACKET);
        private final Memory to = new Memory(Libc.SOCKADDR_IN6_LEN);

        private Sender() {}

        /**
         * Sends the ESP packet {@code b[off, off+len)} (no IP header) to {@code dst} (4 or 16 bytes, this
         * socket's family); the kernel puts the IP header in front.
         *
         * @return {@code len}, or {@code -errno} (EMSGSIZE, ENOBUFS, EHOSTUNREACH, ...)
         */
        public int send(byte[] b, int off, int len, byte[] dst) {
            if (closed.get()) {
                return -Errno.EBADF;
            }
            if (len < 0 || len > MAX_PACKET) {
                return -Errno.EMSGSIZE;
            }
            if (dst.length != (ipv6 ? 16 : 4)) {
                return -Errno.EINVAL;
            }
            tx.write(0, b, off, len);
            int addrLen = sockaddr(to, ipv6, dst, 0);
            for (;;) {
                long r = Libc.sendto(fd, tx, len, 0, to, addrLen);
                if (r >= 0) {
                    return (int) r;
                }
                int errno = Libc.errno();
                if (errno != Errno.EINTR) {
                    return -errno;
                }
            }
        }
    }

    /** Closes the descriptor; later calls return {@code -EBADF}. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Libc.close(fd);
        }
    }
}
