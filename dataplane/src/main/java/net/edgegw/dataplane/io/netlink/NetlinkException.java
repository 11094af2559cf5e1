package net.edgegw.dataplane.io.netlink;

import net.edgegw.dataplane.io.sys.ErrnoException;

/** A netlink request the kernel refused (or that could not be exchanged), with its errno. */
public final class NetlinkException extends ErrnoException {

    private final String extAck;

    /**
     * @param what the request, e.g. "RTM_NEWLINK ifindex 7 mtu 1400"
     * @param extAck the kernel's extended-ack text (NLMSGERR_ATTR_MSG), or null
     */
    public NetlinkException(int errno, String what, String extAck) {
        super(errno, what, extAck);
        this.extAck = extAck;
    }

    /** The kernel's own explanation, e.g. "Invalid prefix for given prefix length"; may be null. */
    public String extAck() {
        return extAck;
    }
}
