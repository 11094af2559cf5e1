package net.edgegw.appliance.ike.sa;

import static net.edgegw.appliance.ike.sa.IkeExchangeTest.addr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.edgegw.appliance.ike.sa.IkeExchangeTest.FakeInstaller;
import net.edgegw.appliance.ike.sa.IkeExchangeTest.Sent;
import org.junit.jupiter.api.Test;

/**
 * A (10.99.0.2) behind a NAT whose public side is 192.0.2.1 with other ports, B (192.0.2.2) in the open: NAT
 * detection finds the NAT in front of A, both move to 4500, A sends NAT-keepalives, and B follows A's mapping
 * when it changes: IKE answers there at once, ESP after B rekeys its CHILD SA (RFC 7296 §2.23, RFC 3948 §4).
 */
class IkeNatTest {
    static final InetSocketAddress A_PRIVATE = addr("10.99.0.2", 500);
    static final InetSocketAddress B = IkeExchangeTest.B;

    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final Deque<Sent> fromA = new ArrayDeque<>();
    final Deque<Sent> fromB = new ArrayDeque<>();
    final List<InetSocketAddress> keepalivesFromA = new ArrayList<>();
    final List<String> log = new ArrayList<>();
    /** The NAT's public port for A's 500 and 4500 (changed to simulate a new mapping). */
    int natPort500 = 20500;
    int natPort4500 = 24500;

    final FakeInstaller instB = new FakeInstaller();

    IkeSaTable gw(IkeConfig c, Deque<Sent> out, List<InetSocketAddress> keepalives, String name, long seed,
            FakeInstaller installer) {
        return new IkeSaTable(List.of(c), new IkeContext(new IkeSender() {
            @Override
            public void send(byte[] m, InetSocketAddress to, boolean natT) {
                out.add(new Sent(m, to, natT));
            }

            @Override
            public void keepalive(InetSocketAddress to) {
                keepalives.add(to);
            }
        }, installer, IkeExchangeTest.seeded(seed), clock::get, s -> log.add(name + " " + s)));
    }

    @Test
    void natInFrontOfInitiatorMovesTo4500SendsKeepalivesAndPeerFollowsNewMapping() {
        IkeConfig cfgA = IkeExchangeTest.config("a", A_PRIVATE, B, "gw-a.example.test", "gw-b.example.test",
                IkeExchangeTest.PSK, "aes128gcm16-prfsha256-x25519", "aes128gcm16", "10.244.1.0/24", "10.96.1.0/24");
        IkeConfig cfgB = IkeExchangeTest.config("b", B, addr("192.0.2.1", 500), "gw-b.example.test",
                "gw-a.example.test", IkeExchangeTest.PSK, "aes128gcm16-prfsha256-x25519", "aes128gcm16",
                "10.96.1.0/24", "10.244.1.0/24");
        IkeSaTable gwA = gw(cfgA, fromA, keepalivesFromA, "A", 1, new FakeInstaller());
        List<InetSocketAddress> keepalivesFromB = new ArrayList<>();
        IkeSaTable gwB = gw(cfgB, fromB, keepalivesFromB, "B", 2, instB);
        gwA.initiate(cfgA);
        // IKE_SA_INIT { SAi1, KEi, Ni, N(NATD_S), N(NATD_D) } -->  (source rewritten to 192.0.2.1:20500)
        deliverFromA(gwB);
        //   <-- { SAr1, KEr, Nr, N(NATD_S), N(NATD_D) }: NATD_D is over 192.0.2.1:20500, not A's address
        deliverFromB(gwA);
        IkeSa a = gwA.list().get(0);
        assertTrue(a.natT && a.behindNat, "A found the NAT in front of it and moved to 4500");
        assertEquals(4500, a.peer.getPort());
        // IKE_AUTH from 4500 (mapped to 24500) -->  <-- IKE_AUTH
        deliverFromA(gwB);
        deliverFromB(gwA);
        IkeSa b = gwB.list().get(0);
        assertEquals(IkeSa.State.ESTABLISHED, a.state, String.join("\n", log));
        assertEquals(IkeSa.State.ESTABLISHED, b.state);
        assertTrue(b.natDetected && !b.behindNat, "B sees A's NAT, none in front of itself");
        assertEquals(addr("192.0.2.1", 24500), b.peer, "B answers A's mapped NAT-T port");

        // RFC 3948 §4: keepalives from the side behind the NAT only, one per interval
        clock.addAndGet(21_000_000_000L);
        gwA.tick();
        gwB.tick();
        assertEquals(List.of(addr("192.0.2.2", 4500)), keepalivesFromA);
        clock.addAndGet(5_000_000_000L);
        gwA.tick();
        assertEquals(1, keepalivesFromA.size(), "not before the interval is up");
        clock.addAndGet(16_000_000_000L);
        gwA.tick();
        assertEquals(2, keepalivesFromA.size());
        assertTrue(keepalivesFromB.isEmpty(), "B is in the open");

        // the NAT's mapping changes; A's next request (its liveness check) comes from the new port: B follows it
        natPort4500 = 31000;
        fromA.clear();
        fromB.clear();
        clock.addAndGet(31_000_000_000L);
        gwA.tick();
        assertFalse(fromA.isEmpty(), "A checks liveness after 30 s of silence");
        deliverFromA(gwB);
        assertEquals(addr("192.0.2.1", 31000), b.peer);
        assertEquals(2, fromB.size(), "B's answer, then B's CHILD SA rekey toward the new mapping");
        assertTrue(fromB.stream().allMatch(s -> s.to().equals(addr("192.0.2.1", 31000))), "B sends to the new mapping");
        int installs = instB.installs;
        for (int i = 0; i < 4 && !(fromA.isEmpty() && fromB.isEmpty()); i++) {
            deliverFromB(gwA); // CREATE_CHILD_SA { N(REKEY_SA), SA, Ni, TSi, TSr } -->, then D(old ESP SA) -->
            deliverFromA(gwB);
        }
        assertEquals(installs + 1, instB.installs, "a CHILD SA installed toward the new mapping");
        assertEquals(1, b.children.size(), "the old CHILD SA deleted");
        assertEquals(IkeSa.State.ESTABLISHED, b.state);
    }

    /** Through the NAT: A's source becomes 192.0.2.1 with the mapped port. */
    void deliverFromA(IkeSaTable gwB) {
        for (Sent s; (s = fromA.poll()) != null; ) {
            gwB.receive(s.msg(), addr("192.0.2.1", s.natT() ? natPort4500 : natPort500), s.natT() ? 4500 : 500);
        }
    }

    void deliverFromB(IkeSaTable gwA) {
        for (Sent s; (s = fromB.poll()) != null; ) {
            gwA.receive(s.msg(), s.natT() ? addr("192.0.2.2", 4500) : B, s.natT() ? 4500 : 500);
        }
    }
}
