package net.edgegw.dataplane.packet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Big-endian (network order) reads and writes on byte arrays, without allocation or bounds juggling by hand. */
public final class NetworkOrder {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private NetworkOrder() {}

    public static int u8(byte[] b, int off) {
        return b[off] & 0xff;
    }

    public static int u16(byte[] b, int off) {
        return ((short) SHORT.get(b, off)) & 0xffff;
    }

    public static void put16(byte[] b, int off, int v) {
        SHORT.set(b, off, (short) v);
    }

    public static int i32(byte[] b, int off) {
        return (int) INT.get(b, off);
    }

    public static long u32(byte[] b, int off) {
        return Integer.toUnsignedLong((int) INT.get(b, off));
    }

    public static void put32(byte[] b, int off, int v) {
        INT.set(b, off, v);
    }

    public static long i64(byte[] b, int off) {
        return (long) LONG.get(b, off);
    }

    public static void put64(byte[] b, int off, long v) {
        LONG.set(b, off, v);
    }
}
