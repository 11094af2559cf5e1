package net.edgegw.dataplane.io.sys;

/**
 * The errno values the packet I/O reacts to by name.
 *
 * <p>Values from asm-generic/errno-base.h and asm-generic/errno.h (x86_64, aarch64).
 */
public final class Errno {

    // asm-generic/errno-base.h
    public static final int EPERM = 1;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;

    // asm-generic/errno.h
    public static final int EBADMSG = 74;
    public static final int EMSGSIZE = 90;
    public static final int EADDRNOTAVAIL = 99;

    private Errno() {}

    /** "No such device (errno 19)": strerror text and number, for exception messages. */
    public static String describe(int errno) {
        return Libc.strerror(errno) + " (errno " + errno + ")";
    }
}
