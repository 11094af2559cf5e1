package net.edgegw.dataplane.io.udp;

import com.sun.jna.Memory;
import java.io.Closeable;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicBoolean;
import net.edgegw.dataplane.io.sys.Errno;
import net.edgegw.dataplane.io.sys.ErrnoException;
import net.edgegw.dataplane.io.sys.Libc;

/**
 * A UDP socket on the NAT-T port owned by one worker, with Linux's UDP segmentation offloads: one
 * {@code sendmsg} with a {@code UDP_SEGMENT} cmsg sends up to 64 equal-size datagrams (the last may be shorter),
 * and with {@code UDP_GRO} on, one {@code recvmsg} returns several datagrams of one sender laid end to end, their
 * size in a {@code UDP_GRO} cmsg. Several of these share the port with {@code SO_REUSEPORT}: the kernel steers each
 * peer's 4-tuple to one of them, i.e. to one worker.
 *
 * <p>Bound through JNA (no Netty): the ESP hot path moves 64 KiB per system call through native scratch memory
 * kept per socket, without a Java object per datagram or a thread hop. Calls return {@code -errno}, never
 * throw. One thread receives and sends on a socket; {@link #sendOnce} is for other threads (control plane).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3948#section-2">RFC 3948 §2</a>, Linux udp(7) UDP_SEGMENT/UDP_GRO
 */
public final class UdpGsoSocket implements Closeable {
    /** The most one send or receive carries: the IPv4 total length / IPv6 payload length bound. */
    public static final int MAX_BATCH_BYTES = 65535;
    /** The most datagrams one UDP_SEGMENT send may carry (UDP_MAX_SEGMENTS, linux/udp.h). */
    public static final int MAX_SEGMENTS = 64;
    /** Socket buffers: a GRO run of 64 KiB costs its truesize (~2x) here; room for the TCP windows in flight. */
    private static final int SOCKET_BUFFER = 32 << 20;
    private static final int CMSG_SPACE_INT = Libc.CMSGHDR_SIZE + 8; // CMSG_SPACE(sizeof(int)) on LP64

    private final int fd;
    private final boolean ipv6;
    private int port; // set once by open()
    private final AtomicBoolean closed = new AtomicBoolean();

    // receive scratch: data, msghdr, iovec, source address, control
    private final Memory rxData = new Memory(MAX_BATCH_BYTES);
    private final Memory rxMsg = new Memory(Libc.MSGHDR_SIZE);
    private final Memory rxIov = new Memory(Libc.IOVEC_SIZE);
    private final Memory rxName = new Memory(Libc.SOCKADDR_IN6_LEN);
    private final Memory rxCtl = new Memory(2 * CMSG_SPACE_INT);
    private int gsoSize;
    // send scratch
    private final Memory txData = new Memory(MAX_BATCH_BYTES);
    private final Memory txMsg = new Memory(Libc.MSGHDR_SIZE);
    private final Memory txIov = new Memory(Libc.IOVEC_SIZE);
    private final Memory txName = new Memory(Libc.SOCKADDR_IN6_LEN);
    private final Memory txCtl = new Memory(CMSG_SPACE_INT);

    /** Receives that returned more than one datagram; sends that carried more than one. */
    public long groReads;
    public long gsoSends;

    private UdpGsoSocket(int fd, boolean ipv6) {
        this.fd = fd;
        this.ipv6 = ipv6;
        rxIov.setPointer(0, rxData);
        rxMsg.clear();
        rxMsg.setPointer(0, rxName);
        rxMsg.setPointer(16, rxIov);
        rxMsg.setLong(24, 1);
        rxMsg.setPointer(32, rxCtl);
        txIov.setPointer(0, txData);
        txMsg.clear();
        txMsg.setPointer(0, txName);
        txMsg.setPointer(16, txIov);
        txMsg.setLong(24, 1);
        txCtl.clear();
        txCtl.setLong(0, Libc.CMSGHDR_SIZE + 2); // CMSG_LEN(sizeof(uint16_t))
        txCtl.setInt(8, Libc.SOL_UDP);
        txCtl.setInt(12, Libc.UDP_SEGMENT);
    }

    /**
     * Opens a UDP socket bound to {@code local:port} with SO_REUSEPORT (when {@code reusePort}) and UDP_GRO.
     * Blocking for sends (a full send buffer holds the worker back rather than dropping); receives use
     * MSG_DONTWAIT.
     */
    public static UdpGsoSocket open(InetAddress local, int port, boolean reusePort) throws ErrnoException {
        boolean v6 = !(local instanceof Inet4Address);
        int fd = Libc.socket(v6 ? Libc.AF_INET6 : Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new ErrnoException(Libc.errno(), "socket(SOCK_DGRAM)");
        }
        UdpGsoSocket s = new UdpGsoSocket(fd, v6);
        try (Memory v = new Memory(4); Memory addr = new Memory(Libc.SOCKADDR_IN6_LEN)) {
            v.setInt(0, 1);
            if (reusePort && Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEPORT, v, 4) < 0) {
                throw new ErrnoException(Libc.errno(), "SO_REUSEPORT");
            }
            if (Libc.setsockopt(fd, Libc.SOL_UDP, Libc.UDP_GRO, v, 4) < 0) {
                throw new ErrnoException(Libc.errno(), "UDP_GRO");
            }
            v.setInt(0, SOCKET_BUFFER);
            if (Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, v, 4) < 0) {
                Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, v, 4);
            }
            if (Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUFFORCE, v, 4) < 0) {
                Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, v, 4);
            }
            int len = sockaddr(addr, v6, local.getAddress(), port);
            if (Libc.bind(fd, addr, len) < 0) {
                throw new ErrnoException(Libc.errno(), "bind UDP " + local.getHostAddress() + ":" + port);
            }
            v.setInt(0, Libc.SOCKADDR_IN6_LEN);
            if (Libc.getsockname(fd, addr, v) < 0) {
                throw new ErrnoException(Libc.errno(), "getsockname");
            }
            s.port = (addr.getByte(2) & 0xff) << 8 | (addr.getByte(3) & 0xff);
        } catch (ErrnoException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    // linux/filter.h, linux/bpf_common.h: classic BPF opcodes
    static final short BPF_LD_W_ABS = 0x20; // A = u32 at packet offset k
    static final short BPF_ALU_MOD_K = 0x94; // A %= k
    static final short BPF_RET_A = 0x16; // return A

    /**
     * Makes the kernel pick the socket of this SO_REUSEPORT group by the SPI of the ESP datagram (the first 4
     * bytes of the UDP payload, where the reuseport program starts), modulo {@code sockets}: the datagrams of an
     * inbound SA then always reach the socket of worker {@code spi % sockets}, the worker that owns the SA, and
     * need no hand-off. IKE (SPI field 0) goes to socket 0; a datagram shorter than 4 bytes makes the program
     * return 0 too. Call once, on any socket of the group, after all of them are bound (indices follow the
     * bind order; {@link #checkSteering} proves at start-up that the group is ours alone and in that order).
     */
    public void steerBySpi(int sockets) throws ErrnoException {
        try (Memory prog = new Memory(3L * Libc.SOCK_FILTER_SIZE); Memory fprog = new Memory(Libc.SOCK_FPROG_SIZE)) {
            prog.clear();
            filter(prog, 0, BPF_LD_W_ABS, 0);
            filter(prog, 1, BPF_ALU_MOD_K, sockets);
            filter(prog, 2, BPF_RET_A, 0);
            fprog.clear();
            fprog.setShort(0, (short) 3);
            fprog.setPointer(8, prog);
            if (Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_ATTACH_REUSEPORT_CBPF, fprog, Libc.SOCK_FPROG_SIZE) < 0) {
                throw new ErrnoException(Libc.errno(), "SO_ATTACH_REUSEPORT_CBPF");
            }
        }
    }

    /** How long {@link #checkSteering} waits for each probe. */
    static final long PROBE_WAIT_MILLIS = 500;
    /** Probe payload after the SPI field: no ESP packet of ours has this after its SPI (it is not a sequence). */
    private static final byte[] PROBE_TAG = "edgegw-steering-probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * Checks at start-up that {@link #steerBySpi} really lands SPI {@code s} on {@code group[s % n]}: the kernel
     * numbers a SO_REUSEPORT group in the order its sockets were bound, and any other socket in the group (a stale
     * gateway process of the same user bound to the port first, say) shifts the numbering, so inbound SAs would
     * land on workers that do not own them. For each socket i, one probe datagram with an SPI field of i is sent
     * from {@code group[0]} to {@code local:port} ({@code dest}: the loopback address if {@code local} is the
     * wildcard), and must be read back from socket i. Call before the workers read; datagrams other than probes
     * read meanwhile (traffic arriving during start-up) are discarded.
     *
     * @throws IllegalStateException naming the socket a probe reached, or none within {@link #PROBE_WAIT_MILLIS}
     */
    public static void checkSteering(UdpGsoSocket[] group, InetAddress dest) throws InterruptedException {
        byte[] buf = new byte[MAX_BATCH_BYTES];
        byte[] probe = new byte[4 + PROBE_TAG.length + 1];
        System.arraycopy(PROBE_TAG, 0, probe, 4, PROBE_TAG.length);
        int port = group[0].port;
        for (int i = 0; i < group.length; i++) {
            probe[2] = (byte) (i >>> 8); // SPI field = i (bytes 0 and 1 stay 0: fewer than 65536 workers)
            probe[3] = (byte) i;
            probe[probe.length - 1] = (byte) i;
            int sent = group[0].sendOnce(probe, new InetSocketAddress(dest, port));
            if (sent != probe.length) {
                throw new IllegalStateException("steering probe to " + dest.getHostAddress() + ":" + port
                        + " not sent: errno " + -sent);
            }
            int at = -1;
            long deadline = System.nanoTime() + PROBE_WAIT_MILLIS * 1_000_000L;
            while (at < 0 && System.nanoTime() < deadline) {
                for (int j = 0; j < group.length && at < 0; j++) {
                    int n;
                    while (at < 0 && (n = group[j].receive(buf, 0, buf.length)) > 0) {
                        if (n == probe.length && java.util.Arrays.equals(buf, 0, n, probe, 0, n)) {
                            at = j;
                        }
                    }
                }
                if (at < 0) {
                    Thread.sleep(1);
                }
            }
            if (at != i) {
                throw new IllegalStateException("SPI steering on UDP port " + port + " is off: the probe for socket "
                        + i + " of " + group.length + (at < 0 ? " reached none of them within " + PROBE_WAIT_MILLIS
                        + " ms" : " reached socket " + at) + "; is another process bound to the port with "
                        + "SO_REUSEPORT?");
            }
        }
    }

    /** The socket {@link #steerBySpi} sends an ESP datagram of inbound SPI {@code spi} to. */
    public static int socketForSpi(int spi, int sockets) {
        return Integer.remainderUnsigned(spi, sockets);
    }

    private static void filter(Memory prog, int i, short code, int k) {
        long at = (long) i * Libc.SOCK_FILTER_SIZE;
        prog.setShort(at, code);
        prog.setInt(at + 4, k);
    }

    /** Writes a sockaddr_in / sockaddr_in6 (port in network order). */
    static int sockaddr(Memory m, boolean v6, byte[] addr, int port) {
        m.clear(Libc.SOCKADDR_IN6_LEN);
        m.setShort(0, (short) (v6 ? Libc.AF_INET6 : Libc.AF_INET));
        m.setByte(2, (byte) (port >>> 8));
        m.setByte(3, (byte) port);
        if (v6) {
            m.write(8, addr, 0, 16);
            return Libc.SOCKADDR_IN6_LEN;
        }
        m.write(4, addr, 0, 4);
        return Libc.SOCKADDR_IN_LEN;
    }

    public int fd() {
        return fd;
    }

    /** The bound port (the kernel's choice when opened with 0). */
    public int port() {
        return port;
    }

    public boolean ipv6() {
        return ipv6;
    }

    /**
     * Receives without blocking into {@code buf[off, off+cap)}: one datagram, or with GRO several from one
     * sender, each {@link #gsoSize()} long except maybe the last.
     *
     * @return bytes received, 0 when nothing is waiting, {@code -EMSGSIZE} when cut short (consumed),
     *     {@code -errno} otherwise
     */
    public int receive(byte[] buf, int off, int cap) {
        if (closed.get()) {
            return -Errno.EBADF;
        }
        for (;;) {
            rxIov.setLong(8, Math.min(cap, MAX_BATCH_BYTES));
            rxMsg.setInt(8, Libc.SOCKADDR_IN6_LEN);
            rxMsg.setLong(40, rxCtl.size());
            rxMsg.setInt(48, 0);
            long r = Libc.recvmsg(fd, rxMsg, Libc.MSG_DONTWAIT);
            if (r < 0) {
                int errno = Libc.errno();
                if (errno == Errno.EINTR) {
                    continue;
                }
                return errno == Errno.EAGAIN ? 0 : -errno;
            }
            if ((rxMsg.getInt(48) & Libc.MSG_TRUNC) != 0) {
                return -Errno.EMSGSIZE;
            }
            int n = (int) r;
            gsoSize = n;
            long ctlLen = rxMsg.getLong(40);
            for (long c = 0; c + Libc.CMSGHDR_SIZE <= ctlLen; ) {
                long cl = rxCtl.getLong(c);
                if (cl < Libc.CMSGHDR_SIZE) {
                    break;
                }
                if (rxCtl.getInt(c + 8) == Libc.SOL_UDP && rxCtl.getInt(c + 12) == Libc.UDP_GRO) {
                    int g = rxCtl.getInt(c + Libc.CMSGHDR_SIZE);
                    if (g > 0 && g < n) {
                        gsoSize = g;
                        groReads++;
                    }
                }
                c += (cl + 7) & ~7L;
            }
            rxData.read(0, buf, off, n);
            return n;
        }
    }

    /** Size of each datagram of the last {@link #receive} (the last one may be shorter); the whole read if one. */
    public int gsoSize() {
        return gsoSize;
    }

    /** The source port of the last {@link #receive}. */
    public int senderPort() {
        return (rxName.getByte(2) & 0xff) << 8 | (rxName.getByte(3) & 0xff);
    }

    /** Bytes {@link #copySender} writes: address length (1), address (16), port (2). */
    public static final int SENDER_LEN = 19;

    /** Copies the source address and port of the last {@link #receive} to {@code b[off, off+SENDER_LEN)}. */
    public void copySender(byte[] b, int off) {
        int n = ipv6 ? 16 : 4;
        b[off] = (byte) n;
        rxName.read(ipv6 ? 8 : 4, b, off + 1, n);
        b[off + 17] = rxName.getByte(2);
        b[off + 18] = rxName.getByte(3);
    }

    /** The address {@link #copySender} wrote (allocates: control plane only). */
    public static InetSocketAddress sender(byte[] b, int off) {
        int n = b[off] == 16 ? 16 : 4;
        try {
            return new InetSocketAddress(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, off + 1, off + 1 + n)),
                    (b[off + 17] & 0xff) << 8 | (b[off + 18] & 0xff));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes
        }
    }

    /**
     * Sends {@code b[off, off+len)} to {@code dst:dstPort} as datagrams of {@code segSize} bytes (the last may be
     * shorter; at most {@link #MAX_SEGMENTS}), or as one datagram when {@code segSize} is 0 or not less than
     * {@code len}. The kernel writes the IP and UDP headers.
     *
     * @return {@code len}, or {@code -errno}
     */
    public int send(byte[] b, int off, int len, int segSize, byte[] dst, int dstPort) {
        if (closed.get()) {
            return -Errno.EBADF;
        }
        if (len < 0 || len > MAX_BATCH_BYTES || dst.length != (ipv6 ? 16 : 4)) {
            return -Errno.EMSGSIZE;
        }
        txData.write(0, b, off, len);
        txIov.setLong(8, len);
        txMsg.setInt(8, sockaddr(txName, ipv6, dst, dstPort));
        boolean gso = segSize > 0 && segSize < len;
        if (gso) {
            txCtl.setShort(Libc.CMSGHDR_SIZE, (short) segSize);
            txMsg.setPointer(32, txCtl);
            txMsg.setLong(40, txCtl.size());
        } else {
            txMsg.setPointer(32, null);
            txMsg.setLong(40, 0);
        }
        for (;;) {
            long r = Libc.sendmsg(fd, txMsg, 0);
            if (r >= 0) {
                if (gso) {
                    gsoSends++;
                }
                return (int) r;
            }
            int errno = Libc.errno();
            if (errno != Errno.EINTR) {
                return -errno;
            }
        }
    }

    /**
     * Sends one datagram from any thread (IKE from the NAT-T port): its own native memory per call, which
     * allocates; not for the hot path.
     */
    public int sendOnce(byte[] b, InetSocketAddress to) {
        if (closed.get()) {
            return -Errno.EBADF;
        }
        try (Memory data = new Memory(Math.max(b.length, 1)); Memory name = new Memory(Libc.SOCKADDR_IN6_LEN)) {
            data.write(0, b, 0, b.length);
            byte[] a = to.getAddress().getAddress();
            if (a.length != (ipv6 ? 16 : 4)) {
                return -Errno.EINVAL;
            }
            int nl = sockaddr(name, ipv6, a, to.getPort());
            long r = Libc.sendto(fd, data, b.length, 0, name, nl);
            return r < 0 ? -Libc.errno() : (int) r;
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
