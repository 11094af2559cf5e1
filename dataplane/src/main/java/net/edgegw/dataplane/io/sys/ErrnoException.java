package net.edgegw.dataplane.io.sys;

import java.io.IOException;

/** A failed system call on the control path, carrying its errno. */
public class ErrnoException extends IOException {

    private final int errno;

    /** Message "what: strerror (errno N)". */
    public ErrnoException(int errno, String what) {
        this(errno, what, null);
    }

    /** Message "what: strerror (errno N): detail"; detail may be null. */
    public ErrnoException(int errno, String what, String detail) {
        super(what + ": " + Errno.describe(errno) + (detail == null ? "" : ": " + detail));
        this.errno = errno;
    }

    /** The positive errno value, e.g. {@link Errno#ENODEV}. */
    public int errno() {
        return errno;
    }
}
