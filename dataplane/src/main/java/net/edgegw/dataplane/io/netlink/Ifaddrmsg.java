package net.edgegw.dataplane.io.netlink;

import java.nio.ByteBuffer;

/**
 * The family header of RTM_*ADDR messages: an address's family, prefix length and interface.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Family    |     Length    |     Flags     |    Scope        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Interface Index                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3549">RFC 3549</a>, "IP Address Service Module"
 */
final class Ifaddrmsg {

    // linux/if_addr.h: struct ifaddrmsg
    static final int LEN = 8;

    // linux/rtnetlink.h: message types
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;

    // linux/if_addr.h: IFA_* attributes
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;

    private Ifaddrmsg() {}

    static void put(ByteBuffer b, int family, int prefixLength, int scope, int index) {
        b.put((byte) family).put((byte) prefixLength).put((byte) 0).put((byte) scope).putInt(index);
    }
}
