package net.edgegw.dataplane.replay;

/**
 * Anti-replay sliding window (RFC 4303 §3.4.3), kept as a ring of 64-bit blocks so that advancing the window
 * clears whole blocks instead of shifting a bitmap (RFC 6479). With extended sequence numbers the high 32 bits
 * of a received number are inferred as RFC 4303 Appendix A2.2 describes.
 *
 * <p>Two steps, so that forged packets cannot move the window: {@link #check} is read-only and runs before
 * the ICV is verified; {@link #commit} runs only after the ICV verified, and re-checks (a batch may hold the
 * same number twice). Owned by one worker thread: no synchronisation.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4303#appendix-A">RFC 4303 Appendix A</a>
 */
public final class ReplayWindow {
    /** Returned by {@link #check} for a number that must be dropped. */
    public static final long REJECT = -1;

    // Our limits.
    public static final int MIN_SIZE = 64;
    public static final int MAX_SIZE = 1 << 16;
    public static final int DEFAULT_SIZE = 1024;

    private final int size;
    private final boolean enabled;
    private final boolean esn;
    private final long[] ring;
    private final int ringMask;
    /** Highest authenticated sequence number (64-bit even without ESN); 0 = none yet. */
    private long top;

    /**
     * @param size window size in packets, a multiple of 64 between {@link #MIN_SIZE} and {@link #MAX_SIZE}, or 0 to
     *             disable the replay check (RFC 4303 §3.4.3 lets a receiver do so, e.g. for manually keyed SAs;
     *             the ESN high bits are then still inferred, with a 64-packet window)
     * @param esn  whether the SA uses extended (64-bit) sequence numbers (RFC 4304)
     */
    public ReplayWindow(int size, boolean esn) {
        if (!valid(size)) {
            throw new IllegalArgumentException("replay window must be 0 (off) or a multiple of 64 in [" + MIN_SIZE
                    + ", " + MAX_SIZE + "], got " + size);
        }
        this.enabled = size != 0;
        size = enabled ? size : MIN_SIZE;
        this.size = size;
        this.esn = esn;
        int blocks = Integer.highestOneBit(size / 64) << 1; // one spare block beyond the window, power of two
        this.ring = new long[blocks];
        this.ringMask = blocks - 1;
    }

    public static boolean valid(int size) {
        return size == 0 || (size >= MIN_SIZE && size <= MAX_SIZE && size % 64 == 0);
    }

    /** The window size, or 0 if the check is disabled. */
    public int size() {
        return enabled ? size : 0;
    }

    /** The highest sequence number accepted so far (the right edge of the window). */
    public long top() {
        return top;
    }

    /**
     * Read-only pre-check of a received 32-bit sequence number (the low half with ESN).
     *
     * @return the full 64-bit sequence number to use in the ICV, or {@link #REJECT} if it is a replay, left of
     *         the window, or zero
     */
    public long check(int seqLow) {
        long seq = infer(seqLow);
        if (seq <= 0) {
            return REJECT; // 0 is never sent (RFC 4303 §3.3.3); negative means "before the first subspace"
        }
        if (seq > top || !enabled) {
            return seq;
        }
        if (top - seq >= size) {
            return REJECT;
        }
        return (ring[(int) (seq >>> 6) & ringMask] & (1L << (seq & 63))) != 0 ? REJECT : seq;
    }

    /**
     * Marks {@code seq} (a value {@link #check} returned) as received and slides the window if it is new.
     *
     * @return false if it was received meanwhile or fell out of the window (drop it as a replay)
     */
    public boolean commit(long seq) {
        if (seq > top) {
            long oldBlock = top >>> 6;
            long newBlock = seq >>> 6;
            long clear = Math.min(newBlock - oldBlock, ring.length);
            for (long i = 1; i <= clear; i++) {
                ring[(int) (oldBlock + i) & ringMask] = 0;
            }
            top = seq;
        } else if (!enabled) {
            return true;
        } else if (top - seq >= size) {
            return false;
        }
        int idx = (int) (seq >>> 6) & ringMask;
        long bit = 1L << (seq & 63);
        if ((ring[idx] & bit) != 0) {
            return false;
        }
        ring[idx] |= bit;
        return true;
    }

    /** RFC 4303 Appendix A2.2: pick the high-order 32 bits that put seqLow closest to the window. */
    private long infer(int seqLow) {
        long sl = Integer.toUnsignedLong(seqLow);
        if (!esn) {
            return sl;
        }
        long tl = top & 0xffffffffL;
        long th = top >>> 32;
        long bottom = (tl - size + 1) & 0xffffffffL; // Tl - W + 1 modulo 2^32
        long sh;
        if (tl >= size - 1) {
            // Case A: the window lies within one sequence number subspace.
            sh = sl >= bottom ? th : th + 1;
        } else {
            // Case B: the window spans two subspaces.
            sh = sl >= bottom ? th - 1 : th;
        }
        if (sh < 0 || sh > 0xffffffffL) {
            return REJECT;
        }
        return (sh << 32) | sl;
    }
}
