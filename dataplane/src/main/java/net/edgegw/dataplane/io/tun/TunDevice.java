package net.edgegw.dataplane.io.tun;

import com.sun.jna.Memory;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.edgegw.dataplane.io.sys.ErrnoException;
import net.edgegw.dataplane.io.sys.Libc;

/**
 * A layer-3 TUN interface opened as several queues, one per worker.
 *
 * <p>Each queue is its own {@code /dev/net/tun} descriptor attached with {@code TUNSETIFF}; the
 * kernel spreads transmitted packets over the queues by flow hash. The interface exists while a
 * queue is open (not persistent): closing every queue removes it.
 *
 * @see <a href="https://docs.kernel.org/networking/tuntap.html">Documentation/networking/tuntap.rst</a>
 */
public final class TunDevice implements Closeable {

    // linux/if_tun.h
    static final long TUNSETIFF = 0x400454caL; // _IOW('T', 202, int)
    static final short IFF_TUN = 0x0001;
    static final short IFF_NO_PI = 0x1000;
    static final short IFF_MULTI_QUEUE = 0x0100;
    static final short IFF_VNET_HDR = 0x4000;
    static final long TUNSETOFFLOAD = 0x400454d0L; // _IOW('T', 208, unsigned int)
    static final long TUNSETVNETHDRSZ = 0x400454d8L; // _IOW('T', 216, int)
    static final int TUN_F_CSUM = 0x01; // the reader completes partial checksums
    static final int TUN_F_TSO4 = 0x02;
    static final int TUN_F_TSO6 = 0x04;
    static final int TUN_F_TSO_ECN = 0x08;
    /** What {@link #open(String, int, boolean)} asks for: TCP super-packets, IPv4 and IPv6, with ECN. */
    static final int OFFLOADS = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN;

    // linux/if.h: struct ifreq { char ifr_name[IFNAMSIZ]; union { short ifr_flags; ... } } on LP64
    static final int IFNAMSIZ = 16;
    static final int IFREQ_SIZE = 40;
    static final int IFR_FLAGS_OFFSET = IFNAMSIZ;

    // drivers/net/tun.c
    static final int MAX_TAP_QUEUES = 256;

    private static final String CLONE_DEVICE = "/dev/net/tun";

    private final String name;
    private final List<TunQueue> queues;
    private final boolean offload;

    private TunDevice(String name, List<TunQueue> queues, boolean offload) {
        this.name = name;
        this.queues = queues;
        this.offload = offload;
    }

    /** {@link #open(String, int, boolean)} without offloads: one plain IP packet per read and write. */
    public static TunDevice open(String name, int queues) throws ErrnoException {
        return open(name, queues, false);
    }

    /**
     * Creates (or attaches to) the TUN interface {@code name} with {@code queues} non-blocking
     * queues, flags {@code IFF_TUN | IFF_NO_PI | IFF_MULTI_QUEUE}. A name with {@code %d} lets
     * the kernel pick the number; {@link #name()} tells the result.
     *
     * <p>With {@code offload}, also {@code IFF_VNET_HDR} with a 10-byte {@link VirtioNetHdr} and
     * {@code TUNSETOFFLOAD} {@link #OFFLOADS}: reads return TCP super-packets of up to 64 KiB behind a virtio
     * header (wireguard-go's tun/offload_linux.go shape), and writes take one ({@link TunQueue#vnetHdr()}).
     *
     * @throws ErrnoException if the kernel refuses (EPERM without CAP_NET_ADMIN, EINVAL when the
     *     name is taken by an interface of another kind); no descriptor is left open then
     */
    public static TunDevice open(String name, int queues, boolean offload) throws ErrnoException {
        byte[] ifname = name.getBytes(StandardCharsets.US_ASCII);
        boolean printable = name.chars().allMatch(c -> c > ' ' && c < 127 && c != '/');
        if (ifname.length == 0 || ifname.length >= IFNAMSIZ || !printable) {
            throw new IllegalArgumentException("bad interface name: " + name);
        }
        if (queues < 1 || queues > MAX_TAP_QUEUES) {
            throw new IllegalArgumentException("queues must be 1.." + MAX_TAP_QUEUES + ": " + queues);
        }
        Memory ifr = new Memory(IFREQ_SIZE);
        List<TunQueue> opened = new ArrayList<>(queues);
        try {
            for (int i = 0; i < queues; i++) {
                int fd = Libc.open(CLONE_DEVICE, Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
                if (fd < 0) {
                    throw new ErrnoException(Libc.errno(), "open " + CLONE_DEVICE);
                }
                ifr.clear();
                ifr.write(0, ifname, 0, ifname.length);
                short flags = (short) (IFF_TUN | IFF_NO_PI | IFF_MULTI_QUEUE | (offload ? IFF_VNET_HDR : 0));
                ifr.setShort(IFR_FLAGS_OFFSET, flags);
                if (Libc.ioctl(fd, TUNSETIFF, ifr) < 0) {
                    int errno = Libc.errno();
                    Libc.close(fd);
                    throw new ErrnoException(errno, "TUNSETIFF " + name + " queue " + i);
                }
                if (offload) {
                    Memory sz = new Memory(4);
                    sz.setInt(0, VirtioNetHdr.LEN);
                    if (Libc.ioctl(fd, TUNSETVNETHDRSZ, sz) < 0 || Libc.ioctl(fd, TUNSETOFFLOAD, (long) OFFLOADS) < 0) {
                        int errno = Libc.errno();
                        Libc.close(fd);
                        throw new ErrnoException(errno, "TUNSETVNETHDRSZ/TUNSETOFFLOAD " + name + " queue " + i);
                    }
                }
                opened.add(new TunQueue(fd, offload));
                if (i == 0) {
                    name = ifr.getString(0, StandardCharsets.US_ASCII.name());
                    ifname = name.getBytes(StandardCharsets.US_ASCII);
                }
            }
        } catch (ErrnoException | RuntimeException e) {
            opened.forEach(TunQueue::close);
            throw e;
        }
        return new TunDevice(name, List.copyOf(opened), offload);
    }

    /** True if the queues carry virtio headers and TCP super-packets. */
    public boolean offload() {
        return offload;
    }

    /** The interface name, as the kernel assigned it. */
    public String name() {
        return name;
    }

    /** The queues, in the order they were attached; each belongs to one worker. */
    public List<TunQueue> queues() {
        return queues;
    }

    public TunQueue queue(int i) {
        return queues.get(i);
    }

    /** Closes every queue, which removes the interface. Idempotent. */
    @Override
    public void close() {
        queues.forEach(TunQueue::close);
    }
}
