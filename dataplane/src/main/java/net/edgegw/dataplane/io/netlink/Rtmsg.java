package net.edgegw.dataplane.io.netlink;

import java.nio.ByteBuffer;

/**
 * The family header of RTM_*ROUTE messages: prefix lengths, table, origin, scope and type.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Family    |  Src length   |  Dest length  |     TOS         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Table ID   |   Protocol    |     Scope     |     Type        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Flags                                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Deviation from the RFC's drawing: struct rtmsg puts the destination length first, then the
 * source length (linux/rtnetlink.h); this class follows the kernel.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3549#section-3.1.1">RFC 3549 §3.1.1</a>, "Network Route Service Module"
 */
final class Rtmsg {

    // linux/rtnetlink.h: struct rtmsg
    static final int LEN = 12;

    // linux/rtnetlink.h: message types
    static final int RTM_NEWROUTE = 24;
    static final int RTM_DELROUTE = 25;

    // linux/rtnetlink.h: enum rtattr_type_t
    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_PRIORITY = 6;

    // linux/rtnetlink.h: rtm_table, rtm_protocol, rtm_scope, rtm_type
    static final int RT_TABLE_MAIN = 254;
    static final int RTPROT_UNSPEC = 0;
    static final int RTPROT_STATIC = 4; // "route installed by administrator"
    static final int RT_SCOPE_UNIVERSE = 0;
    static final int RT_SCOPE_LINK = 253;
    static final int RT_SCOPE_NOWHERE = 255;
    static final int RTN_UNSPEC = 0;
    static final int RTN_UNICAST = 1;

    private Rtmsg() {}

    static void put(ByteBuffer b, int family, int dstLength, int table, int protocol, int scope, int type) {
        b.put((byte) family).put((byte) dstLength).put((byte) 0).put((byte) 0)
                .put((byte) table).put((byte) protocol).put((byte) scope).put((byte) type)
                .putInt(0);
    }
}
