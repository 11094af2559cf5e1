package net.edgegw.dataplane.io.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few libc calls the packet I/O needs, bound by JNA direct mapping.
 *
 * <p>Direct mapping with {@code int}, {@code long} and {@link Pointer} arguments marshals nothing
 * on the Java heap, so these calls are safe on the hot path. Errors follow the C convention: a
 * call returns -1 and {@link #errno()} tells why; JNA saves errno per thread right after each call.
 * {@code size_t}/{@code ssize_t} are mapped to {@code long}: Linux on x86_64 and aarch64 is LP64.
 */
public final class Libc {

    static {
        Native.register(Libc.class, Platform.C_LIBRARY_NAME);
    }

    // fcntl.h (asm-generic/fcntl.h values, x86_64 and aarch64)
    public static final int O_RDWR = 0x2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;

    // poll.h (asm-generic/poll.h)
    public static final short POLLIN = 0x1;
    public static final short POLLNVAL = 0x20;
    /** sizeof(struct pollfd): int fd; short events; short revents. */
    public static final int POLLFD_SIZE = 8;

    // linux/socket.h, bits/socket.h
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1; // asm-generic/socket.h
    public static final int SO_RCVTIMEO = 20; // asm-generic/socket.h (SO_RCVTIMEO_OLD, struct timeval)
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int SO_SNDBUF = 7; // asm-generic/socket.h
    public static final int SO_RCVBUF = 8;
    public static final int SO_SNDBUFFORCE = 32; // CAP_NET_ADMIN: above net.core.wmem_max
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SO_REUSEPORT = 15; // asm-generic/socket.h
    /** A classic BPF program picks the socket of a SO_REUSEPORT group (its index in bind order), Linux 4.5. */
    public static final int SO_ATTACH_REUSEPORT_CBPF = 51;
    /** sizeof(struct sock_fprog) on LP64: unsigned short len (+pad), struct sock_filter *filter. */
    public static final int SOCK_FPROG_SIZE = 16;
    /** sizeof(struct sock_filter): u16 code, u8 jt, u8 jf, u32 k. */
    public static final int SOCK_FILTER_SIZE = 8;
    // netinet/udp.h (linux/udp.h)
    public static final int SOL_UDP = 17;
    /** Send: cmsg/sockopt, u16 segment size: one send is cut into datagrams of this size (Linux 4.18). */
    public static final int UDP_SEGMENT = 103;
    /** Receive: sockopt int; a read may return several same-size datagrams, cmsg int gives their size (Linux 5.0). */
    public static final int UDP_GRO = 104;
    /** sizeof(struct msghdr) on LP64: name, namelen(+pad), iov, iovlen, control, controllen, flags(+pad). */
    public static final int MSGHDR_SIZE = 56;
    /** sizeof(struct iovec) on LP64. */
    public static final int IOVEC_SIZE = 16;
    /** sizeof(struct cmsghdr) on LP64: size_t len, int level, int type; data follows (CMSG_DATA). */
    public static final int CMSGHDR_SIZE = 16;
    /** sizeof(struct sockaddr_in) and sizeof(struct sockaddr_in6), netinet/in.h. */
    public static final int SOCKADDR_IN_LEN = 16;
    public static final int SOCKADDR_IN6_LEN = 28;

    private Libc() {}

    /** errno of this thread's last native call. */
    public static int errno() {
        return Native.getLastError();
    }

    public static native int open(String path, int flags);

    public static native int close(int fd);

    public static native long read(int fd, Pointer buf, long count);

    public static native long write(int fd, Pointer buf, long count);

    /** ioctl(2) with a pointer argument; the variadic C prototype is called with exactly one. */
    public static native int ioctl(int fd, long request, Pointer arg);

    /** ioctl(2) with an integer argument passed by value (e.g. TUNSETOFFLOAD). */
    public static native int ioctl(int fd, long request, long arg);

    // sys/eventfd.h
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;

    /** eventfd(2): a counter descriptor, used to wake a thread blocked in poll. */
    public static native int eventfd(int initval, int flags);

    public static native int poll(Pointer fds, long nfds, int timeoutMillis);

    public static native int socket(int domain, int type, int protocol);

    public static native int setsockopt(int fd, int level, int name, Pointer value, int len);

    public static native long sendto(int fd, Pointer buf, long len, int flags, Pointer addr, int addrLen);

    public static native long recv(int fd, Pointer buf, long len, int flags);

    public static native int bind(int fd, Pointer addr, int addrLen);

    /** getsockname(2); {@code len} points at a socklen_t (in: buffer size, out: address length). */
    public static native int getsockname(int fd, Pointer addr, Pointer len);

    public static native long recvmsg(int fd, Pointer msghdr, int flags);

    public static native long sendmsg(int fd, Pointer msghdr, int flags);

    /** strerror(3); allocates a String, control plane only. */
    public static native String strerror(int errnum);
}
