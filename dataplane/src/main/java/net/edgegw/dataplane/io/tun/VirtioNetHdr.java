package net.edgegw.dataplane.io.tun;

/**
 * The {@code struct virtio_net_hdr} a TUN queue opened with {@code IFF_VNET_HDR} puts in front of every packet
 * (read and write): how the kernel segmented (GSO) and checksummed it. Static accessors on the caller's buffer,
 * nothing allocated. Fields are little-endian (the host order of x86_64 and aarch64; legacy virtio without
 * {@code TUNSETVNETBE}).
 *
 * <pre>
 *  0      1          2         4            6             8              10
 *  +------+----------+---------+------------+-------------+--------------+
 *  |flags | gso_type | hdr_len | gso_size   | csum_start  | csum_offset  |
 *  +------+----------+---------+------------+-------------+--------------+
 * </pre>
 *
 * @see <a href="https://docs.oasis-open.org/virtio/virtio/v1.2/virtio-v1.2.html">virtio 1.2 §5.1.6</a>,
 *     linux/virtio_net.h
 */
public final class VirtioNetHdr {
    public static final int LEN = 10; // sizeof(struct virtio_net_hdr), virtio 1.2 §5.1.6
    /** flags: the checksum from csum_start is partial; csum_start + csum_offset holds the pseudo-header sum. */
    public static final int F_NEEDS_CSUM = 1;
    public static final int F_DATA_VALID = 2;
    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    public static final int GSO_UDP_L4 = 5;
    /** gso_type bit: the TCP segments carry ECN CWR (only the first segment keeps it). */
    public static final int GSO_ECN = 0x80;

    static final int FLAGS = 0;
    static final int GSO_TYPE = 1;
    static final int HDR_LEN = 2;
    static final int GSO_SIZE = 4;
    static final int CSUM_START = 6;
    static final int CSUM_OFFSET = 8;

    private VirtioNetHdr() {}

    public static int flags(byte[] b, int off) {
        return b[off + FLAGS] & 0xff;
    }

    /** The GSO type without the ECN bit. */
    public static int gsoType(byte[] b, int off) {
        return b[off + GSO_TYPE] & 0x7f;
    }

    public static int hdrLen(byte[] b, int off) {
        return le16(b, off + HDR_LEN);
    }

    public static int gsoSize(byte[] b, int off) {
        return le16(b, off + GSO_SIZE);
    }

    public static int csumStart(byte[] b, int off) {
        return le16(b, off + CSUM_START);
    }

    public static int csumOffset(byte[] b, int off) {
        return le16(b, off + CSUM_OFFSET);
    }

    /** Writes a whole header. */
    public static void write(byte[] b, int off, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart,
                             int csumOffset) {
        b[off + FLAGS] = (byte) flags;
        b[off + GSO_TYPE] = (byte) gsoType;
        put16(b, off + HDR_LEN, hdrLen);
        put16(b, off + GSO_SIZE, gsoSize);
        put16(b, off + CSUM_START, csumStart);
        put16(b, off + CSUM_OFFSET, csumOffset);
    }

    /** A header saying "one packet, checksum complete". */
    public static void writeNone(byte[] b, int off) {
        write(b, off, 0, GSO_NONE, 0, 0, 0, 0);
    }

    private static int le16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }
}
