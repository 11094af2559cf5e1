package net.edgegw.dataplane.io.netlink;

import java.nio.ByteBuffer;

/**
 * The header that starts every netlink message, in host byte order.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Length                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Type              |           Flags                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Sequence Number                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Process ID (PID)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3549">RFC 3549</a>, "Netlink Message Format"
 */
final class Nlmsghdr {

    // linux/netlink.h: struct nlmsghdr
    static final int LEN = 16;
    static final int LEN_OFFSET = 0;
    static final int TYPE_OFFSET = 4;
    static final int FLAGS_OFFSET = 6;
    static final int SEQ_OFFSET = 8;
    static final int ALIGNTO = 4; // NLMSG_ALIGNTO

    // linux/netlink.h: protocol and socket options
    static final int NETLINK_ROUTE = 0;
    static final int SOL_NETLINK = 270; // bits/socket.h
    static final int NETLINK_CAP_ACK = 10;
    static final int NETLINK_EXT_ACK = 11;
    static final int SOCKADDR_NL_LEN = 12; // struct sockaddr_nl: family, pad, pid, groups

    // linux/netlink.h: control message types
    static final int NLMSG_NOOP = 0x1;
    static final int NLMSG_ERROR = 0x2;
    static final int NLMSG_DONE = 0x3;

    // linux/netlink.h: flags of every request
    static final int NLM_F_REQUEST = 0x01;
    static final int NLM_F_ACK = 0x04;
    // linux/netlink.h: flags of NEW requests
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    // linux/netlink.h: flags of an NLMSG_ERROR acknowledgement
    static final int NLM_F_CAPPED = 0x100;
    static final int NLM_F_ACK_TLVS = 0x200;

    private Nlmsghdr() {}

    /** NLMSG_ALIGN: rounds a length up to the 4-byte netlink alignment. */
    static int align(int len) {
        return (len + ALIGNTO - 1) & ~(ALIGNTO - 1);
    }

    /** Writes a header whose length and sequence number are filled in when the message is sent. */
    static void put(ByteBuffer b, int type, int flags) {
        b.putInt(0).putShort((short) type).putShort((short) flags).putInt(0).putInt(0);
    }
}
