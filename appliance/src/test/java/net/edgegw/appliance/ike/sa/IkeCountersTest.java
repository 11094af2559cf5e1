package net.edgegw.appliance.ike.sa;

import static net.edgegw.appliance.ike.sa.IkeExchangeTest.A;
import static net.edgegw.appliance.ike.sa.IkeExchangeTest.B;
import static net.edgegw.appliance.ike.sa.IkeExchangeTest.PSK;
import static net.edgegw.appliance.ike.sa.IkeExchangeTest.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.edgegw.appliance.daemon.IkeTunnelDriver;
import net.edgegw.appliance.ike.codec.IkeCodec;
import net.edgegw.appliance.ike.message.ExchangeType;
import net.edgegw.appliance.ike.message.IkeHeader;
import net.edgegw.appliance.ike.message.IkeMessage;
import net.edgegw.appliance.ike.message.NoncePayload;
import org.junit.jupiter.api.Test;

/**
 * The engine's own counters ({@link IkeCounter}): each moves exactly when its event happens, on the side where it
 * happens, and no other counter moves. Uses {@link IkeExchangeTest}'s two in-process gateways (fake senders and
 * installers, seeded random, manual clock); every check compares all counters of both sides.
 */
class IkeCountersTest {
    final IkeExchangeTest t = new IkeExchangeTest();

    static IkeConfig a() {
        return config("a", A, B, "gw-a.example.test", "gw-b.example.test", PSK, "aes128gcm16-prfsha256-x25519",
                "aes128gcm16", "10.244.1.0/24", "10.96.1.0/24");
    }

    /** gw-b's configuration with one of its settings changed. */
    static IkeConfig b(String localId, byte[] psk, String ike, String esp, String remoteTs) {
        return config("b", B, A, localId, "gw-a.example.test", psk, ike, esp, "10.96.1.0/24", remoteTs);
    }

    static IkeConfig b() {
        return b("gw-b.example.test", PSK, "aes128gcm16-prfsha256-x25519", "aes128gcm16", "10.244.1.0/24");
    }

    /** Every counter of {@code c} is 0 but the ones given as counter, value pairs. */
    static void assertCounts(String side, IkeCounters c, Object... nonZero) {
        Map<IkeCounter, Long> want = new EnumMap<>(IkeCounter.class);
        for (int i = 0; i < nonZero.length; i += 2) {
            want.put((IkeCounter) nonZero[i], ((Number) nonZero[i + 1]).longValue());
        }
        Map<IkeCounter, Long> got = new EnumMap<>(IkeCounter.class);
        Map<IkeCounter, Long> expected = new EnumMap<>(IkeCounter.class);
        for (IkeCounter k : IkeCounter.values()) {
            got.put(k, c.get(k));
            expected.put(k, want.getOrDefault(k, 0L));
        }
        assertEquals(expected, got, side);
    }

    /** The same counts on both sides of {@code pair}. */
    static void assertBoth(IkeExchangeTest pair, Object... nonZero) {
        assertCounts("A", pair.countersA, nonZero);
        assertCounts("B", pair.countersB, nonZero);
    }

    @Test
    void establishingCountsOneIkeSaAndOneChildSaOnEachSide() {
        t.start(a(), b());
        t.establish();
        assertBoth(t, IkeCounter.IKE_SAS_ESTABLISHED, 1,
                    IkeCounter.CHILD_SAS_INSTALLED, 1);
    }

    @Test
    void wrongPskIsAnAuthFailureOnBothSides() {
        t.start(a(), b("gw-b.example.test", "other".getBytes(StandardCharsets.US_ASCII),
                "aes128gcm16-prfsha256-x25519", "aes128gcm16", "10.244.1.0/24"));
        t.establish();
        // B refused A's AUTH and answered N(AUTHENTICATION_FAILED); A was refused
        assertCounts("B", t.countersB, IkeCounter.IKE_AUTH_FAILURES, 1);
        assertCounts("A", t.countersA, IkeCounter.IKE_AUTH_FAILURES, 1);
    }

    @Test
    void initiatorRefusingTheResponderIdentityCountsOnTheInitiatorOnly() {
        t.start(a(), b("someone-else", PSK, "aes128gcm16-prfsha256-x25519", "aes128gcm16", "10.244.1.0/24"));
        t.establish();
        // B authenticated A and installed its CHILD SA; A refuses IDr=someone-else
        assertCounts("A", t.countersA, IkeCounter.IKE_AUTH_FAILURES, 1);
        assertCounts("B", t.countersB, IkeCounter.IKE_SAS_ESTABLISHED, 1, IkeCounter.CHILD_SAS_INSTALLED, 1);
    }

    @Test
    void unacceptableSelectorsOrEspProposalsFailTheIkeAuthOnBothSides() {
        // TS_UNACCEPTABLE: the IKE SAs stand, no CHILD SA
        t.start(a(), b("gw-b.example.test", PSK, "aes128gcm16-prfsha256-x25519", "aes128gcm16", "172.16.0.0/12"));
        t.establish();
        assertBoth(t, IkeCounter.IKE_SAS_ESTABLISHED, 1,
                    IkeCounter.IKE_AUTH_FAILURES, 1);
        // NO_PROPOSAL_CHOSEN for the CHILD SA
        IkeExchangeTest u = new IkeExchangeTest();
        u.start(a(), b("gw-b.example.test", PSK, "aes128gcm16-prfsha256-x25519", "aes256-sha256", "10.244.1.0/24"));
        u.establish();
        assertBoth(u, IkeCounter.IKE_SAS_ESTABLISHED, 1,
                    IkeCounter.IKE_AUTH_FAILURES, 1);
    }

    @Test
    void noCommonIkeProposalIsAnIkeSaInitFailureNotAnAuthFailure() {
        t.start(a(), b("gw-b.example.test", PSK, "aes256-sha512-modp4096", "aes128gcm16", "10.244.1.0/24"));
        t.gwA.initiate(t.cfgA);
        t.aToB(); // IKE_SA_INIT { SAi1, KEi, Ni } -->
        t.bToA(); //                      <-- { N(NO_PROPOSAL_CHOSEN) }
        assertCounts("A", t.countersA, IkeCounter.IKE_SA_INIT_FAILURES, 1);
        assertCounts("B", t.countersB, IkeCounter.IKE_SA_INIT_FAILURES, 1);
    }

    @Test
    void ikeRekeyCountsOnBothSidesWhicheverStartsIt() {
        t.start(a(), b());
        t.establish();
        t.gwA.rekey(t.only(t.gwA));
        t.pump(); // CREATE_CHILD_SA { SA(IKE), Ni, KEi } -->, then INFORMATIONAL { D(IKE) } --> on the old SA
        assertBoth(t, IkeCounter.IKE_SAS_ESTABLISHED, 1,
                    IkeCounter.CHILD_SAS_INSTALLED, 1, IkeCounter.IKE_REKEYS, 1);
        t.gwB.rekey(t.only(t.gwB)); // now the responder rekeys the new IKE SA
        t.pump();
        assertBoth(t, IkeCounter.IKE_SAS_ESTABLISHED, 1,
                    IkeCounter.CHILD_SAS_INSTALLED, 1, IkeCounter.IKE_REKEYS, 2);
    }

    @Test
    void childRekeyCountsAnInstallAndARekeyOnBothSides() {
        t.start(a(), b());
        t.establish();
        IkeSa a = t.only(t.gwA);
        t.gwA.rekey(a, a.children.get(0));
        t.pump(); // CREATE_CHILD_SA { N(REKEY_SA), SA, Ni, TSi, TSr } -->, INFORMATIONAL { D(ESP) } -->
        assertBoth(t, IkeCounter.IKE_SAS_ESTABLISHED, 1,
                    IkeCounter.CHILD_SAS_INSTALLED, 2, IkeCounter.CHILD_SA_REKEYS, 1);
        IkeSa b = t.only(t.gwB);
        t.gwB.rekey(b, b.children.get(0));
        t.pump();
        assertBoth(t, IkeCounter.IKE_SAS_ESTABLISHED, 1,
                    IkeCounter.CHILD_SAS_INSTALLED, 3, IkeCounter.CHILD_SA_REKEYS, 2);
    }

    @Test
    void retransmissionsAndTheTimeoutAreCounted() {
        t.start(a(), b());
        t.gwA.initiate(t.cfgA);
        t.fromA.clear(); // gw-b never hears it
        for (int ms = 0; ms < 20_000; ms += 10) {
            t.clock.addAndGet(10_000_000L);
            t.gwA.tick();
            t.fromA.clear();
        }
        assertTrue(t.gwA.list().isEmpty(), "given up");
        // retransmit_tries 3: three retransmissions, then the exchange is given up
        assertCounts("A", t.countersA, IkeCounter.IKE_RETRANSMITS, 3, IkeCounter.IKE_EXCHANGE_TIMEOUTS, 1);
        assertCounts("B", t.countersB);
    }

    @Test
    void droppedMessagesAreCountedByReason() throws Exception {
        t.start(a(), b());
        t.establish();
        IkeSa a = t.only(t.gwA);
        // INFORMATIONAL { No(3 bytes) } -->   authentic, but a nonce shorter than §3.9 allows
        byte[] bad = IkeCodec.encode(new IkeMessage(a.spiI, a.spiR, ExchangeType.INFORMATIONAL,
                IkeHeader.FLAG_INITIATOR, 2, false, List.of(new NoncePayload(new byte[3]))), a.out);
        byte[] forged = bad.clone();
        forged[forged.length - 1] ^= 1;
        t.gwB.receive(forged, A, 500); // fails its ICV
        t.gwB.receive(bad, A, 500); //    answered with N(INVALID_SYNTAX)
        t.gwB.receive(bad, A, 500); //    the same again: a retransmission, answered from the cache, not a drop
        // a request outside the window, and a response nobody asked for
        t.gwB.receive(IkeCodec.encode(new IkeMessage(a.spiI, a.spiR, ExchangeType.INFORMATIONAL,
                IkeHeader.FLAG_INITIATOR, 7, false, List.of()), a.out), A, 500);
        t.gwB.receive(IkeCodec.encode(new IkeMessage(a.spiI, a.spiR, ExchangeType.INFORMATIONAL,
                IkeHeader.FLAG_INITIATOR | IkeHeader.FLAG_RESPONSE, 0, false, List.of()), a.out), A, 500);
        t.gwB.receive(new byte[] {1, 2, 3}, A, 500); // no IKE header
        assertEquals(2, t.fromB.size(), "the notify and its retransmission, nothing else");
        assertCounts("B", t.countersB, IkeCounter.IKE_SAS_ESTABLISHED, 1, IkeCounter.CHILD_SAS_INSTALLED, 1,
                IkeCounter.IKE_INTEGRITY_FAILURES, 1, IkeCounter.IKE_MALFORMED_PROTECTED, 1,
                IkeCounter.IKE_UNEXPECTED, 2, IkeCounter.IKE_MALFORMED, 1);
    }

    @Test
    void cookiesHalfOpenLimitAndUnknownPeersAreCounted() {
        t.start(a(), b());
        t.gwB.cookieThreshold(0); // always ask for a cookie
        t.gwA.initiate(t.cfgA);
        t.pump(); // { N(COOKIE) } once, then IKE_SA_INIT and IKE_AUTH as usual
        assertCounts("B", t.countersB, IkeCounter.IKE_COOKIES_SENT, 1, IkeCounter.IKE_SAS_ESTABLISHED, 1,
                IkeCounter.CHILD_SAS_INSTALLED, 1);
        IkeExchangeTest u = new IkeExchangeTest();
        u.start(a(), b());
        u.gwB.halfOpenLimit(0);
        u.gwA.initiate(u.cfgA);
        u.aToB(); // IKE_SA_INIT -->  dropped: no room for another half-open SA
        assertTrue(u.fromB.isEmpty(), "no answer");
        assertCounts("B", u.countersB, IkeCounter.IKE_HALF_OPEN_DROPPED, 1);
        u.gwA.initiate(u.cfgA);
        u.gwB.receive(u.fromA.poll().msg(), IkeExchangeTest.addr("192.0.2.99", 500), 500); // no connection there
        assertCounts("B", u.countersB, IkeCounter.IKE_HALF_OPEN_DROPPED, 1, IkeCounter.IKE_NO_CONFIG, 1);
    }

    /** The daemon's {@code /metrics} engine counters are the engine's, under the names scripts read. */
    @Test
    void theDriversMetricsShowTheEngineCounters() {
        IkeTunnelDriver driver = new IkeTunnelDriver(null, 1);
        try {
            Map<String, Long> before = driver.engineCounters();
            for (String name : List.of("ike_rekeys", "child_sas_installed", "ike_auth_failures", "ike_malformed",
                    "ike_unknown_spi", "ike_no_config", "ike_cookies_sent", "ike_half_open_dropped")) {
                assertEquals(0L, before.get(name), name + " in " + before);
            }
            t.countersA = driver.ikeCounters(); // gw-a is the daemon's engine
            t.start(a(), b());
            t.establish();
            t.gwA.rekey(t.only(t.gwA));
            t.pump();
            IkeSa a = t.only(t.gwA);
            t.gwA.rekey(a, a.children.get(0));
            t.pump();
            IkeExchangeTest refused = new IkeExchangeTest();
            refused.countersA = driver.ikeCounters();
            refused.start(a(), b("gw-b.example.test", "other".getBytes(StandardCharsets.US_ASCII),
                    "aes128gcm16-prfsha256-x25519", "aes128gcm16", "10.244.1.0/24"));
            refused.establish();
            Map<String, Long> m = driver.engineCounters();
            assertEquals(1L, m.get("ike_rekeys"), m.toString());
            assertEquals(2L, m.get("child_sas_installed"), m.toString());
            assertEquals(1L, m.get("child_sa_rekeys"), m.toString());
            assertEquals(1L, m.get("ike_auth_failures"), m.toString());
            assertEquals(1L, m.get("ike_sas_established"), m.toString());
            for (IkeCounter c : IkeCounter.values()) {
                assertEquals(driver.ikeCounters().get(c), m.get(c.metric()), c.metric());
            }
        } finally {
            driver.close();
        }
    }
}
