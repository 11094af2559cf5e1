package net.edgegw.dataplane.io.netnstest;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/** setns(2), which moves the calling thread (only) into another namespace. */
final class Setns {

    static {
        Native.register(Setns.class, Platform.C_LIBRARY_NAME);
    }

    static final int CLONE_NEWNET = 0x40000000; // linux/sched.h

    private Setns() {}

    static native int setns(int fd, int nstype);
}
