package net.edgegw.appliance.ike.sa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.edgegw.appliance.ike.message.ExchangeType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The action after a failed liveness check (RFC 7296 §2.4): gw-b goes silent, gw-a's INFORMATIONAL goes
 * unanswered through every retransmission; CLEAR forgets the tunnel, RESTART sets it up again at once.
 */
class DpdActionTest {
    final IkeExchangeTest t = new IkeExchangeTest();

    @BeforeEach
    void establish() {
        t.defaults();
        t.establish();
    }

    /** gw-b hears nothing: A's liveness check and its retransmissions are lost until A gives up. */
    IkeSa silence(IkeSa a) {
        for (int i = 0; i < 40 && a.state != IkeSa.State.DEAD; i++) {
            t.clock.addAndGet(2_000_000_000L);
            t.gwA.tick();
            while (a.state != IkeSa.State.DEAD && !t.fromA.isEmpty()) {
                // INFORMATIONAL { } --> (lost)
                assertEquals(ExchangeType.INFORMATIONAL, t.fromA.poll().exchange());
            }
        }
        assertEquals(IkeSa.State.DEAD, a.state, "peer declared dead");
        assertTrue(a.peerDead);
        return a;
    }

    @Test
    void clearForgetsTheTunnel() {
        silence(t.only(t.gwA));
        assertTrue(t.gwA.list().isEmpty(), "no IKE SA");
        assertEquals(0, t.instA.installed.size(), "CHILD SA removed from the data plane");
        assertTrue(t.fromA.isEmpty(), "nothing initiated");
    }

    @Test
    void restartSetsTheTunnelUpAgain() {
        t.gwA.dpdAction(DpdAction.RESTART);
        IkeSa old = silence(t.only(t.gwA));
        IkeSa fresh = t.only(t.gwA);
        assertNotEquals(old.spiI, fresh.spiI);
        assertEquals(0, t.instA.installed.size(), "the dead CHILD SA is gone before the new one");
        // gw-b is back: IKE_SA_INIT, IKE_AUTH (with INITIAL_CONTACT, which ends B's stale IKE SA)
        t.pump();
        assertEquals(IkeSa.State.ESTABLISHED, fresh.state);
        IkeSa b = t.only(t.gwB);
        assertEquals(fresh.spiR, b.spiR);
        assertEquals(1, t.instA.installed.size());
        assertEquals(1, t.instB.installed.size(), "B's stale CHILD SA replaced");
    }
}
