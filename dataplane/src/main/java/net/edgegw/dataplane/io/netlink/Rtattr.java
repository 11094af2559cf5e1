package net.edgegw.dataplane.io.netlink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A type-length-value attribute after an rtnetlink family header, padded to 4 bytes.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Length                 |            Type               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Value (Length - 4 bytes, padded)             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3549">RFC 3549</a>, "Attributes"
 */
final class Rtattr {

    static final int LEN = 4; // linux/rtnetlink.h: struct rtattr (same layout as struct nlattr)
    static final int NLA_TYPE_MASK = 0x3fff; // linux/netlink.h: without NLA_F_NESTED, NLA_F_NET_BYTEORDER

    private Rtattr() {}

    static void putInt(ByteBuffer b, int type, int value) {
        b.putShort((short) (LEN + 4)).putShort((short) type).putInt(value);
    }

    static void putBytes(ByteBuffer b, int type, byte[] value) {
        b.putShort((short) (LEN + value.length)).putShort((short) type).put(value);
        pad(b);
    }

    /** A NUL-terminated string, as IFLA_IFNAME expects. */
    static void putString(ByteBuffer b, int type, String value) {
        byte[] s = value.getBytes(StandardCharsets.US_ASCII);
        b.putShort((short) (LEN + s.length + 1)).putShort((short) type).put(s).put((byte) 0);
        pad(b);
    }

    /**
     * Finds attribute {@code type} among the attributes in {@code [from, to)} of {@code b}.
     *
     * @return the offset of its header, or -1 if absent or the attributes are malformed
     */
    static int find(ByteBuffer b, int from, int to, int type) {
        int p = from;
        while (p + LEN <= to) {
            int len = Short.toUnsignedInt(b.getShort(p));
            if (len < LEN || p + len > to) {
                return -1;
            }
            if ((b.getShort(p + 2) & NLA_TYPE_MASK) == type) {
                return p;
            }
            p += Nlmsghdr.align(len);
        }
        return -1;
    }

    /** The string value of the attribute at {@code at}, up to its NUL. */
    static String string(ByteBuffer b, int at) {
        int len = Short.toUnsignedInt(b.getShort(at)) - LEN;
        byte[] s = new byte[len];
        b.get(at + LEN, s);
        int end = 0;
        while (end < len && s[end] != 0) {
            end++;
        }
        return new String(s, 0, end, StandardCharsets.UTF_8);
    }

    private static void pad(ByteBuffer b) {
        while ((b.position() & (Nlmsghdr.ALIGNTO - 1)) != 0) {
            b.put((byte) 0);
        }
    }
}
