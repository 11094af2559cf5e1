package net.edgegw.dataplane.io.tun;

import com.sun.jna.Memory;
import java.io.Closeable;
import java.util.concurrent.atomic.AtomicBoolean;
import net.edgegw.dataplane.io.sys.Errno;
import net.edgegw.dataplane.io.sys.Libc;

/**
 * One queue of a multi-queue TUN device: a non-blocking file descriptor owned by one worker.
 *
 * <p>Packets move in batches between the kernel and the caller's heap buffers through native
 * scratch memory kept per queue (JNA would otherwise allocate native memory for every
 * {@code byte[]} argument), so reading and writing allocate nothing. Failures are returned as
 * {@code -errno}, never thrown. One thread may read while one other thread writes; close the
 * queue from one of them or after both have stopped, since the descriptor number is reused.
 */
public final class TunQueue implements Closeable {

    /** Largest packet a TUN without IFF_VNET_HDR (no GSO) passes: the 16-bit IP length. */
    public static final int MAX_PACKET = 65535;

    private static final int POLLFD_REVENTS = 6; // struct pollfd, poll.h

    /** Largest read or write with {@code IFF_VNET_HDR}: the virtio header and a 64 KiB super-packet. */
    public static final int MAX_VNET_PACKET = VirtioNetHdr.LEN + MAX_PACKET;

    private final int fd;
    private final boolean vnetHdr;
    private final int maxRead;
    private final Memory rx = new Memory(MAX_VNET_PACKET);
    private final Memory tx = new Memory(MAX_VNET_PACKET);
    private final Memory pollfd = new Memory(Libc.POLLFD_SIZE);
    private final AtomicBoolean closed = new AtomicBoolean();

    private long oversizeDrops;
    private long writeDrops;
    private int lastWriteErrno;

    TunQueue(int fd, boolean vnetHdr) {
        this.fd = fd;
        this.vnetHdr = vnetHdr;
        this.maxRead = vnetHdr ? MAX_VNET_PACKET : MAX_PACKET;
        pollfd.setInt(0, fd);
        pollfd.setShort(4, Libc.POLLIN);
        pollfd.setShort(POLLFD_REVENTS, (short) 0);
    }

    /**
     * True if the queue was opened with offloads: every read starts with a {@link VirtioNetHdr}, and
     * {@link #write(byte[], int, int)} puts a zero one in front of the packet ({@link #writeWithHdr} takes the
     * caller's).
     */
    public boolean vnetHdr() {
        return vnetHdr;
    }

    /** The file descriptor, for a worker that multiplexes several with epoll. */
    public int fd() {
        return fd;
    }

    /**
     * Reads packets until {@code count} are read or the queue is empty; packet i lands in
     * {@code bufs[i]} at {@code offset} (headroom for outer headers) and its length in
     * {@code sizes[i]}. On a {@link #vnetHdr()} queue each read starts with the {@link VirtioNetHdr}.
     *
     * <p>A packet longer than {@code bufs[i].length - offset} is dropped and counted in
     * {@link #oversizeDrops()}. At most {@code count} packets are taken from the kernel per call.
     *
     * @return packets read, 0 when none was waiting (EAGAIN), or {@code -errno} when the first
     *     read failed; a failure after some packets ends the batch and shows on the next call
     */
    public int read(byte[][] bufs, int[] sizes, int offset, int count) {
        if (count > bufs.length || count > sizes.length || offset < 0) {
            throw new IllegalArgumentException("batch of " + count + " at offset " + offset);
        }
        if (closed.get()) {
            return -Errno.EBADF;
        }
        int n = 0;
        for (int attempt = 0; attempt < count; attempt++) {
            long r = Libc.read(fd, rx, maxRead);
            if (r <= 0) {
                int errno = r == 0 ? Errno.EAGAIN : Libc.errno();
                if (errno == Errno.EINTR) {
                    continue;
                }
                if (errno == Errno.EAGAIN || n > 0) {
                    break;
                }
                return -errno;
            }
            int len = (int) r;
            byte[] buf = bufs[n];
            if (len > buf.length - offset) {
                oversizeDrops++;
                continue;
            }
            rx.read(0, buf, offset, len);
            sizes[n++] = len;
        }
        return n;
    }

    /**
     * Blocks until a packet is waiting or {@code timeoutMillis} passes (-1: no limit).
     *
     * @return 1 when readable (or an error is pending, which the next read reports), 0 on
     *     timeout or signal, {@code -errno} on failure
     */
    public int awaitReadable(int timeoutMillis) {
        if (closed.get()) {
            return -Errno.EBADF;
        }
        pollfd.setShort(POLLFD_REVENTS, (short) 0);
        int r = Libc.poll(pollfd, 1, timeoutMillis);
        if (r < 0) {
            int errno = Libc.errno();
            return errno == Errno.EINTR ? 0 : -errno;
        }
        if (r == 0) {
            return 0;
        }
        return (pollfd.getShort(POLLFD_REVENTS) & Libc.POLLNVAL) != 0 ? -Errno.EBADF : 1;
    }

    /**
     * Writes one IP packet into the kernel (behind a zero virtio header when {@link #vnetHdr()}).
     *
     * @return {@code len}, or {@code -errno} (EMSGSIZE above {@link #MAX_PACKET})
     */
    public int write(byte[] buf, int off, int len) {
        if (closed.get()) {
            return -Errno.EBADF;
        }
        if (len < 0 || len > MAX_PACKET) {
            return -Errno.EMSGSIZE;
        }
        int h = 0;
        if (vnetHdr) {
            tx.clear(VirtioNetHdr.LEN);
            h = VirtioNetHdr.LEN;
        }
        tx.write(h, buf, off, len);
        int r = writeTx(h + len);
        return r < 0 ? r : r - h;
    }

    /**
     * Writes {@code buf[off, off+len)}, a virtio header and its (super-)packet, on a {@link #vnetHdr()} queue.
     *
     * @return {@code len}, or {@code -errno}
     */
    public int writeWithHdr(byte[] buf, int off, int len) {
        if (closed.get()) {
            return -Errno.EBADF;
        }
        if (!vnetHdr || len < VirtioNetHdr.LEN || len > MAX_VNET_PACKET) {
            return -Errno.EMSGSIZE;
        }
        tx.write(0, buf, off, len);
        return writeTx(len);
    }

    private int writeTx(int len) {
        for (;;) {
            long r = Libc.write(fd, tx, len);
            if (r >= 0) {
                return (int) r;
            }
            int errno = Libc.errno();
            if (errno != Errno.EINTR) {
                return -errno;
            }
        }
    }

    /**
     * Writes {@code count} packets, packet i being {@code sizes[i]} bytes of {@code bufs[i]} from
     * {@code offset}. A packet the kernel refuses is dropped, counted in {@link #writeDrops()} and
     * its errno kept in {@link #lastWriteErrno()}; the rest of the batch still goes out.
     *
     * @return packets written, or {@code -errno} of the last failure when none was written
     */
    public int write(byte[][] bufs, int[] sizes, int offset, int count) {
        if (count > bufs.length || count > sizes.length || offset < 0) {
            throw new IllegalArgumentException("batch of " + count + " at offset " + offset);
        }
        int written = 0;
        int errno = 0;
        for (int i = 0; i < count; i++) {
            int r = write(bufs[i], offset, sizes[i]);
            if (r >= 0) {
                written++;
            } else {
                errno = -r;
                writeDrops++;
                lastWriteErrno = errno;
            }
        }
        return written == 0 && errno != 0 ? -errno : written;
    }

    /** Packets dropped by {@link #read} because they did not fit the caller's buffer. */
    public long oversizeDrops() {
        return oversizeDrops;
    }

    /** Packets the kernel refused in a batch {@link #write(byte[][], int[], int, int)}. */
    public long writeDrops() {
        return writeDrops;
    }

    /** errno of the last packet refused in a batch write, 0 if none. */
    public int lastWriteErrno() {
        return lastWriteErrno;
    }

    /** Closes the descriptor; later calls return {@code -EBADF}. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Libc.close(fd);
        }
    }
}
