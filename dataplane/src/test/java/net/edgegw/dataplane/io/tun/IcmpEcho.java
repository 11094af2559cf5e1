package net.edgegw.dataplane.io.tun;

/**
 * ICMP echo over IPv4, enough to recognise a ping in a TUN and to answer it.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc792">RFC 792</a> (echo, checksum)
 * @see <a href="https://www.rfc-editor.org/rfc/rfc791#section-3.1">RFC 791 §3.1</a> (header)
 */
final class IcmpEcho {

    static final int IPV4_HEADER_LEN = 20; // RFC 791 §3.1, without options
    static final int PROTO_ICMP = 1; // IANA protocol numbers
    static final int ECHO_REPLY = 0; // RFC 792
    static final int ECHO_REQUEST = 8; // RFC 792

    private IcmpEcho() {}

    /** True if {@code len} bytes at {@code off} are an IPv4 ICMP echo request to {@code dst}. */
    static boolean isRequestTo(byte[] b, int off, int len, byte[] dst) {
        return len >= IPV4_HEADER_LEN + 8
                && (b[off] & 0xff) == 0x45
                && (b[off + 9] & 0xff) == PROTO_ICMP
                && (b[off + IPV4_HEADER_LEN] & 0xff) == ECHO_REQUEST
                && regionEquals(b, off + 16, dst);
    }

    /** True if the bytes are an IPv4 ICMP echo reply to {@code dst}. */
    static boolean isReplyTo(byte[] b, int off, int len, byte[] dst) {
        return len >= IPV4_HEADER_LEN + 8
                && (b[off] & 0xff) == 0x45
                && (b[off + 9] & 0xff) == PROTO_ICMP
                && (b[off + IPV4_HEADER_LEN] & 0xff) == ECHO_REPLY
                && regionEquals(b, off + 16, dst);
    }

    /** An echo request from {@code src} to {@code dst} with identifier, sequence and payload. */
    static byte[] request(byte[] src, byte[] dst, int id, int seq, int payloadLen) {
        byte[] p = new byte[IPV4_HEADER_LEN + 8 + payloadLen];
        p[0] = 0x45;
        p[2] = (byte) (p.length >> 8);
        p[3] = (byte) p.length;
        p[8] = 64; // TTL
        p[9] = PROTO_ICMP;
        System.arraycopy(src, 0, p, 12, 4);
        System.arraycopy(dst, 0, p, 16, 4);
        p[IPV4_HEADER_LEN] = ECHO_REQUEST;
        p[IPV4_HEADER_LEN + 4] = (byte) (id >> 8);
        p[IPV4_HEADER_LEN + 5] = (byte) id;
        p[IPV4_HEADER_LEN + 6] = (byte) (seq >> 8);
        p[IPV4_HEADER_LEN + 7] = (byte) seq;
        for (int i = 0; i < payloadLen; i++) {
            p[IPV4_HEADER_LEN + 8 + i] = (byte) i;
        }
        fixChecksums(p, 0, p.length);
        return p;
    }

    /** The reply to the request at {@code off}: addresses swapped, type 0, checksums recomputed. */
    static byte[] reply(byte[] b, int off, int len) {
        byte[] p = new byte[len];
        System.arraycopy(b, off, p, 0, len);
        System.arraycopy(b, off + 16, p, 12, 4);
        System.arraycopy(b, off + 12, p, 16, 4);
        p[8] = 64;
        p[IPV4_HEADER_LEN] = ECHO_REPLY;
        fixChecksums(p, 0, len);
        return p;
    }

    static void fixChecksums(byte[] p, int off, int len) {
        p[off + 10] = 0;
        p[off + 11] = 0;
        int ip = checksum(p, off, IPV4_HEADER_LEN);
        p[off + 10] = (byte) (ip >> 8);
        p[off + 11] = (byte) ip;
        p[off + IPV4_HEADER_LEN + 2] = 0;
        p[off + IPV4_HEADER_LEN + 3] = 0;
        int icmp = checksum(p, off + IPV4_HEADER_LEN, len - IPV4_HEADER_LEN);
        p[off + IPV4_HEADER_LEN + 2] = (byte) (icmp >> 8);
        p[off + IPV4_HEADER_LEN + 3] = (byte) icmp;
    }

    /** RFC 1071 Internet checksum; over data that includes a valid checksum it yields 0. */
    static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static boolean regionEquals(byte[] b, int off, byte[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (b[off + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
