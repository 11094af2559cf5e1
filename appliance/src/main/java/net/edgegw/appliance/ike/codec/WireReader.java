package net.edgegw.appliance.ike.codec;

import net.edgegw.appliance.ike.IkeProtocolException;

/**
 * A bounds-checked big-endian cursor over received bytes: every read checks the remaining length first and
 * answers a short buffer with {@link IkeProtocolException} INVALID_SYNTAX (RFC 7296 §2.21.1), never with an
 * index exception.
 */
public final class WireReader {
    private final byte[] b;
    private int pos;
    private final int end;

    public WireReader(byte[] b) {
        this(b, 0, b.length);
    }

    public WireReader(byte[] b, int off, int len) {
        if (off < 0 || len < 0 || off + len > b.length) {
            throw new IllegalArgumentException("range outside the array");
        }
        this.b = b;
        this.pos = off;
        this.end = off + len;
    }

    public int remaining() {
        return end - pos;
    }

    public int position() {
        return pos;
    }

    public byte[] array() {
        return b;
    }

    private void need(int n, String what) throws IkeProtocolException {
        if (n < 0 || end - pos < n) {
            throw syntax(what + ": " + n + " bytes needed, " + (end - pos) + " left");
        }
    }

    public int u8(String what) throws IkeProtocolException {
        need(1, what);
        return b[pos++] & 0xff;
    }

    public int u16(String what) throws IkeProtocolException {
        need(2, what);
        int v = (b[pos] & 0xff) << 8 | (b[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    public int i32(String what) throws IkeProtocolException {
        need(4, what);
        int v = (b[pos] & 0xff) << 24 | (b[pos + 1] & 0xff) << 16 | (b[pos + 2] & 0xff) << 8 | (b[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    public long u32(String what) throws IkeProtocolException {
        return Integer.toUnsignedLong(i32(what));
    }

    public long i64(String what) throws IkeProtocolException {
        long hi = u32(what);
        return hi << 32 | u32(what);
    }

    public byte[] bytes(int n, String what) throws IkeProtocolException {
        need(n, what);
        byte[] v = new byte[n];
        System.arraycopy(b, pos, v, 0, n);
        pos += n;
        return v;
    }

    /** All that is left. */
    public byte[] rest() {
        byte[] v = new byte[end - pos];
        System.arraycopy(b, pos, v, 0, v.length);
        pos = end;
        return v;
    }

    public void skip(int n, String what) throws IkeProtocolException {
        need(n, what);
        pos += n;
    }

    /** A reader over the next {@code n} bytes; this reader moves past them. */
    public WireReader slice(int n, String what) throws IkeProtocolException {
        need(n, what);
        WireReader r = new WireReader(b, pos, n);
        pos += n;
        return r;
    }

    /** INVALID_SYNTAX unless every byte was consumed. */
    public void expectEnd(String what) throws IkeProtocolException {
        if (pos != end) {
            throw syntax(what + ": " + (end - pos) + " trailing bytes");
        }
    }

    public static IkeProtocolException syntax(String message) {
        return new IkeProtocolException(IkeProtocolException.INVALID_SYNTAX, message);
    }
}
