package net.edgegw.dataplane.replay;

import static net.edgegw.dataplane.replay.ReplayWindow.REJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Anti-replay window: RFC 4303 §3.4.3 (receiver side), Appendix A (window and ESN high-bit inference, A2.2).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4303#appendix-A">RFC 4303 Appendix A</a>
 */
class ReplayWindowTest {
    private static final long TWO_32 = 1L << 32;

    /**
     * Moves a fresh ESN window up to {@code seq} in subspace 0 through a midway packet: a fresh window has Th = 0
     * and Tl = 0 < W - 1 (case B), so it cannot place low bits within W - 1 of 2^32 directly (they would need
     * Seqh = -1).
     */
    private static void driveEsn(ReplayWindow w, long seq) {
        assertTrue(receive(w, 0x80000000L));
        assertTrue(receive(w, seq));
        assertEquals(seq, w.top());
    }

    /** The check-then-commit flow of the receive path, with the ICV assumed to verify. */
    private static boolean receive(ReplayWindow w, long seq) {
        long s = w.check((int) seq);
        return s != REJECT && w.commit(s);
    }

    // ---- RFC 4303 §3.4.3 basics -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sequenceNumberZeroIsRejected(boolean esn) {
        ReplayWindow w = new ReplayWindow(ReplayWindow.DEFAULT_SIZE, esn);
        assertEquals(REJECT, w.check(0)); // RFC 4303 §3.3.3: the first packet sent is 1, 0 never appears
        assertTrue(receive(w, 5));
        assertEquals(REJECT, w.check(0), "0 stays invalid once the window moved");
    }

    @Test
    void firstPacketIsAcceptedWhateverItsNumber() {
        for (long first : new long[] {1, 2, 1000, 0x7fffffffL, 0xffffffffL}) {
            ReplayWindow w = new ReplayWindow(1024, false);
            assertEquals(first, w.check((int) first));
            assertTrue(w.commit(first));
            assertEquals(first, w.top());
        }
    }

    @Test
    void checkIsReadOnly() {
        ReplayWindow w = new ReplayWindow(1024, false);
        assertEquals(7, w.check(7));
        assertEquals(7, w.check(7), "check must not mark the number as seen");
        assertEquals(0, w.top(), "check must not move the window");
        assertTrue(w.commit(7));
        assertEquals(7, w.top());
        assertEquals(REJECT, w.check(7));
    }

    @Test
    void duplicateIsRejectedByCheckAndByCommit() {
        ReplayWindow w = new ReplayWindow(1024, false);
        assertTrue(receive(w, 10));
        assertTrue(receive(w, 8));
        assertEquals(REJECT, w.check(10));
        assertEquals(REJECT, w.check(8));
        assertFalse(w.commit(10), "commit of the top again");
        assertFalse(w.commit(8), "commit of an in-window duplicate");
        assertEquals(10, w.top());
    }

    @Test
    void sameNumberTwiceInOneBatchIsCommittedOnce() {
        // Both copies pass the pre-check (the window has not moved yet); only the first commit may win.
        ReplayWindow w = new ReplayWindow(1024, false);
        assertTrue(receive(w, 100));
        long a = w.check(50);
        long b = w.check(50);
        long c = w.check(101);
        long d = w.check(101);
        assertEquals(50, a);
        assertEquals(50, b);
        assertEquals(101, c);
        assertEquals(101, d);
        assertTrue(w.commit(a));
        assertFalse(w.commit(b));
        assertTrue(w.commit(c));
        assertFalse(w.commit(d));
    }

    @Test
    void checkedNumberThatFellOutOfTheWindowIsRefusedAtCommit() {
        ReplayWindow w = new ReplayWindow(64, false);
        assertTrue(receive(w, 100));
        long old = w.check(40); // 100 - 40 = 60 < 64: inside
        assertEquals(40, old);
        assertTrue(receive(w, 200)); // another packet of the batch slides the window past 40
        assertFalse(w.commit(old));
        assertEquals(200, w.top());
    }

    @Test
    void reorderedPacketsInsideTheWindowAreAcceptedOnce() {
        ReplayWindow w = new ReplayWindow(1024, false);
        assertTrue(receive(w, 1000));
        for (long s = 999; s >= 1; s -= 3) {
            assertTrue(receive(w, s), "first copy of " + s);
        }
        for (long s = 999; s >= 1; s--) {
            boolean seen = (999 - s) % 3 == 0;
            assertEquals(seen ? REJECT : s, w.check((int) s), "seq " + s);
        }
        assertEquals(1000, w.top());
    }

    @Test
    void packetLeftOfTheWindowIsRejected() {
        ReplayWindow w = new ReplayWindow(1024, false);
        assertTrue(receive(w, 5000));
        assertEquals(REJECT, w.check(1));
        assertEquals(REJECT, w.check(5000 - 1024));
        assertEquals(REJECT, w.check(5000 - 5000 + 1));
        assertFalse(w.commit(3000));
        assertEquals(5000 - 1023, w.check(5000 - 1023));
    }

    @ParameterizedTest(name = "size {0}")
    @ValueSource(ints = {64, 128, 192, 320, 1024, 4096, 65536})
    void exactWindowEdges(int size) {
        ReplayWindow w = new ReplayWindow(size, false);
        assertEquals(size, w.size());
        long top = 10L * size + 37;
        assertTrue(receive(w, top));
        long leftEdge = top - size + 1; // the oldest number still inside (RFC 4303 §3.4.3)
        assertEquals(REJECT, w.check((int) (leftEdge - 1)), "top - size is outside");
        assertFalse(w.commit(leftEdge - 1));
        assertEquals(leftEdge, w.check((int) leftEdge), "top - size + 1 is inside");
        assertTrue(w.commit(leftEdge));
        assertEquals(REJECT, w.check((int) leftEdge));
        // Advancing by one pushes the just-accepted left edge out.
        assertTrue(receive(w, top + 1));
        assertEquals(REJECT, w.check((int) leftEdge));
        assertEquals(leftEdge + 1, w.check((int) (leftEdge + 1)));
    }

    @ParameterizedTest(name = "size {0}")
    @ValueSource(ints = {64, 192, 1024, 4096})
    void everyNumberOfAFullWindowIsTrackedSeparately(int size) {
        ReplayWindow w = new ReplayWindow(size, false);
        long top = 5L * size + 11;
        assertTrue(receive(w, top));
        for (long s = top - size + 1; s < top; s += 2) {
            assertTrue(receive(w, s));
        }
        for (long s = top - size + 1; s < top; s++) {
            boolean seen = (s - (top - size + 1)) % 2 == 0;
            assertEquals(seen ? REJECT : s, w.check((int) s), "seq " + s);
        }
    }

    /**
     * A jump forward clears exactly the numbers that left the window: whatever was received before and is
     * still inside stays a replay, everything else inside the new window is acceptable — including slots whose
     * ring bits were used by older numbers (jumps around the ring length).
     */
    @ParameterizedTest(name = "size {0}")
    @ValueSource(ints = {64, 192, 1024, 4096})
    void jumpsForwardClearTheRightBits(int size) {
        int ringBits = Integer.highestOneBit(size / 64) * 2 * 64;
        long[] jumps = {1, 63, 64, 65, size - 1, size, size + 1, size + 64, ringBits - 1, ringBits, ringBits + 1,
                2L * ringBits + 63, 10L * ringBits + 5, 1L << 30};
        for (long jump : jumps) {
            ReplayWindow w = new ReplayWindow(size, false);
            long oldTop = 3L * ringBits + 17;
            for (long s = oldTop - size + 1; s <= oldTop; s++) { // a completely full window
                assertTrue(receive(w, s));
            }
            long newTop = oldTop + jump;
            assertTrue(receive(w, newTop), "jump " + jump);
            for (long s = newTop - size + 1; s < newTop; s++) {
                boolean seenBefore = s <= oldTop;
                assertEquals(seenBefore ? REJECT : s, w.check((int) s), "jump " + jump + ", seq " + s);
            }
            assertEquals(REJECT, w.check((int) (newTop - size)), "jump " + jump + ": left of the new window");
        }
    }

    @Test
    void disabledWindowAcceptsEverythingButZero() {
        ReplayWindow w = new ReplayWindow(0, false);
        assertEquals(0, w.size());
        assertTrue(receive(w, 1_000_000));
        assertTrue(receive(w, 1_000_000), "duplicate of the top");
        assertTrue(receive(w, 5), "far left of any window");
        assertTrue(receive(w, 5), "duplicate");
        assertTrue(w.commit(5));
        assertTrue(receive(w, 1_000_001));
        assertEquals(1_000_001, w.top());
        assertEquals(REJECT, w.check(0));
    }

    @ParameterizedTest
    @ValueSource(ints = {-64, 1, 32, 63, 65, 100, 1000, ReplayWindow.MAX_SIZE + 64, Integer.MAX_VALUE})
    void invalidSizesAreRefused(int size) {
        assertFalse(ReplayWindow.valid(size));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(size, false));
        assertTrue(e.getMessage().contains("replay window"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 64, 128, 192, 1024, ReplayWindow.MAX_SIZE})
    void validSizes(int size) {
        assertTrue(ReplayWindow.valid(size));
        assertEquals(size, new ReplayWindow(size, true).size());
    }

    @Test
    void withoutEsnTheNumberSpaceEndsAt2To32Minus1() {
        ReplayWindow w = new ReplayWindow(1024, false);
        assertTrue(receive(w, 0xfffffff0L));
        assertEquals(0xffffffffL, w.check(0xffffffff), "low bits read unsigned");
        assertTrue(w.commit(0xffffffffL));
        assertEquals(REJECT, w.check(1), "no ESN: 1 after 2^32-1 is far left, never 2^32+1");
        assertEquals(0xfffffff8L, w.check(0xfffffff8));
    }

    // ---- ESN, RFC 4303 Appendix A2.2 ---------------------------------------------------------------------------

    @Test
    void esnRolloverInfersTheNextSubspace() {
        ReplayWindow w = new ReplayWindow(1024, true);
        driveEsn(w, 0xffffff00L);
        // Case A (Tl >= W - 1): low bits below Tl - W + 1 belong to the next subspace.
        assertEquals(TWO_32 + 1, w.check(0x00000001));
        assertEquals(TWO_32, w.check(0x00000000), "with ESN the low half may be 0 after a rollover");
        assertTrue(w.commit(TWO_32 + 1));
        assertEquals(TWO_32 + 1, w.top());
        assertEquals(TWO_32 + 2, w.check(2));
        assertTrue(w.commit(TWO_32 + 2));
        assertEquals(REJECT, w.check(1), "2^32 + 1 was received");
        // Case B (Tl < W - 1): a late packet from before the rollover is still inside the window.
        assertEquals(0xfffffff0L, w.check(0xfffffff0));
        assertTrue(w.commit(0xfffffff0L));
        assertEquals(REJECT, w.check(0xfffffff0));
        assertEquals(REJECT, w.check(0xffffff00), "received before the rollover");
        assertEquals(0xffffff01L, w.check(0xffffff01), "not received, inside the window");
    }

    @Test
    void esnCaseBWindowSpanningTheSubspaceBoundary() {
        int size = 1024;
        ReplayWindow w = new ReplayWindow(size, true);
        long top = TWO_32 + 5; // Tl = 5 < W - 1
        driveEsn(w, 0xffffff00L);
        assertTrue(w.commit(w.check((int) top)));
        assertEquals(top, w.top());
        long leftEdge = top - size + 1; // 2^32 - 1018, in the previous subspace
        assertEquals(leftEdge, w.check((int) leftEdge), "Seql >= Tl - W + 1 (mod 2^32): Seqh = Th - 1");
        // One below the left edge is inferred into the current subspace (RFC: Seqh = Th), i.e. far ahead; the
        // sender's ICV covers the true high bits, so such a packet fails verification instead of being replayed.
        long beyond = leftEdge - 1;
        long inferred = w.check((int) beyond);
        assertEquals(TWO_32 + (beyond & 0xffffffffL), inferred);
        assertNotEquals(beyond, inferred);
        assertEquals(TWO_32 + 6, w.check(6), "ahead in the current subspace");
        assertEquals(TWO_32 + 3, w.check(3), "behind the top, current subspace");
        assertEquals(REJECT, w.check(5), "the top itself");
    }

    @Test
    void esnPacketFarBehindInThePreviousSubspaceNeverGetsItsTrueNumber() {
        ReplayWindow w = new ReplayWindow(1024, true);
        driveEsn(w, 0xfffffff0L);
        long top = TWO_32 + 100_000; // Case A: the window lies wholly in subspace 1
        assertTrue(w.commit(w.check((int) top)));
        long old = 0xfffffff0L; // received long ago, 100,016 behind
        long inferred = w.check((int) old);
        assertNotEquals(old, inferred, "a replay of an old packet must not be handed its real number");
        assertTrue(inferred == REJECT || inferred > top, "either refused or placed where its ICV cannot verify");
        assertEquals(top, w.top(), "check alone never moves the window");
    }

    @Test
    void esnNumbersBelowTheFirstSubspaceAreRejected() {
        // A fresh window has Th = 0 and Tl = 0 < W - 1 (case B): low bits in the top W - 1 of the space would
        // be Th - 1 = -1, which does not exist.
        ReplayWindow w = new ReplayWindow(1024, true);
        assertEquals(REJECT, w.check(0xffffffff));
        assertEquals(REJECT, w.check((int) (TWO_32 - 1023)));
        assertEquals(TWO_32 - 1024, w.check((int) (TWO_32 - 1024)), "below Tl - W + 1 (mod 2^32): Seqh = Th = 0");
        assertEquals(1, w.check(1));
        assertEquals(REJECT, w.check(0));
    }

    @Test
    void disabledEsnWindowStillInfersHighBits() {
        ReplayWindow w = new ReplayWindow(0, true);
        driveEsn(w, 0xffffffffL);
        assertEquals(TWO_32 + 3, w.check(3));
        assertTrue(w.commit(TWO_32 + 3));
        assertEquals(0xffffffffL, w.check(0xffffffff), "duplicates pass with the check disabled");
        assertTrue(w.commit(0xffffffffL));
    }

    // ---- randomized comparison with a set-based model ----------------------------------------------------------

    /**
     * The obvious implementation of RFC 4303 §3.4.3: a set of received 64-bit numbers and the highest one.
     * With ESN the receiver can only recover the true number of a packet inside the window or ahead of it by
     * at most 2^32 - W (Appendix A2.2); anything else gets other high bits and fails its ICV.
     */
    private static final class Model {
        final int size;
        final int inferWindow;
        final boolean esn;
        final Set<Long> seen = new HashSet<>();
        long top;

        Model(int size, boolean esn) {
            this.size = size;
            this.inferWindow = size == 0 ? ReplayWindow.MIN_SIZE : size;
            this.esn = esn;
        }

        boolean inferable(long s) {
            return !esn || (s >= top - inferWindow + 1 && s - top <= TWO_32 - inferWindow);
        }

        boolean acceptable(long s) {
            if (s <= 0 || !inferable(s)) {
                return false;
            }
            return s > top || size == 0 || (top - s < size && !seen.contains(s));
        }

        boolean commit(long s) {
            if (s > top) {
                top = s;
            } else if (size == 0) {
                return true;
            } else if (top - s >= size || seen.contains(s)) {
                return false;
            }
            if (size != 0) {
                seen.add(s);
            }
            return true;
        }

        void prune() {
            seen.removeIf(v -> top - v >= size);
        }
    }

    @ParameterizedTest(name = "size {0}, esn {1}")
    @CsvSource({"64,false", "192,false", "1024,false", "4096,false", "0,false",
                "64,true", "192,true", "1024,true", "4096,true", "0,true"})
    void agreesWithASetModelOnRandomTraffic(int size, boolean esn) {
        SplittableRandom rnd = new SplittableRandom(0x4303L * 31 + size * 2 + (esn ? 1 : 0));
        ReplayWindow w = new ReplayWindow(size, esn);
        Model m = new Model(size, esn);
        int span = Math.max(size, 64);
        long start = esn ? TWO_32 - 150_000 : 1;
        long sent = start;
        long[] recent = new long[256];
        int recentN = 0;
        long[] batch = new long[8];
        long[] checked = new long[8];
        int packets = 0;
        int crossings = 0;
        int accepted = 0;
        while (packets < 300_000) {
            int n = 1 + rnd.nextInt(batch.length);
            for (int i = 0; i < n; i++) {
                int r = rnd.nextInt(1000);
                long s;
                if (r < 600) {
                    sent += 1 + (rnd.nextInt(10) == 0 ? rnd.nextInt(4) : 0);
                    s = sent;
                } else if (r < 750) {
                    s = sent - rnd.nextInt(2 * span + 64); // reordered or late
                } else if (r < 850) {
                    s = recentN == 0 ? sent : recent[rnd.nextInt(Math.min(recentN, recent.length))]; // duplicate
                } else if (r < 900) {
                    long[] edges = {m.top - span + 1, m.top - span, m.top, m.top + 1};
                    s = edges[rnd.nextInt(edges.length)];
                } else if (r < 950) {
                    sent += 1 + rnd.nextInt(8 * span);
                    s = sent;
                } else if (esn && r < 953) {
                    // Next to a subspace boundary, so that the following traffic crosses it (case B windows).
                    // (No farther than the receiver can follow: a sender 2^32 - W ahead has lost the SA.)
                    long next = ((sent >>> 32) + 1) << 32;
                    sent = Math.max(sent, Math.min(next - rnd.nextInt(2 * span), m.top + TWO_32 - m.inferWindow));
                    s = sent;
                    crossings++;
                } else if (esn && r < 955) {
                    s = sent - rnd.nextLong(TWO_32); // far behind: must never be handed its true number
                } else if (esn && r < 956) {
                    s = m.top + TWO_32 - m.inferWindow + 1 + rnd.nextInt(2 * span); // too far ahead to infer
                } else if (esn && r < 957 && rnd.nextInt(10) == 0) {
                    s = m.top + TWO_32 - m.inferWindow; // the farthest jump that can still be inferred
                    sent = Math.max(sent, s);
                } else {
                    s = sent - rnd.nextInt(span / 2 + 1);
                }
                if (s < 1 || (!esn && s > 0xffffffffL)) {
                    s = Math.max(1, Math.min(s, 0xffffffffL));
                }
                batch[i] = s;
                recent[recentN++ % recent.length] = s;
            }
            // Phase 1: read-only checks against the window as it was before the batch.
            for (int i = 0; i < n; i++) {
                long s = batch[i];
                long c = w.check((int) s);
                if (m.inferable(s) && c != REJECT && c != s) {
                    fail(String.format("packet %d: seq 0x%x inferred as 0x%x (top 0x%x)", packets + i, s, c, m.top));
                }
                boolean ok = c == s; // otherwise REJECT, or the wrong high bits and the ICV fails
                if (ok != m.acceptable(s)) {
                    fail(String.format("packet %d: check(0x%x) = 0x%x, model says %s (top 0x%x)", packets + i, s, c,
                            m.acceptable(s) ? "accept" : "reject", m.top));
                }
                checked[i] = c;
            }
            // Phase 2: commit what passed its ICV, in order.
            for (int i = 0; i < n; i++) {
                if (checked[i] == batch[i]) {
                    boolean expect = m.commit(batch[i]);
                    if (w.commit(batch[i]) != expect) {
                        fail(String.format("packet %d: commit(0x%x) != %s (top 0x%x)", packets + i, batch[i], expect,
                                m.top));
                    }
                    accepted += expect ? 1 : 0;
                }
                if (w.top() != m.top) {
                    fail(String.format("packet %d: top 0x%x, model 0x%x", packets + i, w.top(), m.top));
                }
            }
            packets += n;
            if (packets % 4096 < n) {
                m.prune();
            }
        }
        // The generator must really have exercised what the test is about.
        assertTrue(accepted > packets / 3, "accepted " + accepted);
        if (size != 0) {
            assertTrue(accepted < packets - packets / 10, "accepted " + accepted);
        }
        if (esn) {
            assertTrue(m.top > 20 * TWO_32, "top 0x" + Long.toHexString(m.top));
            assertTrue(crossings > 50, "crossings " + crossings);
        }
    }
}
