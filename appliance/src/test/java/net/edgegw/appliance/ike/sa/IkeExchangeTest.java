package net.edgegw.appliance.ike.sa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.edgegw.appliance.ike.codec.IkeCodec;
import net.edgegw.appliance.ike.message.ExchangeType;
import net.edgegw.appliance.ike.message.IkeHeader;
import net.edgegw.appliance.ike.message.IkeMessage;
import net.edgegw.appliance.ike.message.NoncePayload;
import net.edgegw.appliance.ike.message.NotifyPayload;
import net.edgegw.appliance.ike.message.NotifyType;
import net.edgegw.dataplane.sa.Suite;
import net.edgegw.dataplane.spd.TrafficSelector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two IKE SAs in one process: gw-a (192.0.2.1, onprem 10.244.1.0/24) and gw-b (192.0.2.2, cloud 10.96.1.0/24)
 * joined by fake senders, with fake CHILD SA installers, seeded random and a manual clock.
 */
class IkeExchangeTest {
    static final InetSocketAddress A = addr("192.0.2.1", 500);
    static final InetSocketAddress B = addr("192.0.2.2", 500);
    static final byte[] PSK = "interop-test-psk-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** What one side sent: message, destination, from the NAT-T port or not. */
    record Sent(byte[] msg, InetSocketAddress to, boolean natT) {
        ExchangeType exchange() {
            return IkeCodec.peekExchange(msg);
        }

        boolean response() {
            return (msg[19] & IkeHeader.FLAG_RESPONSE) != 0;
        }
    }

    /** Records installs and removes, as the data plane would hold them. */
    static final class FakeInstaller implements ChildSaInstaller {
        final List<ChildSa> installed = new ArrayList<>();
        int installs;
        int removes;
        long packets;

        @Override
        public long inboundPackets(ChildSa child) {
            return packets;
        }

        @Override
        public void install(IkeSa ike, ChildSa child) {
            installs++;
            installed.add(child);
        }

        @Override
        public void remove(IkeSa ike, ChildSa child) {
            removes++;
            installed.remove(child);
        }
    }

    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final Deque<Sent> fromA = new ArrayDeque<>();
    final Deque<Sent> fromB = new ArrayDeque<>();
    final FakeInstaller instA = new FakeInstaller();
    final FakeInstaller instB = new FakeInstaller();
    final List<String> log = new ArrayList<>();
    /** Where each side's engine counts (tests may hand in other counters before {@link #start}). */
    IkeCounters countersA = new IkeCounters();
    IkeCounters countersB = new IkeCounters();
    IkeSaTable gwA;
    IkeSaTable gwB;
    IkeConfig cfgA;
    IkeConfig cfgB;

    static InetSocketAddress addr(String ip, int port) {
        return new InetSocketAddress(literal(ip), port);
    }

    static InetAddress literal(String ip) {
        try {
            return InetAddress.getByAddress(TrafficSelector.parseAddress(ip)); // no name lookup
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed); // before first use: deterministic
            return r;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static IkeConfig config(String name, InetSocketAddress local, InetSocketAddress remote, String localId,
                            String remoteId, byte[] psk, String ike, String esp, String localTs, String remoteTs) {
        return new IkeConfig(name, local, remote, localId, remoteId, psk, Proposals.parseIke(ike),
                Proposals.parseEsp(esp), List.of(TrafficSelector.cidr(localTs)), List.of(TrafficSelector.cidr(remoteTs)),
                false, 1000, 2.0, 3, 30, 0, 0, IkeConfig.DEFAULT_FRAGMENT_SIZE);
    }

    void start(IkeConfig a, IkeConfig b) {
        cfgA = a;
        cfgB = b;
        gwA = new IkeSaTable(List.of(a), new IkeContext((m, to, natT) -> fromA.add(new Sent(m, to, natT)), instA,
                seeded(1), clock::get, s -> log.add("A " + s), countersA));
        gwB = new IkeSaTable(List.of(b), new IkeContext((m, to, natT) -> fromB.add(new Sent(m, to, natT)), instB,
                seeded(2), clock::get, s -> log.add("B " + s), countersB));
    }

    @BeforeEach
    void defaults() {
        start(config("a", A, B, "gw-a.example.test", "gw-b.example.test", PSK, "aes128gcm16-prfsha256-x25519",
                        "aes128gcm16", "10.244.1.0/24", "10.96.1.0/24"),
                config("b", B, A, "gw-b.example.test", "gw-a.example.test", PSK, "aes128gcm16-prfsha256-x25519",
                        "aes128gcm16", "10.96.1.0/24", "10.244.1.0/24"));
    }

    /** Delivers A's oldest message to B; returns it. */
    Sent aToB() {
        Sent s = fromA.poll();
        gwB.receive(s.msg, s.natT ? addr("192.0.2.1", 4500) : A, s.natT ? 4500 : 500);
        return s;
    }

    Sent bToA() {
        Sent s = fromB.poll();
        gwA.receive(s.msg, s.natT ? addr("192.0.2.2", 4500) : B, s.natT ? 4500 : 500);
        return s;
    }

    /** Delivers whatever is queued, A's oldest first, until both sides are quiet (at most 50 rounds). */
    void pump() {
        for (int i = 0; i < 50 && !(fromA.isEmpty() && fromB.isEmpty()); i++) {
            if (!fromA.isEmpty()) {
                aToB();
            }
            if (!fromB.isEmpty()) {
                bToA();
            }
        }
        assertTrue(fromA.isEmpty() && fromB.isEmpty(), "quiet");
    }

    IkeSa only(IkeSaTable t) {
        assertEquals(1, t.list().size(), "IKE SAs");
        return t.list().get(0);
    }

    /** IKE_SA_INIT and IKE_AUTH, each checked on the wire. */
    void establish() {
        gwA.initiate(cfgA);
        // IKE_SA_INIT { SAi1, KEi, Ni, N(NATD_S), N(NATD_D) } -->
        assertEquals(ExchangeType.IKE_SA_INIT, aToB().exchange());
        //                      <-- { SAr1, KEr, Nr, N(NATD_S), N(NATD_D) }
        assertEquals(ExchangeType.IKE_SA_INIT, bToA().exchange());
        // IKE_AUTH { IDi, N(INITIAL_CONTACT), IDr, AUTH, SAi2, TSi, TSr } -->
        assertEquals(ExchangeType.IKE_AUTH, aToB().exchange());
        //                      <-- { IDr, AUTH, SAr2, TSi, TSr }
        assertEquals(ExchangeType.IKE_AUTH, bToA().exchange());
        assertTrue(fromA.isEmpty() && fromB.isEmpty(), "nothing else on the wire");
    }

    @Test
    void ikeSaInitAndIkeAuthInstallMatchingChildSas() {
        establish();
        IkeSa a = only(gwA);
        IkeSa b = only(gwB);
        assertEquals(IkeSa.State.ESTABLISHED, a.state);
        assertEquals(IkeSa.State.ESTABLISHED, b.state);
        assertEquals(a.spiI, b.spiI);
        assertEquals(a.spiR, b.spiR);
        assertArrayEquals(a.keys.skD(), b.keys.skD());
        assertEquals(1, instA.installed.size());
        assertEquals(1, instB.installed.size());
        ChildSa ca = instA.installed.get(0);
        ChildSa cb = instB.installed.get(0);
        assertEquals(ca.spiOut, cb.spiIn);
        assertEquals(ca.spiIn, cb.spiOut);
        assertArrayEquals(ca.encOut, cb.encIn);
        assertArrayEquals(ca.encIn, cb.encOut);
        assertFalse(java.util.Arrays.equals(ca.encIn, ca.encOut), "each direction has its own key");
        assertEquals(Suite.AES_GCM_16_128, ca.suite);
        assertEquals(20, ca.encOut.length); // 16-byte key + 4-byte salt
        assertEquals(List.of(TrafficSelector.cidr("10.244.1.0/24")), ca.localTs);
        assertEquals(List.of(TrafficSelector.cidr("10.96.1.0/24")), ca.remoteTs);
        assertEquals(ca.localTs, cb.remoteTs);
        assertFalse(a.natDetected, "no NAT between the two");
    }

    @Test
    void cbcHmacChildSaAndIkeSa() {
        start(config("a", A, B, "gw-a", "gw-b", PSK, "aes256-sha256-modp2048", "aes256-sha256", "10.244.1.0/24",
                        "10.96.1.0/24"),
                config("b", B, A, "gw-b", "gw-a", PSK, "aes256-sha256-modp2048", "aes256-sha256", "10.96.1.0/24",
                        "10.244.1.0/24"));
        establish();
        ChildSa ca = instA.installed.get(0);
        assertEquals(Suite.AES_CBC_256_HMAC_SHA256, ca.suite);
        assertArrayEquals(ca.integOut, instB.installed.get(0).integIn);
        assertEquals(32, ca.integOut.length);
    }

    @Test
    void invalidKePayloadMakesTheInitiatorRetryWithTheResponderGroup() {
        start(config("a", A, B, "gw-a", "gw-b", PSK, "aes128gcm16-prfsha256-x25519-ecp256", "aes128gcm16",
                        "10.244.1.0/24", "10.96.1.0/24"),
                config("b", B, A, "gw-b", "gw-a", PSK, "aes128gcm16-prfsha256-ecp256", "aes128gcm16", "10.96.1.0/24",
                        "10.244.1.0/24"));
        gwA.initiate(cfgA);
        // IKE_SA_INIT { SAi1, KEi(31), Ni } -->
        aToB();
        //                      <-- { N(INVALID_KE_PAYLOAD, 19) }
        bToA();
        assertTrue(gwB.list().isEmpty(), "the responder keeps no state for it");
        // IKE_SA_INIT { SAi1, KEi(19), Ni } -->   and on as usual
        aToB();
        bToA();
        aToB();
        bToA();
        assertEquals(IkeSa.State.ESTABLISHED, only(gwA).state);
        assertEquals(19, only(gwB).ke.group());
        assertEquals(1, instB.installed.size());
    }

    @Test
    void lostResponseIsRetransmittedFromTheCache() {
        gwA.initiate(cfgA);
        aToB();
        bToA();
        // IKE_AUTH { ... } -->   the response is lost
        aToB();
        Sent lost = fromB.poll();
        assertEquals(ExchangeType.IKE_AUTH, lost.exchange());
        clock.addAndGet(999_000_000L);
        gwA.tick();
        assertTrue(fromA.isEmpty(), "not before the timeout");
        clock.addAndGet(2_000_000L);
        gwA.tick();
        // IKE_AUTH { ... } --> (retransmission, same bytes)
        Sent again = aToB();
        assertEquals(ExchangeType.IKE_AUTH, again.exchange());
        //                      <-- the cached response, byte for byte
        Sent cached = bToA();
        assertArrayEquals(lost.msg, cached.msg);
        assertEquals(1, instB.installs, "the responder did not run the exchange twice");
        assertEquals(IkeSa.State.ESTABLISHED, only(gwA).state);
    }

    @Test
    void retransmissionBacksOffThenGivesUp() {
        gwA.initiate(cfgA);
        fromA.clear(); // the peer never answers
        List<Long> sentAt = new ArrayList<>();
        for (int ms = 0; ms < 20_000; ms += 10) {
            clock.addAndGet(10_000_000L);
            gwA.tick();
            if (!fromA.isEmpty()) {
                fromA.clear();
                sentAt.add(clock.get());
            }
        }
        assertEquals(3, sentAt.size(), "retransmit_tries");
        long first = sentAt.get(1) - sentAt.get(0);
        long second = sentAt.get(2) - sentAt.get(1);
        assertEquals(2.0, (double) second / first, 0.05, "exponential back-off, base 2");
        assertTrue(gwA.list().isEmpty(), "IKE SA given up");
    }

    @Test
    void wrongPskFailsAuthenticationAndInstallsNothing() {
        start(cfgA, config("b", B, A, "gw-b.example.test", "gw-a.example.test", "other".getBytes(StandardCharsets.US_ASCII),
                "aes128gcm16-prfsha256-x25519", "aes128gcm16", "10.96.1.0/24", "10.244.1.0/24"));
        establish();
        assertTrue(gwA.list().isEmpty());
        assertTrue(gwB.list().isEmpty());
        assertEquals(0, instA.installs + instB.installs);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("B") && l.contains("does not verify")), String.join("\n", log));
    }

    @Test
    void wrongIdentityFailsAuthentication() {
        start(cfgA, config("b", B, A, "gw-b.example.test", "someone-else", PSK, "aes128gcm16-prfsha256-x25519",
                "aes128gcm16", "10.96.1.0/24", "10.244.1.0/24"));
        establish();
        assertTrue(gwA.list().isEmpty());
        assertTrue(gwB.list().isEmpty());
    }

    @Test
    void responderNarrowsTrafficSelectors() {
        start(config("a", A, B, "gw-a", "gw-b", PSK, "aes128gcm16-prfsha256-x25519", "aes128gcm16", "10.244.0.0/16",
                        "10.96.0.0/16"),
                config("b", B, A, "gw-b", "gw-a", PSK, "aes128gcm16-prfsha256-x25519", "aes128gcm16", "10.96.1.0/24",
                        "10.244.1.0/24"));
        establish();
        ChildSa ca = instA.installed.get(0);
        assertEquals(List.of(TrafficSelector.cidr("10.244.1.0/24")), ca.localTs);
        assertEquals(List.of(TrafficSelector.cidr("10.96.1.0/24")), ca.remoteTs);
    }

    @Test
    void disjointSelectorsRefuseTheChildButKeepTheIkeSa() {
        start(cfgA, config("b", B, A, "gw-b.example.test", "gw-a.example.test", PSK, "aes128gcm16-prfsha256-x25519",
                "aes128gcm16", "10.96.1.0/24", "172.16.0.0/12"));
        establish();
        assertEquals(IkeSa.State.ESTABLISHED, only(gwA).state);
        assertEquals(IkeSa.State.ESTABLISHED, only(gwB).state);
        assertEquals(0, instA.installs + instB.installs);
        assertTrue(log.stream().anyMatch(l -> l.contains("TS_UNACCEPTABLE")), String.join("\n", log));
    }

    @Test
    void noCommonProposalEndsTheIkeSaInit() {
        start(cfgA, config("b", B, A, "gw-b", "gw-a", PSK, "aes256-sha512-modp4096", "aes128gcm16", "10.96.1.0/24",
                "10.244.1.0/24"));
        gwA.initiate(cfgA);
        aToB();
        bToA();
        assertTrue(gwA.list().isEmpty());
        assertTrue(gwB.list().isEmpty());
    }

    @Test
    void livenessCheckAfterSilence() {
        establish();
        clock.addAndGet(31_000_000_000L);
        gwA.tick();
        // INFORMATIONAL { } -->
        Sent dpd = aToB();
        assertEquals(ExchangeType.INFORMATIONAL, dpd.exchange());
        //                      <-- { }
        bToA();
        assertEquals(IkeSa.State.ESTABLISHED, only(gwA).state);
        assertFalse(only(gwA).busy());
    }

    @Test
    void espFromThePeerPostponesTheLivenessCheck() {
        establish();
        for (int s = 0; s < 90; s++) {
            clock.addAndGet(1_000_000_000L);
            instA.packets++; // ESP keeps arriving
            gwA.tick();
        }
        assertTrue(fromA.isEmpty(), "no liveness check while ESP arrives");
        clock.addAndGet(31_000_000_000L);
        gwA.tick();
        assertEquals(ExchangeType.INFORMATIONAL, fromA.poll().exchange());
    }

    @Test
    void childSaDeleteRemovesBothHalves() {
        establish();
        IkeSa a = only(gwA);
        gwA.delete(a, a.children.get(0));
        // INFORMATIONAL { D(ESP, spi) } -->
        aToB();
        //                      <-- { D(ESP, spi) }
        bToA();
        assertEquals(0, instA.installed.size());
        assertEquals(0, instB.installed.size());
        assertEquals(IkeSa.State.ESTABLISHED, only(gwB).state);
    }

    @Test
    void ikeSaDeleteFromTheResponderSide() {
        establish();
        gwB.delete(only(gwB));
        // <-- INFORMATIONAL { D(IKE) }
        bToA();
        // { } -->
        aToB();
        assertTrue(gwA.list().isEmpty());
        assertTrue(gwB.list().isEmpty());
        assertEquals(0, instA.installed.size() + instB.installed.size());
    }

    @Test
    void childSaRekeyReplacesTheOldPairWithPfs() {
        start(config("a", A, B, "gw-a", "gw-b", PSK, "aes128gcm16-prfsha256-x25519", "aes128gcm16-x25519",
                        "10.244.1.0/24", "10.96.1.0/24"),
                config("b", B, A, "gw-b", "gw-a", PSK, "aes128gcm16-prfsha256-x25519", "aes128gcm16-x25519",
                        "10.96.1.0/24", "10.244.1.0/24"));
        establish();
        IkeSa a = only(gwA);
        ChildSa old = a.children.get(0);
        gwA.rekey(a, old);
        // CREATE_CHILD_SA { N(REKEY_SA), SA, Ni, KEi, TSi, TSr } -->
        assertEquals(ExchangeType.CREATE_CHILD_SA, aToB().exchange());
        //                      <-- { SA, Nr, KEr, TSi, TSr }
        bToA();
        // INFORMATIONAL { D(ESP, old spi) } -->
        assertEquals(ExchangeType.INFORMATIONAL, aToB().exchange());
        bToA();
        assertEquals(1, instA.installed.size());
        assertEquals(1, instB.installed.size());
        ChildSa fresh = instA.installed.get(0);
        assertNotEquals(old.spiIn, fresh.spiIn);
        assertFalse(java.util.Arrays.equals(old.encOut, fresh.encOut));
        assertArrayEquals(fresh.encOut, instB.installed.get(0).encIn);
    }

    @Test
    void ikeSaRekeyMovesTheChildSasToTheNewIkeSa() throws Exception {
        establish();
        IkeSa oldA = only(gwA);
        ChildSa child = oldA.children.get(0);
        gwA.rekey(oldA);
        // CREATE_CHILD_SA { SA(IKE, new SPIi), Ni, KEi } -->
        assertEquals(ExchangeType.CREATE_CHILD_SA, aToB().exchange());
        //                      <-- { SA(IKE, new SPIr), Nr, KEr }
        bToA();
        // INFORMATIONAL { D(IKE) } --> on the old IKE SA
        assertEquals(ExchangeType.INFORMATIONAL, aToB().exchange());
        //                      <-- { }
        bToA();
        IkeSa newA = only(gwA);
        IkeSa newB = only(gwB);
        assertNotEquals(oldA.spiI, newA.spiI);
        assertEquals(newA.spiI, newB.spiI);
        assertEquals(newA.spiR, newB.spiR);
        assertArrayEquals(newA.keys.skD(), newB.keys.skD());
        assertFalse(java.util.Arrays.equals(oldA.keys.skD(), newA.keys.skD()));
        assertEquals(List.of(child), newA.children, "the CHILD SA moved, untouched");
        assertEquals(1, instA.installed.size());
        assertEquals(0, instA.removes + instB.removes, "the data plane saw no change");
        // the new IKE SA works: a CHILD SA delete over it, with message ID 0
        gwB.delete(newB, newB.children.get(0));
        Sent del = bToA();
        assertEquals(0, IkeCodec.decodeHeader(del.msg).messageId());
        aToB();
        assertEquals(0, instA.installed.size() + instB.installed.size());
    }

    @Test
    void childSaRekeyTimerReplacesTheChildSa() throws Exception {
        start(new IkeConfig("a", A, B, "gw-a", "gw-b", PSK, Proposals.parseIke("aes128gcm16-prfsha256-x25519"),
                        Proposals.parseEsp("aes128gcm16"), List.of(TrafficSelector.cidr("10.244.1.0/24")),
                        List.of(TrafficSelector.cidr("10.96.1.0/24")), false, 1000, 2.0, 3, 0, 0, 60, 0),
                config("b", B, A, "gw-b", "gw-a", PSK, "aes128gcm16-prfsha256-x25519", "aes128gcm16", "10.96.1.0/24",
                        "10.244.1.0/24"));
        establish();
        int oldSpi = instA.installed.get(0).spiIn;
        clock.addAndGet(53_000_000_000L); // the rekey comes up to 10% (6 s) early (jitter), never before 54 s
        gwA.tick();
        assertTrue(fromA.isEmpty());
        clock.addAndGet(7_000_000_000L);
        gwA.tick();
        aToB(); // CREATE_CHILD_SA { N(REKEY_SA), SA, Ni, TSi, TSr } -->
        bToA();
        aToB(); // INFORMATIONAL { D(ESP) } -->
        bToA();
        assertEquals(1, instA.installed.size());
        assertNotEquals(oldSpi, instA.installed.get(0).spiIn);
        assertEquals(instA.installed.get(0).spiOut, instB.installed.get(0).spiIn);
    }

    @Test
    void retransmittedIkeSaInitReachesTheSameHalfOpenSa() {
        gwA.initiate(cfgA);
        Sent init = fromA.peek();
        aToB();
        Sent first = fromB.poll();
        gwB.receive(init.msg, A, 500);
        Sent second = fromB.poll();
        assertArrayEquals(first.msg, second.msg);
        assertEquals(1, gwB.list().size());
    }

    @Test
    void authenticButMalformedRequestGetsTheNotifyAndAForgeryNothing() throws Exception {
        establish();
        IkeSa a = only(gwA);
        // INFORMATIONAL { No(3 bytes) } -->   a nonce shorter than §3.9 allows, properly protected
        IkeMessage bad = new IkeMessage(a.spiI, a.spiR, ExchangeType.INFORMATIONAL, IkeHeader.FLAG_INITIATOR, 2, false,
                List.of(new NoncePayload(new byte[3])));
        byte[] msg = IkeCodec.encode(bad, a.out);
        byte[] forged = msg.clone();
        forged[forged.length - 1] ^= 1;
        gwB.receive(forged, A, 500);
        assertTrue(fromB.isEmpty(), "a forgery is dropped without an answer (§2.21.2)");
        gwB.receive(msg, A, 500);
        //                      <-- { N(INVALID_SYNTAX) }
        IkeMessage answer = IkeCodec.decode(fromB.poll().msg, a.in);
        assertEquals(NotifyType.INVALID_SYNTAX.value(), answer.firstError().notifyType());
        assertEquals(2, answer.messageId);
    }

    @Test
    void cookieRoundTripBeforeTheResponderKeepsState() throws Exception {
        gwB.cookieThreshold(0); // always ask
        gwA.initiate(cfgA);
        // IKE_SA_INIT { SAi1, KEi, Ni, N(NATD_*) } -->
        aToB();
        assertTrue(gwB.list().isEmpty(), "no state before the cookie returns");
        //                      <-- { N(COOKIE) }
        Sent cookie = bToA();
        assertEquals(NotifyType.COOKIE.value(), ((NotifyPayload) IkeCodec.decode(cookie.msg, null).payloads().get(0)).notifyType());
        // IKE_SA_INIT { N(COOKIE), SAi1, KEi, Ni, N(NATD_*) } -->  and on as usual
        Sent retry = aToB();
        assertEquals(NotifyType.COOKIE.value(), ((NotifyPayload) IkeCodec.decode(retry.msg, null).payloads().get(0)).notifyType());
        bToA();
        aToB();
        bToA();
        assertEquals(IkeSa.State.ESTABLISHED, only(gwA).state);
        assertEquals(IkeSa.State.ESTABLISHED, only(gwB).state);
        assertEquals(1, gwB.counters().get(IkeCounter.IKE_COOKIES_SENT));
    }

    @Test
    void halfOpenResponderSaIsForgotten() {
        gwA.initiate(cfgA);
        aToB();
        assertEquals(1, gwB.list().size());
        clock.addAndGet(31_000_000_000L);
        gwB.tick();
        assertTrue(gwB.list().isEmpty());
    }

    @Test
    void initialContactReplacesTheStaleIkeSa() {
        establish();
        IkeSa stale = only(gwB);
        // gw-a restarts: a fresh table, same configuration, N(INITIAL_CONTACT) in its IKE_AUTH
        gwA = new IkeSaTable(List.of(cfgA), new IkeContext((m, to, natT) -> fromA.add(new Sent(m, to, natT)), instA,
                seeded(3), clock::get, s -> log.add("A' " + s)));
        establish();
        assertEquals(IkeSa.State.DEAD, stale.state);
        IkeSa fresh = only(gwB);
        assertNotEquals(stale.spiI, fresh.spiI);
        assertEquals(1, instB.installed.size(), "the stale CHILD SA left the data plane");
    }

    /**
     * Authentic requests with arbitrary payload mixes (every payload type, any exchange type) reach the responder's
     * tasks: it answers or drops, never throws, and the message IDs stay in step.
     */
    @Test
    void authenticRequestsWithAnyPayloadMixNeverThrow() throws Exception {
        java.util.Random rnd = new java.util.Random(11);
        List<net.edgegw.appliance.ike.message.Payload> pool = net.edgegw.appliance.ike.codec.IkeCodecTest.payloads().toList();
        int answered = 0;
        for (int round = 0; round < 300; round++) {
            if (gwB.list().isEmpty() || gwA.list().isEmpty()) {
                defaults();
                establish();
            }
            IkeSa a = only(gwA);
            List<net.edgegw.appliance.ike.message.Payload> ps = new ArrayList<>();
            for (int i = rnd.nextInt(5); i > 0; i--) {
                ps.add(pool.get(rnd.nextInt(pool.size())));
            }
            ExchangeType ex = ExchangeType.values()[rnd.nextInt(4)];
            int id = a.nextRequestIdForTest();
            IkeMessage m = new IkeMessage(a.spiI, a.spiR, ex, IkeHeader.FLAG_INITIATOR, id, false, ps);
            byte[] msg = ex == ExchangeType.IKE_SA_INIT ? IkeCodec.encode(m, null) : IkeCodec.encode(m, a.out);
            try {
                gwB.receive(msg, A, 500);
            } catch (RuntimeException e) {
                throw new AssertionError(ex + " " + ps + " made the responder throw", e);
            }
            Sent reply = fromB.poll();
            fromB.clear();
            if (reply != null) {
                a.skipRequestIdForTest(); // answered: the responder moved to the next message ID
                answered++;
                gwA.receive(reply.msg, B, 500); // a response to nothing we asked: dropped
            }
        }
        assertTrue(answered > 100, answered + " answers");
    }

    @Test
    void unprotectedIkeSaInitCannotReplaceTheKeysOfAnEstablishedSa() {
        establish();
        IkeSa b = only(gwB);
        byte[] skD = b.keys.skD();
        // an attacker who saw the SPIs replays a fresh IKE_SA_INIT request into the established SA
        IkeSaTable mallory = new IkeSaTable(List.of(cfgA), new IkeContext((m, to, natT) -> fromA.add(new Sent(m, to, natT)),
                new FakeInstaller(), seeded(9), clock::get, s -> { }));
        mallory.initiate(cfgA);
        byte[] init = fromA.poll().msg;
        java.nio.ByteBuffer.wrap(init).putLong(0, b.spiI).putLong(8, b.spiR).putInt(20, 2);
        gwB.receive(init, A, 500);
        assertTrue(fromB.isEmpty());
        assertArrayEquals(skD, b.keys.skD());
        assertEquals(IkeSa.State.ESTABLISHED, b.state);
    }

    @Test
    void bigMessagesTravelAsFragmentsWhenBothSidesSupportThem() {
        IkeConfig a = new IkeConfig("a", A, B, "gw-a.example.test", "gw-b.example.test", PSK,
                Proposals.parseIke("aes128gcm16-prfsha256-x25519"), Proposals.parseEsp("aes128gcm16"),
                List.of(TrafficSelector.cidr("10.244.1.0/24")), List.of(TrafficSelector.cidr("10.96.1.0/24")), false,
                1000, 2.0, 3, 0, 0, 0, 120);
        IkeConfig b = new IkeConfig("b", B, A, "gw-b.example.test", "gw-a.example.test", PSK,
                Proposals.parseIke("aes128gcm16-prfsha256-x25519"), Proposals.parseEsp("aes128gcm16"),
                List.of(TrafficSelector.cidr("10.96.1.0/24")), List.of(TrafficSelector.cidr("10.244.1.0/24")), false,
                1000, 2.0, 3, 0, 0, 0, 120);
        start(a, b);
        gwA.initiate(cfgA);
        aToB(); // IKE_SA_INIT { ..., N(IKEV2_FRAGMENTATION_SUPPORTED) } -->
        bToA(); //      <-- { ..., N(IKEV2_FRAGMENTATION_SUPPORTED) }
        assertTrue(only(gwA).fragmentation && only(gwB).fragmentation);
        // IKE_AUTH as SKF fragments of at most 120 bytes -->, the last one lost first
        List<Sent> request = new ArrayList<>(fromA);
        fromA.clear();
        assertTrue(request.size() > 1, request.size() + " fragments");
        for (Sent f : request) {
            assertTrue(f.msg.length <= 120);
            assertEquals(53, f.msg[16], "SKF");
        }
        for (int i = 0; i < request.size() - 1; i++) {
            gwB.receive(request.get(i).msg, A, 500);
        }
        assertTrue(fromB.isEmpty(), "no answer before the message is complete");
        gwB.receive(request.get(request.size() - 1).msg, A, 500);
        //      <-- IKE_AUTH response, fragmented as well
        int responseFragments = fromB.size();
        assertTrue(responseFragments > 1);
        List<Sent> response = new ArrayList<>(fromB);
        // a retransmitted fragmented request gets the cached response once, not once per fragment
        fromB.clear();
        for (Sent f : request) {
            gwB.receive(f.msg, A, 500);
        }
        assertEquals(responseFragments, fromB.size());
        fromB.clear();
        fromB.addAll(response);
        while (!fromB.isEmpty()) {
            bToA();
        }
        assertEquals(IkeSa.State.ESTABLISHED, only(gwA).state);
        assertEquals(1, instA.installed.size());
        assertEquals(1, instB.installs);
        // the responder's own requests count message IDs from 0: its fragmented CHILD SA rekey must get through
        IkeSa responder = only(gwB);
        gwB.rekey(responder, responder.children.get(0));
        assertTrue(fromB.size() > 1, "CREATE_CHILD_SA request fragmented");
        while (!fromB.isEmpty()) {
            bToA();
        }
        assertTrue(fromA.size() > 0, "answered");
        while (!fromA.isEmpty() || !fromB.isEmpty()) {
            if (!fromA.isEmpty()) {
                aToB();
            }
            if (!fromB.isEmpty()) {
                bToA();
            }
        }
        assertEquals(1, instA.installed.size());
        assertEquals(2, instA.installs, "rekeyed");
    }

    @Test
    void garbageIsCountedNotThrown() {
        gwB.receive(new byte[] {1, 2, 3}, A, 500);
        byte[] b = new byte[40];
        b[17] = 0x20;
        b[18] = 35;
        b[27] = 40;
        b[8] = 1; // unknown SPI
        gwB.receive(b, A, 500);
        assertEquals(1, gwB.counters().get(IkeCounter.IKE_MALFORMED));
        assertEquals(1, gwB.counters().get(IkeCounter.IKE_UNKNOWN_SPI));
    }
}
