package net.edgegw.dataplane.io.netlink;

import java.nio.ByteBuffer;

/**
 * The payload of an NLMSG_ERROR message: an acknowledgement (error 0) or a refusal (-errno).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Error code (0 or -errno)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Header of the request (16 bytes, and its payload         |
 * |      unless the ack carries NLM_F_CAPPED)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Extended ack attributes, if NLM_F_ACK_TLVS               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @see <a href="https://docs.kernel.org/userspace-api/netlink/intro.html">Introduction to Netlink</a>
 */
final class Nlmsgerr {

    // linux/netlink.h: struct nlmsgerr
    static final int LEN = 4 + Nlmsghdr.LEN;

    // linux/netlink.h: enum nlmsgerr_attrs
    static final int NLMSGERR_ATTR_MSG = 1;

    private Nlmsgerr() {}

    /** The error code of the NLMSG_ERROR payload at {@code at}: 0 or a negative errno. */
    static int error(ByteBuffer b, int at) {
        return b.getInt(at);
    }

    /**
     * The extended-ack message of the NLMSG_ERROR message {@code [start, end)}, or null.
     *
     * @param flags the nlmsg_flags of that message
     */
    static String extAck(ByteBuffer b, int start, int end, int flags) {
        if ((flags & Nlmsghdr.NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        int payload = start + Nlmsghdr.LEN;
        int request = payload + 4;
        int tlvs = (flags & Nlmsghdr.NLM_F_CAPPED) != 0
                ? request + Nlmsghdr.LEN
                : request + Nlmsghdr.align(b.getInt(request + Nlmsghdr.LEN_OFFSET));
        if (tlvs < request + Nlmsghdr.LEN || tlvs > end) {
            return null;
        }
        int at = Rtattr.find(b, tlvs, end, NLMSGERR_ATTR_MSG);
        return at < 0 ? null : Rtattr.string(b, at);
    }
}
