package net.edgegw.dataplane.packet;

/**
 * TCP header offsets and flags, for the code that edits segments in place (MSS clamping, segmentation,
 * coalescing).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * |                        Sequence Number                        |
 * |                    Acknowledgment Number                      |
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |           Checksum            |         Urgent Pointer        |
 * |                      [Options]                                |
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9293#section-3.1">RFC 9293 §3.1</a>
 */
public final class TcpHeader {
    public static final int MIN_LEN = 20; // RFC 9293 §3.1
    public static final int SEQ = 4;
    public static final int ACK = 8;
    public static final int DATA_OFFSET = 12; // upper 4 bits, in 32-bit words
    public static final int FLAGS = 13;
    public static final int CHECKSUM = 16;
    public static final int FLAG_FIN = 0x01;
    public static final int FLAG_SYN = 0x02;
    public static final int FLAG_RST = 0x04;
    public static final int FLAG_PSH = 0x08;
    public static final int FLAG_URG = 0x20;
    public static final int FLAG_CWR = 0x80; // RFC 3168 §6.1

    private TcpHeader() {}

    /** The header length the data offset field at {@code b[tcp + 12]} gives. */
    public static int headerLen(byte[] b, int tcp) {
        return ((b[tcp + DATA_OFFSET] & 0xff) >>> 4) * 4;
    }
}
