package net.edgegw.appliance.ike.sa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.edgegw.appliance.ike.message.ExchangeType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rekeys driven by the data plane's lifetime events (soft: make-before-break rekey; hard: delete), as
 * {@link DataplaneInstaller} reports them on {@link ChildSa}, with the in-process gateways of {@link IkeExchangeTest}.
 */
class LifetimeRekeyTest {
    final IkeExchangeTest t = new IkeExchangeTest();

    @BeforeEach
    void establish() {
        t.defaults();
        t.establish();
    }

    @Test
    void softLifetimeRekeysMakeBeforeBreak() {
        IkeSa a = t.only(t.gwA);
        ChildSa old = a.children.get(0);
        old.softExpired = true; // the data plane's SOFT_EXPIRED for it
        t.gwA.tick();
        // CREATE_CHILD_SA { N(REKEY_SA), SA, Ni, [KEi], TSi, TSr } -->
        assertEquals(ExchangeType.CREATE_CHILD_SA, t.fromA.peek().exchange());
        t.aToB();
        t.bToA();
        assertEquals(2, t.instA.installed.size(), "new pair installed before the old one goes");
        t.pump(); // INFORMATIONAL { D(old) }
        assertEquals(1, a.children.size());
        assertNotEquals(old.spiIn, a.children.get(0).spiIn);
        assertEquals(1, t.instB.installed.size());
        t.gwA.tick();
        assertTrue(t.fromA.isEmpty(), "one rekey per event");
    }

    @Test
    void hardLifetimeDeletesTheChildSa() {
        IkeSa a = t.only(t.gwA);
        a.children.get(0).hardExpired = true;
        t.gwA.tick();
        t.pump(); // INFORMATIONAL { D } -->
        assertTrue(a.children.isEmpty());
        assertEquals(0, t.instA.installed.size());
        assertEquals(0, t.instB.installed.size(), "the peer removed its half");
        assertEquals(IkeSa.State.ESTABLISHED, a.state, "the IKE SA stays");
    }
}
