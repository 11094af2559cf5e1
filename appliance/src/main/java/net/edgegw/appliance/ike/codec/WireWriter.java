package net.edgegw.appliance.ike.codec;

import java.util.Arrays;

/** A growable big-endian byte sink for building IKE messages (control plane: allocation is fine). */
public final class WireWriter {
    private byte[] b = new byte[256];
    private int pos;

    private void ensure(int n) {
        if (pos + n > b.length) {
            b = Arrays.copyOf(b, Math.max(b.length * 2, pos + n));
        }
    }

    public int position() {
        return pos;
    }

    public WireWriter u8(int v) {
        ensure(1);
        b[pos++] = (byte) v;
        return this;
    }

    public WireWriter u16(int v) {
        ensure(2);
        b[pos++] = (byte) (v >>> 8);
        b[pos++] = (byte) v;
        return this;
    }

    public WireWriter i32(int v) {
        ensure(4);
        b[pos++] = (byte) (v >>> 24);
        b[pos++] = (byte) (v >>> 16);
        b[pos++] = (byte) (v >>> 8);
        b[pos++] = (byte) v;
        return this;
    }

    public WireWriter i64(long v) {
        return i32((int) (v >>> 32)).i32((int) v);
    }

    public WireWriter zeros(int n) {
        ensure(n);
        pos += n; // the array is zero-filled and never shrinks
        return this;
    }

    public WireWriter bytes(byte[] v) {
        return bytes(v, 0, v.length);
    }

    public WireWriter bytes(byte[] v, int off, int len) {
        ensure(len);
        System.arraycopy(v, off, b, pos, len);
        pos += len;
        return this;
    }

    /** Overwrites two bytes at {@code at} (a length field written before its value was known). */
    public void patch16(int at, int v) {
        if (at < 0 || at + 2 > pos) {
            throw new IllegalArgumentException("patch outside what was written");
        }
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("length " + v + " does not fit 16 bits");
        }
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    public void patch8(int at, int v) {
        b[at] = (byte) v;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(b, pos);
    }
}
