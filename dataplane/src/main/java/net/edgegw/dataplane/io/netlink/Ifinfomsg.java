package net.edgegw.dataplane.io.netlink;

import java.nio.ByteBuffer;

/**
 * The family header of RTM_*LINK messages: which interface, and which flags to change.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Family    |   Reserved    |          Device Type            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Interface Index                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Device Flags                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Change Mask                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3549">RFC 3549</a>, "Network Interface Service Module"
 */
final class Ifinfomsg {

    // linux/rtnetlink.h: struct ifinfomsg
    static final int LEN = 16;
    static final int INDEX_OFFSET = 4;

    // linux/rtnetlink.h: message types
    static final int RTM_NEWLINK = 16;
    static final int RTM_GETLINK = 18;

    // linux/if_link.h: IFLA_* attributes
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;

    // linux/if.h: net_device_flags
    static final int IFF_UP = 0x1;

    private Ifinfomsg() {}

    static void put(ByteBuffer b, int index, int flags, int change) {
        b.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(index).putInt(flags).putInt(change);
    }
}
