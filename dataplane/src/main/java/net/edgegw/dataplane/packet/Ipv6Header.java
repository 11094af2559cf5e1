package net.edgegw.dataplane.packet;

/**
 * IPv6 fixed header field offsets.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * |                  Source Address (128 bits)                    |
 * |               Destination Address (128 bits)                  |
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8200#section-3">RFC 8200 §3</a>
 */
public final class Ipv6Header {
    public static final int LEN = 40; // RFC 8200 §3
    public static final int PAYLOAD_LEN = 4;
    public static final int NEXT_HEADER = 6;
    public static final int HOP_LIMIT = 7;
    public static final int SRC = 8;
    public static final int DST = 24;
    public static final int DEFAULT_HOP_LIMIT = 64;

    private Ipv6Header() {}

    public static void write(byte[] b, int off, int payloadLen, int nextHeader, byte[] src, byte[] dst, int trafficClass) {
        NetworkOrder.put32(b, off, 0x60000000 | ((trafficClass & 0xff) << 20));
        NetworkOrder.put16(b, off + PAYLOAD_LEN, payloadLen);
        b[off + NEXT_HEADER] = (byte) nextHeader;
        b[off + HOP_LIMIT] = (byte) DEFAULT_HOP_LIMIT;
        System.arraycopy(src, 0, b, off + SRC, 16);
        System.arraycopy(dst, 0, b, off + DST, 16);
    }

    public static int trafficClass(byte[] b, int off) {
        return (NetworkOrder.i32(b, off) >>> 20) & 0xff;
    }
}
