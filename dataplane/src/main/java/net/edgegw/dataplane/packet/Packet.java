package net.edgegw.dataplane.packet;

/**
 * One packet in a pooled heap buffer with headroom and tailroom (wireguard-go style): the payload is
 * {@code buf[off, off+len)}; headers are written in front of {@code off}, trailers after {@code off+len},
 * so encapsulation and decapsulation happen in place without copying the payload.
 *
 * <p>Heap arrays, not direct buffers: the JDK's AES-GCM and ChaCha20-Poly1305 intrinsics work on
 * {@code byte[]}; a direct buffer makes the JCE copy through temporary arrays.
 */
public final class Packet {
    /** Room kept in front of a packet read from a device: outer IPv6 (40) + UDP (8) + ESP (8) + IV (16), rounded up. */
    public static final int DEFAULT_HEADROOM = 128;
    /** Room kept after a packet: ESP padding (up to 255) + pad length + next header + ICV (up to 32), rounded up. */
    public static final int DEFAULT_TAILROOM = 320;

    public final byte[] buf;
    public int off;
    public int len;
    /**
     * When the buffer holds a run of datagrams laid end to end (a UDP GRO read): the size of each, the last
     * may be shorter; otherwise unused.
     */
    public int segSize;

    public Packet(int capacity) {
        this.buf = new byte[capacity];
    }

    /** A buffer that holds an MTU-sized packet at {@link #DEFAULT_HEADROOM} with {@link #DEFAULT_TAILROOM} after it. */
    public static Packet forMtu(int mtu) {
        Packet p = new Packet(DEFAULT_HEADROOM + mtu + DEFAULT_TAILROOM);
        p.off = DEFAULT_HEADROOM;
        return p;
    }

    public int headroom() {
        return off;
    }

    public int tailroom() {
        return buf.length - off - len;
    }

    public int end() {
        return off + len;
    }

    /** Copies {@code src[srcOff, srcOff+n)} in at offset {@code at} and makes it the packet. */
    public Packet set(byte[] src, int srcOff, int n, int at) {
        System.arraycopy(src, srcOff, buf, at, n);
        off = at;
        len = n;
        return this;
    }

    /** The current packet bytes as a new array (tests and control plane only, never on the hot path). */
    public byte[] toArray() {
        byte[] out = new byte[len];
        System.arraycopy(buf, off, out, 0, len);
        return out;
    }
}
