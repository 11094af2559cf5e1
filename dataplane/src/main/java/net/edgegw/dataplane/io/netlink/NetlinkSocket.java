package net.edgegw.dataplane.io.netlink;

import com.sun.jna.Memory;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.edgegw.dataplane.io.sys.Errno;
import net.edgegw.dataplane.io.sys.ErrnoException;
import net.edgegw.dataplane.io.sys.Libc;

/**
 * A netlink socket that sends one request at a time and waits for the kernel's acknowledgement.
 *
 * <p>Every request asks for an ack (NLM_F_ACK), so each exchange ends with an NLMSG_ERROR
 * message for its sequence number: error 0 is success, anything else becomes a
 * {@link NetlinkException} with the kernel's extended-ack text when it sent one. Not
 * thread-safe; {@link NetlinkRoute} serializes its callers.
 */
final class NetlinkSocket implements Closeable {

    /** Receives the data messages of a reply (not the ack), payload between position and limit. */
    interface Reply {
        void message(int type, ByteBuffer payload) throws NetlinkException;
    }

    // Our limits: requests here are under 100 bytes; the largest reply, one RTM_NEWLINK, is a
    // few KiB (no dumps are sent, whose datagrams the kernel sizes up to 32 KiB).
    private static final int REQUEST_SIZE = 4096;
    private static final int RECEIVE_SIZE = 32 * 1024;
    private static final int RECEIVE_TIMEOUT_SECONDS = 5;

    private final int fd;
    private final Memory tx = new Memory(REQUEST_SIZE);
    private final Memory rx = new Memory(RECEIVE_SIZE);
    private final Memory kernel = new Memory(Nlmsghdr.SOCKADDR_NL_LEN);
    private final ByteBuffer request = tx.getByteBuffer(0, REQUEST_SIZE).order(ByteOrder.nativeOrder());
    private final ByteBuffer reply = rx.getByteBuffer(0, RECEIVE_SIZE).order(ByteOrder.nativeOrder());
    private int seq;
    private boolean closed;

    private NetlinkSocket(int fd) {
        this.fd = fd;
        kernel.clear();
        kernel.setShort(0, (short) Libc.AF_NETLINK); // struct sockaddr_nl, nl_pid 0: the kernel
    }

    /** Opens a socket of netlink {@code protocol} in the calling thread's network namespace. */
    static NetlinkSocket open(int protocol) throws ErrnoException {
        int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw new ErrnoException(Libc.errno(), "socket(AF_NETLINK)");
        }
        NetlinkSocket socket = new NetlinkSocket(fd);
        try {
            socket.setReceiveTimeout(RECEIVE_TIMEOUT_SECONDS);
            // Best effort (Linux 4.3 and 4.12): acks without the echoed request, error text.
            socket.enable(Nlmsghdr.SOL_NETLINK, Nlmsghdr.NETLINK_CAP_ACK);
            socket.enable(Nlmsghdr.SOL_NETLINK, Nlmsghdr.NETLINK_EXT_ACK);
        } catch (ErrnoException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    /**
     * Starts a request: clears the request buffer and writes the netlink header.
     *
     * @return the buffer, positioned for the family header and attributes
     */
    ByteBuffer begin(int type, int flags) {
        request.clear();
        Nlmsghdr.put(request, type, flags | Nlmsghdr.NLM_F_REQUEST | Nlmsghdr.NLM_F_ACK);
        return request;
    }

    /** Sends the request built since {@link #begin}, hands reply messages over, awaits the ack. */
    void execute(String what, Reply handler) throws NetlinkException {
        if (closed) {
            throw new NetlinkException(Errno.EBADF, what, null);
        }
        int len = request.position();
        int mySeq = ++seq;
        request.putInt(Nlmsghdr.LEN_OFFSET, len).putInt(Nlmsghdr.SEQ_OFFSET, mySeq);
        while (Libc.sendto(fd, tx, len, 0, kernel, Nlmsghdr.SOCKADDR_NL_LEN) < 0) {
            int errno = Libc.errno();
            if (errno != Errno.EINTR) {
                throw new NetlinkException(errno, what + " (send)", null);
            }
        }
        for (;;) {
            long n = Libc.recv(fd, rx, RECEIVE_SIZE, Libc.MSG_TRUNC);
            if (n < 0) {
                int errno = Libc.errno();
                if (errno == Errno.EINTR) {
                    continue;
                }
                throw new NetlinkException(errno, what + (errno == Errno.EAGAIN ? " (no ack)" : " (receive)"), null);
            }
            if (n > RECEIVE_SIZE) {
                throw new NetlinkException(Errno.EMSGSIZE, what + " (reply of " + n + " bytes)", null);
            }
            if (dispatch(what, mySeq, (int) n, handler)) {
                return;
            }
        }
    }

    /** Walks the messages of one datagram; true once the ack of {@code mySeq} was seen. */
    private boolean dispatch(String what, int mySeq, int n, Reply handler) throws NetlinkException {
        int p = 0;
        while (p + Nlmsghdr.LEN <= n) {
            int len = reply.getInt(p + Nlmsghdr.LEN_OFFSET);
            if (len < Nlmsghdr.LEN || len > n - p) {
                throw new NetlinkException(Errno.EBADMSG, what + " (malformed reply)", null);
            }
            int type = Short.toUnsignedInt(reply.getShort(p + Nlmsghdr.TYPE_OFFSET));
            int flags = Short.toUnsignedInt(reply.getShort(p + Nlmsghdr.FLAGS_OFFSET));
            int end = p + len;
            if (reply.getInt(p + Nlmsghdr.SEQ_OFFSET) == mySeq) { // else a late reply to an old request
                if (type == Nlmsghdr.NLMSG_ERROR) {
                    if (len < Nlmsghdr.LEN + 4) {
                        throw new NetlinkException(Errno.EBADMSG, what + " (short ack)", null);
                    }
                    int error = Nlmsgerr.error(reply, p + Nlmsghdr.LEN);
                    if (error == 0) {
                        return true;
                    }
                    throw new NetlinkException(-error, what, Nlmsgerr.extAck(reply, p, end, flags));
                }
                if (type == Nlmsghdr.NLMSG_DONE) {
                    return true;
                }
                if (type != Nlmsghdr.NLMSG_NOOP) {
                    handler.message(type, reply.limit(end).position(p + Nlmsghdr.LEN));
                    reply.clear();
                }
            }
            p += Nlmsghdr.align(len);
        }
        return false;
    }

    private void setReceiveTimeout(int seconds) throws ErrnoException {
        Memory timeval = new Memory(16); // struct timeval { time_t tv_sec; suseconds_t tv_usec; }, LP64
        timeval.setLong(0, seconds);
        timeval.setLong(8, 0);
        if (Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeval, 16) < 0) {
            throw new ErrnoException(Libc.errno(), "setsockopt SO_RCVTIMEO");
        }
    }

    /** Sets an int socket option to 1; returns false if the kernel does not know it. */
    private boolean enable(int level, int name) {
        Memory one = new Memory(4);
        one.setInt(0, 1);
        return Libc.setsockopt(fd, level, name, one, 4) == 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
        }
    }
}
