package net.edgegw.appliance.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.edgegw.appliance.config.Config;
import net.edgegw.appliance.config.Fixtures;
import net.edgegw.appliance.daemon.Reconciler;
import net.edgegw.appliance.daemon.SaView;
import net.edgegw.appliance.daemon.Tunnel;
import net.edgegw.appliance.daemon.TunnelDriver;
import net.edgegw.appliance.store.Revision;
import net.edgegw.appliance.store.Snapshot;
import net.edgegw.mgmt.port.ChildSaStatus;
import net.edgegw.mgmt.port.TunnelStatus;
import net.edgegw.mgmt.port.TunnelStatus.StateWord;
import org.junit.jupiter.api.Test;

/**
 * The port's tunnel status from the reconciler: the driver's state word and detail reach {@link TunnelStatus} as
 * they are (joined only in its {@code state} string, for scripts), a not-up tunnel's detail is also its
 * {@code lastError}, and a connection the driver refused is FAILED with the reason.
 */
class ReconcilerStatusTest {
    /** A driver that reports what the test sets and refuses to start what it is told to. */
    private static final class SetDriver implements TunnelDriver {
        StateWord word = StateWord.CONNECTING;
        String detail = "";
        SaView sas = SaView.NONE;
        String refuse;

        @Override
        public String start(Tunnel t) {
            return refuse;
        }

        @Override
        public void stop(Tunnel t) {
        }

        @Override
        public StateWord state(String connection) {
            return word;
        }

        @Override
        public String detail(String connection) {
            return detail;
        }

        @Override
        public SaView sas(String connection) {
            return sas;
        }

        @Override
        public void close() {
        }
    }

    private final SetDriver driver = new SetDriver();
    private final Reconciler reconciler = new Reconciler(driver);
    private final ReconcilerStatus status = new ReconcilerStatus(reconciler);

    private static Snapshot snapshot(Config c) {
        return new Snapshot(new Revision(1, Instant.EPOCH, "t", "test", "", 0, ""), c);
    }

    private TunnelStatus only() {
        List<TunnelStatus> all = status.tunnels();
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    @Test
    void theDriversWordAndDetailArePassedAsTheyAre() {
        reconciler.apply(snapshot(Fixtures.example()));

        driver.word = StateWord.UP;
        driver.detail = "spi in 0xc1a2b3c4 out 0xd5e6f708";
        driver.sas = new SaView(null, List.of(new ChildSaStatus("c1a2b3c4", "d5e6f708", "aes128gcm16",
                List.of("10.244.0.0/16"), List.of("10.96.0.0/16"), 10, 20, 1, 2, 3000)), Map.of());
        TunnelStatus up = only();
        assertEquals(StateWord.UP, up.stateWord());
        assertEquals("spi in 0xc1a2b3c4 out 0xd5e6f708", up.detail());
        assertEquals("UP: spi in 0xc1a2b3c4 out 0xd5e6f708", up.state(), "the scripts' string");
        assertEquals("", up.lastError(), "the SPIs are no error");
        assertTrue(up.up());
        assertEquals(1, up.children().size());

        // The last IKE error holds a colon of its own: the detail stays whole.
        driver.word = StateWord.WAITING;
        driver.detail = "IKE_AUTH failed: AUTHENTICATION_FAILED";
        driver.sas = SaView.NONE;
        TunnelStatus waiting = only();
        assertEquals(StateWord.WAITING, waiting.stateWord());
        assertEquals("IKE_AUTH failed: AUTHENTICATION_FAILED", waiting.detail());
        assertEquals("IKE_AUTH failed: AUTHENTICATION_FAILED", waiting.lastError());
        assertEquals("WAITING: IKE_AUTH failed: AUTHENTICATION_FAILED", waiting.state());
        assertFalse(waiting.up());

        driver.word = StateWord.DOWN;
        driver.detail = "";
        TunnelStatus down = only();
        assertEquals("DOWN", down.state(), "no detail: the word alone");
        assertEquals("", down.lastError());
    }

    @Test
    void aRefusedConnectionIsFailedWithTheReason() {
        driver.refuse = "no route to 203.0.113.1";
        reconciler.apply(snapshot(Fixtures.example()));
        TunnelStatus t = only();
        assertEquals(StateWord.FAILED, t.stateWord());
        assertEquals("no route to 203.0.113.1", t.detail());
        assertEquals("no route to 203.0.113.1", t.lastError());
        assertEquals("FAILED: no route to 203.0.113.1", t.state());
        assertFalse(t.up());
    }
}
