package net.edgegw.appliance.ike.sa;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.edgegw.appliance.ike.codec.IkeCodec;
import net.edgegw.appliance.ike.codec.IkeCodecTest;
import net.edgegw.appliance.ike.message.ExchangeType;
import net.edgegw.appliance.ike.message.IkeHeader;
import net.edgegw.appliance.ike.message.IkeMessage;
import net.edgegw.appliance.ike.message.Payload;

/**
 * Coverage-guided fuzzing of the responder state machine (Jazzer): gw-b's {@link IkeSaTable} is fed a sequence
 * of steps chosen by the fuzzer — genuine messages of a real initiator gw-a (so the fuzzer reaches IKE_AUTH and
 * established SAs without breaking crypto), genuine messages with a byte changed, raw datagrams, raw bodies
 * behind a live SA's header, authentic requests with any payload mix, replays, and clock jumps with timers.
 * After every step: no exception escaped the table (they are its own to count and drop), the half-open count
 * stays under the hard cap and the table under a bound set by what was started.
 *
 * <p>Without {@code JAZZER_FUZZ=1} it replays its corpus in
 * {@code src/test/resources/net/edgegw/appliance/ike/sa/IkeResponderFuzzTestInputs/responder/} as a plain test.
 */
class IkeResponderFuzzTest {
    static final int HALF_OPEN_LIMIT = 4;
    static final int MAX_STEPS = 64;
    static final List<Payload> POOL = IkeCodecTest.payloads().toList();

    private record Sent(byte[] msg, InetSocketAddress to, boolean natT) {}

    /** The fuzzer's choices: Jazzer's data provider, or a seeded random for the plain test below. */
    interface Choices {
        int consumeInt(int min, int max);

        long consumeLong(long min, long max);

        byte consumeByte();

        boolean consumeBoolean();

        byte[] consumeBytes(int max);

        int remainingBytes();
    }

    @FuzzTest(maxDuration = "3m")
    void responder(FuzzedDataProvider fdp) {
        run(new Choices() {
            public int consumeInt(int min, int max) {
                return fdp.consumeInt(min, max);
            }

            public long consumeLong(long min, long max) {
                return fdp.consumeLong(min, max);
            }

            public byte consumeByte() {
                return fdp.consumeByte();
            }

            public boolean consumeBoolean() {
                return fdp.consumeBoolean();
            }

            public byte[] consumeBytes(int max) {
                return fdp.consumeBytes(max);
            }

            public int remainingBytes() {
                return fdp.remainingBytes();
            }
        });
    }

    /** The same harness driven by a seeded random: runs in every build even with an empty corpus. */
    @Test
    void seededRandomSteps() {
        for (long seed = 0; seed < 150; seed++) {
            java.util.Random r = new java.util.Random(seed);
            run(new Choices() {
                public int consumeInt(int min, int max) {
                    return min + r.nextInt(max - min + 1);
                }

                public long consumeLong(long min, long max) {
                    return min + (long) (r.nextDouble() * (max - min));
                }

                public byte consumeByte() {
                    return (byte) r.nextInt();
                }

                public boolean consumeBoolean() {
                    return r.nextBoolean();
                }

                public byte[] consumeBytes(int max) {
                    byte[] b = new byte[max];
                    r.nextBytes(b);
                    return b;
                }

                public int remainingBytes() {
                    return 1;
                }
            });
        }
        assertTrue(established >= 8, established + " runs reached an established IKE SA on the responder");
    }

    private int established;

    private void run(Choices data) {
        AtomicLong clock = new AtomicLong(1_000_000_000L);
        Deque<Sent> fromA = new ArrayDeque<>();
        Deque<Sent> fromB = new ArrayDeque<>();
        List<byte[]> seen = new ArrayList<>();
        IkeConfig cfgA = IkeExchangeTest.config("a", IkeExchangeTest.A, IkeExchangeTest.B, "gw-a.example.test",
                "gw-b.example.test", IkeExchangeTest.PSK, "aes128gcm16-prfsha256-x25519", "aes128gcm16",
                "10.244.1.0/24", "10.96.1.0/24");
        IkeConfig cfgB = IkeExchangeTest.config("b", IkeExchangeTest.B, IkeExchangeTest.A, "gw-b.example.test",
                "gw-a.example.test", IkeExchangeTest.PSK, "aes128gcm16-prfsha256-x25519", "aes128gcm16",
                "10.96.1.0/24", "10.244.1.0/24");
        IkeSaTable gwA = new IkeSaTable(List.of(cfgA), new IkeContext((m, to, n) -> fromA.add(new Sent(m, to, n)),
                new IkeExchangeTest.FakeInstaller(), IkeExchangeTest.seeded(1), clock::get, s -> { }));
        IkeSaTable gwB = new IkeSaTable(List.of(cfgB), new IkeContext((m, to, n) -> fromB.add(new Sent(m, to, n)),
                new IkeExchangeTest.FakeInstaller(), IkeExchangeTest.seeded(2), clock::get, s -> { }));
        gwB.cookieThreshold(data.consumeInt(0, 3));
        gwB.halfOpenLimit(HALF_OPEN_LIMIT);
        int initiated = 0;
        for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++) {
            int op = data.consumeInt(0, 9);
            switch (op) {
                case 0 -> {
                    if (initiated < 3) {
                        initiated++;
                        gwA.initiate(cfgA);
                    }
                }
                case 1 -> deliver(gwB, fromA.poll(), IkeExchangeTest.A, seen);
                case 2 -> deliver(gwA, fromB.poll(), IkeExchangeTest.B, null);
                case 3 -> {
                    Sent s = fromA.poll();
                    if (s != null) {
                        byte[] m = s.msg.clone();
                        m[data.consumeInt(0, m.length - 1)] = data.consumeByte();
                        deliver(gwB, new Sent(m, s.to, s.natT), IkeExchangeTest.A, seen);
                    }
                }
                case 4 -> {
                    // a raw datagram from the configured peer or from a stranger
                    InetSocketAddress from = data.consumeBoolean() ? IkeExchangeTest.A
                            : IkeExchangeTest.addr("198.51.100." + data.consumeInt(1, 254), 500);
                    byte[] m = data.consumeBytes(data.consumeInt(0, 2048));
                    gwB.receive(m, from, data.consumeBoolean() ? 500 : 4500);
                }
                case 5 -> {
                    // a fuzzed body behind the header of one of gw-b's SAs
                    List<IkeSa> sas = gwB.list();
                    if (!sas.isEmpty()) {
                        IkeSa sa = sas.get(data.consumeInt(0, sas.size() - 1));
                        byte[] body = data.consumeBytes(data.consumeInt(0, 1024));
                        gwB.receive(withHeader(sa, data, body), IkeExchangeTest.A, 500);
                    }
                }
                case 6 -> {
                    // authentic (encrypted with gw-a's keys) request with any payload mix
                    List<IkeSa> sas = gwA.list();
                    if (!sas.isEmpty()) {
                        IkeSa a = sas.get(data.consumeInt(0, sas.size() - 1));
                        if (a.out != null) {
                            List<Payload> ps = new ArrayList<>();
                            for (int i = data.consumeInt(0, 4); i > 0; i--) {
                                ps.add(POOL.get(data.consumeInt(0, POOL.size() - 1)));
                            }
                            ExchangeType ex = ExchangeType.of(data.consumeInt(35, 37));
                            int id = a.nextRequestIdForTest() + data.consumeInt(-1, 1);
                            IkeMessage m = new IkeMessage(a.spiI, a.spiR, ex,
                                    a.originalInitiator ? IkeHeader.FLAG_INITIATOR : 0, id, false, ps);
                            gwB.receive(IkeCodec.encode(m, a.out), IkeExchangeTest.A, 500);
                            if (!fromB.isEmpty() && id == a.nextRequestIdForTest()) {
                                a.skipRequestIdForTest();
                            }
                            fromB.clear();
                        }
                    }
                }
                case 7 -> {
                    if (!seen.isEmpty()) {
                        gwB.receive(seen.get(data.consumeInt(0, seen.size() - 1)), IkeExchangeTest.A, 500);
                    }
                }
                case 8 -> {
                    clock.addAndGet(data.consumeLong(0, 40_000_000_000L));
                    gwA.tick();
                    gwB.tick();
                }
                default -> {
                    // a retransmission from a new SPIi: another half-open SA (or a cookie, or the cap)
                    List<IkeSa> sas = gwA.list();
                    if (!sas.isEmpty() && sas.get(0).initRequest != null) {
                        byte[] m = sas.get(0).initRequest.clone();
                        m[data.consumeInt(0, 7)] ^= (byte) data.consumeInt(1, 255);
                            gwB.receive(m, IkeExchangeTest.A, 500);
                    }
                }
            }
            assertTrue(gwB.halfOpenCount() <= HALF_OPEN_LIMIT, "half-open " + gwB.halfOpenCount());
            // each IKE SA comes from an IKE_SA_INIT we let through or from a rekey of an established one
            int bound = HALF_OPEN_LIMIT + 4 * (initiated + 1) + 2 * MAX_STEPS;
            assertTrue(gwB.list().size() <= bound, "table " + gwB.list().size());
            assertTrue(fromB.size() <= 64 * MAX_STEPS, "sent " + fromB.size());
        }
        if (gwB.list().stream().anyMatch(sa -> sa.state == IkeSa.State.ESTABLISHED || sa.state == IkeSa.State.DELETING)) {
            established++;
        }
    }

    private static void deliver(IkeSaTable to, Sent s, InetSocketAddress from, List<byte[]> seen) {
        if (s == null) {
            return;
        }
        if (seen != null) {
            seen.add(s.msg);
        }
        to.receive(s.msg, s.natT ? new InetSocketAddress(from.getAddress(), 4500) : from, s.natT ? 4500 : 500);
    }

    /** An IKE header (RFC 7296 §3.1) for {@code sa} with fuzzed exchange, flags, message ID and next payload. */
    private static byte[] withHeader(IkeSa sa, Choices data, byte[] body) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(IkeHeader.LEN + body.length);
        b.putLong(sa.spiI).putLong(sa.spiR);
        b.put(data.consumeByte()); // next payload
        b.put((byte) 0x20);        // version 2.0
        b.put((byte) data.consumeInt(34, 37));
        b.put((byte) (data.consumeBoolean() ? IkeHeader.FLAG_INITIATOR : 0));
        b.putInt(data.consumeInt(0, 3));
        b.putInt(IkeHeader.LEN + body.length);
        b.put(body);
        return b.array();
    }
}
