package net.edgegw.appliance.ike.sa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.edgegw.appliance.ike.message.ExchangeType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rekey collisions (RFC 7296 §2.8.1, §2.8.2): both ends rekey the same CHILD SA, or the IKE SA, at once. Each
 * answers the other's request, so two new SAs exist; the exchange with the lowest of the four nonces made the
 * redundant one, its initiator deletes it, and the winner deletes the old SA. Uses {@link IkeExchangeTest}'s
 * two in-process gateways (fake senders and installers, seeded random, manual clock).
 */
class RekeyCollisionTest {
    final IkeExchangeTest t = new IkeExchangeTest();

    @BeforeEach
    void establish() {
        t.defaults();
        t.establish();
    }

    /** Both requests cross on the wire: each side gets the other's request before its own answer. */
    void crossRequests() {
        assertEquals(ExchangeType.CREATE_CHILD_SA, t.fromA.peek().exchange());
        assertEquals(ExchangeType.CREATE_CHILD_SA, t.fromB.peek().exchange());
        // CREATE_CHILD_SA { [N(REKEY_SA)], SA, Ni, KEi, ... } -->      <-- CREATE_CHILD_SA { ... } (both at once)
        t.aToB(); // B answers A's request while its own is outstanding
        t.bToA(); // A answers B's request while its own is outstanding
        assertTrue(t.bToA().response(), "B's answer to A");
        assertTrue(t.aToB().response(), "A's answer to B");
    }

    long lost() {
        return t.log.stream().filter(s -> s.contains("collision lost")).count();
    }

    @Test
    void childSaRekeyCollisionLeavesOnePairAndDeletesTheRedundantOne() {
        IkeSa a = t.only(t.gwA);
        IkeSa b = t.only(t.gwB);
        ChildSa oldA = a.children.get(0);
        t.gwA.rekey(a, oldA);
        t.gwB.rekey(b, b.children.get(0));
        crossRequests();
        t.pump();
        assertEquals(1, lost(), "exactly one side lost: " + t.log);
        assertEquals(1, a.children.size(), "A's CHILD SAs " + a.children);
        assertEquals(1, b.children.size(), "B's CHILD SAs " + b.children);
        ChildSa ca = a.children.get(0);
        ChildSa cb = b.children.get(0);
        assertNotEquals(oldA.spiIn, ca.spiIn, "the old SA is gone");
        assertEquals(ca.spiIn, cb.spiOut);
        assertEquals(ca.spiOut, cb.spiIn);
        assertEquals(1, t.instA.installed.size(), "data plane of A");
        assertEquals(1, t.instB.installed.size(), "data plane of B");
        assertEquals(3, t.instA.installs, "the IKE_AUTH pair and two rekeys");
        // counters: both successors were installed on each side, but the old CHILD SA was rekeyed once
        for (IkeCounters c : java.util.List.of(t.countersA, t.countersB)) {
            assertEquals(3, c.get(IkeCounter.CHILD_SAS_INSTALLED));
            assertEquals(1, c.get(IkeCounter.CHILD_SA_REKEYS));
        }
        // the survivor works: another rekey replaces it cleanly
        t.gwA.rekey(a, ca);
        t.pump();
        assertEquals(1, a.children.size());
        assertEquals(a.children.get(0).spiIn, b.children.get(0).spiOut);
    }

    @Test
    void ikeSaRekeyCollisionLeavesOneIkeSaWithTheChildSas() {
        IkeSa a = t.only(t.gwA);
        IkeSa b = t.only(t.gwB);
        t.gwA.rekey(a);
        t.gwB.rekey(b);
        crossRequests();
        t.pump();
        assertEquals(1, lost(), "exactly one side lost: " + t.log);
        IkeSa na = t.only(t.gwA);
        IkeSa nb = t.only(t.gwB);
        assertNotEquals(a.spiI, na.spiI, "A's old IKE SA is gone");
        assertEquals(na.spiI, nb.spiI);
        assertEquals(na.spiR, nb.spiR);
        assertEquals(IkeSa.State.ESTABLISHED, na.state);
        assertEquals(1, na.children.size(), "the CHILD SA moved to the surviving IKE SA on A");
        assertEquals(1, nb.children.size(), "and on B");
        assertEquals(0, t.instA.removes, "no CHILD SA left the data plane");
        assertEquals(0, t.instB.removes);
        // counters: two rekey exchanges on each side, one IKE SA replaced
        assertEquals(1, t.countersA.get(IkeCounter.IKE_REKEYS));
        assertEquals(1, t.countersB.get(IkeCounter.IKE_REKEYS));
        // the surviving IKE SA carries exchanges: a CHILD SA rekey over it
        t.gwB.rekey(nb, nb.children.get(0));
        t.pump();
        assertEquals(1, na.children.size());
        assertEquals(na.children.get(0).spiIn, nb.children.get(0).spiOut);
    }
}
