package net.edgegw.dataplane.packet;

/**
 * IPv4 header field offsets and accessors on a byte array.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * |         Identification        |Flags|      Fragment Offset    |
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * |                       Source Address                          |
 * |                    Destination Address                        |
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc791#section-3.1">RFC 791 §3.1</a>
 */
public final class Ipv4Header {
    public static final int MIN_LEN = 20; // RFC 791 §3.1
    public static final int TOS = 1;
    public static final int TOTAL_LEN = 2;
    public static final int ID = 4;
    public static final int FLAGS_FRAG = 6;
    public static final int TTL = 8;
    public static final int PROTOCOL = 9;
    public static final int CHECKSUM = 10;
    public static final int SRC = 12;
    public static final int DST = 16;
    public static final int FLAG_DF = 0x4000; // RFC 791 §3.1, "Don't Fragment"
    public static final int FLAG_MF = 0x2000;
    public static final int FRAG_OFFSET_MASK = 0x1fff;
    public static final int DEFAULT_TTL = 64;

    private Ipv4Header() {}

    public static int headerLen(byte[] b, int off) {
        return (b[off] & 0x0f) << 2;
    }

    /** Writes a 20-byte header without options and its checksum. */
    public static void write(byte[] b, int off, int totalLen, int protocol, byte[] src, byte[] dst, int tos, boolean df) {
        b[off] = 0x45;
        b[off + TOS] = (byte) tos;
        NetworkOrder.put16(b, off + TOTAL_LEN, totalLen);
        NetworkOrder.put16(b, off + ID, 0);
        NetworkOrder.put16(b, off + FLAGS_FRAG, df ? FLAG_DF : 0);
        b[off + TTL] = (byte) DEFAULT_TTL;
        b[off + PROTOCOL] = (byte) protocol;
        NetworkOrder.put16(b, off + CHECKSUM, 0);
        System.arraycopy(src, 0, b, off + SRC, 4);
        System.arraycopy(dst, 0, b, off + DST, 4);
        NetworkOrder.put16(b, off + CHECKSUM, InetChecksum.compute(b, off, MIN_LEN));
    }

    /** Recomputes the header checksum in place. */
    public static void updateChecksum(byte[] b, int off) {
        int hl = headerLen(b, off);
        NetworkOrder.put16(b, off + CHECKSUM, 0);
        NetworkOrder.put16(b, off + CHECKSUM, InetChecksum.compute(b, off, hl));
    }
}
