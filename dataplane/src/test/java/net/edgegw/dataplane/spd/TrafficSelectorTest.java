package net.edgegw.dataplane.spd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Traffic selectors (RFC 4301 §4.4.1.1, RFC 7296 §3.13.1): parsing and matching one side of a flow. */
class TrafficSelectorTest {

    static FlowKey key(String src, String dst, int protocol, int srcPort, int dstPort) {
        FlowKey k = new FlowKey();
        byte[] s = TrafficSelector.parseAddress(src);
        byte[] d = TrafficSelector.parseAddress(dst);
        k.family = s.length == 4 ? 4 : 6;
        BigInteger sv = new BigInteger(1, s);
        BigInteger dv = new BigInteger(1, d);
        k.srcHi = sv.shiftRight(64).longValue();
        k.srcLo = sv.longValue();
        k.dstHi = dv.shiftRight(64).longValue();
        k.dstLo = dv.longValue();
        k.protocol = protocol;
        k.srcPort = srcPort;
        k.dstPort = dstPort;
        k.portsKnown = true;
        return k;
    }

    static FlowKey dst(String addr) {
        return key(addr.contains(":") ? "::1" : "192.0.2.1", addr, 17, 1000, 2000);
    }

    private static String text(byte[] a) throws IOException {
        return InetAddress.getByAddress(a).getHostAddress();
    }

    // ---- CIDR ----------------------------------------------------------------------------------------------------

    @Test
    void hostBitsAreMaskedOff() throws IOException {
        TrafficSelector ts = TrafficSelector.cidr("10.1.2.3/24");
        assertEquals(4, ts.family());
        assertEquals("10.1.2.0", text(ts.startAddress()));
        assertEquals("10.1.2.255", text(ts.endAddress()));
        assertTrue(ts.matches(dst("10.1.2.0"), false));
        assertTrue(ts.matches(dst("10.1.2.3"), false));
        assertTrue(ts.matches(dst("10.1.2.255"), false));
        assertFalse(ts.matches(dst("10.1.1.255"), false));
        assertFalse(ts.matches(dst("10.1.3.0"), false));
    }

    @Test
    void ipv4ExtremePrefixes() throws IOException {
        TrafficSelector all = TrafficSelector.cidr("203.0.113.9/0");
        assertEquals("0.0.0.0", text(all.startAddress()));
        assertEquals("255.255.255.255", text(all.endAddress()));
        assertEquals(0, all.startHi());
        assertEquals(0, all.endHi());
        assertEquals(0xffffffffL, all.endLo(), "IPv4 lives in the low 32 bits only");
        assertTrue(all.matches(dst("0.0.0.0"), false));
        assertTrue(all.matches(dst("255.255.255.255"), false));
        assertFalse(all.matches(dst("::"), false), "an IPv4 selector never matches IPv6");

        TrafficSelector host = TrafficSelector.cidr("203.0.113.9/32");
        assertEquals(host, TrafficSelector.cidr("203.0.113.9"), "a bare address is a /32");
        assertTrue(host.matches(dst("203.0.113.9"), false));
        assertFalse(host.matches(dst("203.0.113.8"), false));
        assertFalse(host.matches(dst("203.0.113.10"), false));
        assertEquals(TrafficSelector.any(4), TrafficSelector.cidr("0.0.0.0/0"));
    }

    @Test
    void ipv6ExtremePrefixes() throws IOException {
        TrafficSelector all = TrafficSelector.cidr("2001:db8::1/0");
        assertEquals("0:0:0:0:0:0:0:0", text(all.startAddress()));
        assertEquals("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", text(all.endAddress()));
        assertTrue(all.matches(dst("::"), false));
        assertTrue(all.matches(dst("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), false));
        assertFalse(all.matches(dst("10.0.0.1"), false));
        assertEquals(TrafficSelector.any(6), all);

        TrafficSelector host = TrafficSelector.cidr("2001:db8::1/128");
        assertEquals(host, TrafficSelector.cidr("2001:db8::1"));
        assertTrue(host.matches(dst("2001:db8::1"), false));
        assertFalse(host.matches(dst("2001:db8::"), false));
        assertFalse(host.matches(dst("2001:db8::2"), false));
        assertFalse(host.matches(dst("2001:db9::1"), false), "difference in the high half only");

        TrafficSelector net = TrafficSelector.cidr("2001:db8:1:2:3:4:5:6/64");
        assertEquals("2001:db8:1:2:0:0:0:0", text(net.startAddress()));
        assertEquals("2001:db8:1:2:ffff:ffff:ffff:ffff", text(net.endAddress()));
        assertFalse(net.matches(dst("2001:db8:1:3::"), false));
        assertFalse(net.matches(dst("2001:db8:1:1:ffff:ffff:ffff:ffff"), false));
    }

    /** Every prefix length of both families against BigInteger arithmetic. */
    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.77", "255.255.255.255", "0.0.0.0",
                            "2001:db8:a5a5:5a5a:1234:5678:9abc:def0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::"})
    void everyPrefixLength(String addr) {
        byte[] a = TrafficSelector.parseAddress(addr);
        int bits = a.length * 8;
        BigInteger v = new BigInteger(1, a);
        for (int p = 0; p <= bits; p++) {
            BigInteger size = BigInteger.ONE.shiftLeft(bits - p);
            BigInteger start = v.subtract(v.mod(size));
            BigInteger end = start.add(size).subtract(BigInteger.ONE);
            TrafficSelector ts = TrafficSelector.cidr(addr + "/" + p);
            assertEquals(start, new BigInteger(1, ts.startAddress()), addr + "/" + p + " start");
            assertEquals(end, new BigInteger(1, ts.endAddress()), addr + "/" + p + " end");
            assertEquals(a.length == 4 ? 4 : 6, ts.family());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/-1", "::/129", "2001:db8::/200", "10.0.0.0/", "10.0.0.0/x",
                            "10.0.0.0/8/8", "/8", ""})
    void badCidrIsRefused(String cidr) {
        assertThrows(IllegalArgumentException.class, () -> TrafficSelector.cidr(cidr));
    }

    /** None of these is an address literal; all must be refused, and none may reach a name resolver. */
    private static final String[] NOT_LITERALS = {
        "example.com", "localhost", "gw:1", "www.example.com:443", "1.2.3.4.5", "999.1.1.1", "256.0.0.1",
        "10.1.2", "1", "010.1.1.1", "0x0a.0.0.1", "10.0.0.1 junk", "2001:db8::1::2", "12345::", "g::1", ".:1", "1.2.3.4.", ".1.2.3.4",
        "1.2.3.4/24", "-1.2.3.4", "   "
    };

    @Test
    void nonLiteralsAreRefused() {
        for (String s : NOT_LITERALS) {
            assertThrows(IllegalArgumentException.class, () -> TrafficSelector.parseAddress(s), s);
        }
        // The shorthand forms of inet_aton would silently turn "10.1.2/24" into 10.1.0.0/24.
        assertThrows(IllegalArgumentException.class, () -> TrafficSelector.cidr("10.1.2/24"));
        assertThrows(IllegalArgumentException.class, () -> TrafficSelector.cidr("example.com/24"));
    }

    /**
     * Runs the parser in a child JVM whose only resolver is a hosts file that knows every non-literal above: if
     * parseAddress asked the resolver, it would get an address back instead of refusing. (No real DNS query
     * can leave the child: the JDK then uses the hosts file alone.)
     */
    @Test
    void nonLiteralsNeverReachTheResolver(@TempDir Path dir) throws Exception {
        StringBuilder hosts = new StringBuilder();
        for (int i = 0; i < NOT_LITERALS.length; i++) {
            if (!NOT_LITERALS[i].contains(" ")) {
                hosts.append("10.99.0.").append(i + 1).append(' ').append(NOT_LITERALS[i]).append('\n');
            }
        }
        Path hostsFile = Files.writeString(dir.resolve("hosts"), hosts);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.net.hosts.file=" + hostsFile, "-cp", System.getProperty("java.class.path"),
                ParseInChild.class.getName()));
        cmd.add("192.0.2.1"); // a literal: proves the child runs the parser at all
        cmd.addAll(List.of(NOT_LITERALS));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM hangs");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().filter(l -> l.startsWith("parsed ") || l.startsWith("refused ")).toList();
        assertEquals(NOT_LITERALS.length + 1, lines.size(), out);
        assertEquals("parsed 192.0.2.1 -> [-64, 0, 2, 1]", lines.get(0));
        for (String l : lines.subList(1, lines.size())) {
            assertTrue(l.startsWith("refused "), "accepted (resolved by name?): " + l);
        }
    }

    /** Child-JVM entry point for {@link #nonLiteralsNeverReachTheResolver}. */
    static final class ParseInChild {
        public static void main(String[] args) {
            for (String a : args) {
                try {
                    System.out.println("parsed " + a + " -> " + java.util.Arrays.toString(TrafficSelector.parseAddress(a)));
                } catch (IllegalArgumentException e) {
                    System.out.println("refused " + a);
                }
            }
        }
    }

    @Test
    void literalForms() {
        assertArrayEquals(new byte[] {10, 0, 0, 1}, TrafficSelector.parseAddress(" 10.0.0.1 "));
        assertArrayEquals(new byte[] {0, 0, 0, 0}, TrafficSelector.parseAddress("0.0.0.0"));
        assertArrayEquals(new byte[] {-1, -1, -1, -1}, TrafficSelector.parseAddress("255.255.255.255"));
        byte[] v6 = TrafficSelector.parseAddress("2001:DB8::a:1");
        assertEquals(16, v6.length);
        assertEquals(0x20, v6[0]);
        assertEquals(0x0a, v6[13]);
        assertEquals(0x01, v6[15]);
        byte[] mapped = TrafficSelector.parseAddress("::ffff:192.0.2.1");
        assertEquals(16, mapped.length, "an IPv4-mapped IPv6 address stays IPv6, as written");
        assertEquals(-1, mapped[10]);
        assertEquals(-64, mapped[12]);
        assertEquals(6, TrafficSelector.cidr("::ffff:192.0.2.0/120").family());
    }

    // ---- ranges --------------------------------------------------------------------------------------------------

    @Test
    void addressRangeIsInclusive() {
        TrafficSelector r = TrafficSelector.range("10.0.0.5", "10.0.0.9", 0, 0, 65535);
        assertFalse(r.matches(dst("10.0.0.4"), false));
        assertTrue(r.matches(dst("10.0.0.5"), false));
        assertTrue(r.matches(dst("10.0.0.9"), false));
        assertFalse(r.matches(dst("10.0.0.10"), false));

        TrafficSelector r6 = TrafficSelector.range("2001:db8::ffff:ffff:ffff:fffe", "2001:db8:0:1::1", 0, 0, 65535);
        assertTrue(r6.matches(dst("2001:db8::ffff:ffff:ffff:ffff"), false), "range across the 64-bit halves");
        assertTrue(r6.matches(dst("2001:db8:0:1::"), false));
        assertFalse(r6.matches(dst("2001:db8:0:1::2"), false));
        assertFalse(r6.matches(dst("2001:db8::ffff:ffff:ffff:fffd"), false));

        TrafficSelector one = TrafficSelector.range("10.0.0.7", "10.0.0.7", 6, 0, 65535);
        assertTrue(one.matches(key("10.0.0.7", "10.0.0.8", 6, 1, 2), true));
    }

    @Test
    void highAddressesCompareUnsigned() {
        TrafficSelector r = TrafficSelector.range("127.0.0.0", "200.0.0.0", 0, 0, 65535);
        assertTrue(r.matches(dst("128.0.0.1"), false));
        assertFalse(r.matches(dst("200.0.0.1"), false));
        TrafficSelector r6 = TrafficSelector.range("7fff::", "8001::", 0, 0, 65535);
        assertTrue(r6.matches(dst("8000::1"), false));
        assertFalse(r6.matches(dst("ff00::"), false));
        assertFalse(r6.matches(dst("::1"), false));
    }

    @Test
    void badRangesAreRefused() {
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                () -> TrafficSelector.range("10.0.0.1", "2001:db8::1", 0, 0, 65535));
        assertTrue(mixed.getMessage().contains("famil"), mixed.getMessage());
        IllegalArgumentException reversed = assertThrows(IllegalArgumentException.class,
                () -> TrafficSelector.range("10.0.0.9", "10.0.0.5", 0, 0, 65535));
        assertTrue(reversed.getMessage().contains("start"), reversed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrafficSelector.range("2001:db8::2", "2001:db8::1", 0, 0, 65535));
        assertThrows(IllegalArgumentException.class, () -> TrafficSelector.range("example.com", "10.0.0.1", 0, 0, 65535));
    }

    @ParameterizedTest
    @CsvSource({"-1,80", "0,65536", "81,80", "-5,-1", "70000,70000"})
    void badPortsAreRefused(int start, int end) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrafficSelector.cidr("10.0.0.0/8", 6, start, end));
        assertTrue(e.getMessage().contains("port"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 256, 1000})
    void badProtocolIsRefused(int protocol) {
        assertThrows(IllegalArgumentException.class, () -> TrafficSelector.cidr("10.0.0.0/8", protocol, 0, 65535));
    }

    @Test
    void badFamilyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TrafficSelector(5, 0, 0, 0, 0, 0, 0, 65535));
    }

    // ---- protocol and ports --------------------------------------------------------------------------------------

    @Test
    void protocolAndPortSelectors() {
        TrafficSelector https = TrafficSelector.cidr("192.0.2.0/24", 6, 443, 443);
        assertTrue(https.matches(key("10.0.0.1", "192.0.2.5", 6, 50000, 443), false));
        assertFalse(https.matches(key("10.0.0.1", "192.0.2.5", 17, 50000, 443), false), "UDP");
        assertFalse(https.matches(key("10.0.0.1", "192.0.2.5", 6, 50000, 444), false));
        assertFalse(https.matches(key("10.0.0.1", "192.0.2.5", 6, 443, 50000), false), "the destination port counts");
        assertTrue(https.matches(key("192.0.2.5", "10.0.0.1", 6, 443, 50000), true), "as source: the source port");

        TrafficSelector range = TrafficSelector.cidr("192.0.2.0/24", 17, 1000, 1999);
        assertFalse(range.matches(key("10.0.0.1", "192.0.2.5", 17, 1, 999), false));
        assertTrue(range.matches(key("10.0.0.1", "192.0.2.5", 17, 1, 1000), false));
        assertTrue(range.matches(key("10.0.0.1", "192.0.2.5", 17, 1, 1999), false));
        assertFalse(range.matches(key("10.0.0.1", "192.0.2.5", 17, 1, 2000), false));

        TrafficSelector anyProtoPorts = TrafficSelector.cidr("192.0.2.0/24", 0, 53, 53);
        assertTrue(anyProtoPorts.matches(key("10.0.0.1", "192.0.2.5", 17, 1, 53), false));
        assertTrue(anyProtoPorts.matches(key("10.0.0.1", "192.0.2.5", 6, 1, 53), false));
    }

    @Test
    void opaquePortsMatchOnlyAnyPortSelectors() {
        // RFC 4301 §4.4.1.1: a non-initial fragment has OPAQUE ports; only ANY matches OPAQUE.
        FlowKey frag = key("10.0.0.1", "192.0.2.5", 17, 0, 0);
        frag.portsKnown = false;
        assertFalse(TrafficSelector.cidr("192.0.2.0/24", 17, 0, 1000).matches(frag, false));
        assertFalse(TrafficSelector.cidr("192.0.2.0/24", 17, 0, 0).matches(frag, false));
        assertTrue(TrafficSelector.cidr("192.0.2.0/24", 17, 0, 65535).matches(frag, false));
        assertTrue(TrafficSelector.cidr("192.0.2.0/24").matches(frag, false));
    }

    @Test
    void icmpTypeAndCodeTravelInThePortFields() {
        // RFC 7296 §3.13.1: ICMP type in the high byte, code in the low byte. Echo request = type 8, code 0.
        TrafficSelector echo = TrafficSelector.cidr("192.0.2.0/24", 1, 0x0800, 0x08ff);
        assertTrue(echo.matches(key("10.0.0.1", "192.0.2.5", 1, 0x0800, 0x0800), false));
        assertFalse(echo.matches(key("10.0.0.1", "192.0.2.5", 1, 0x0000, 0x0000), false), "echo reply");
    }

    @Test
    void anyMatchesEmptyMeansAny() {
        FlowKey k = key("10.0.0.1", "192.0.2.5", 6, 1, 2);
        assertTrue(TrafficSelector.anyMatches(List.of(), k, true));
        assertFalse(TrafficSelector.anyMatches(List.of(TrafficSelector.cidr("172.16.0.0/12")), k, true));
        assertTrue(TrafficSelector.anyMatches(List.of(TrafficSelector.cidr("172.16.0.0/12"),
                TrafficSelector.cidr("10.0.0.0/8")), k, true));
        assertFalse(TrafficSelector.anyMatches(List.of(TrafficSelector.cidr("10.0.0.0/8")), k, false));
    }

    @Test
    void toStringShowsTheRange() {
        assertEquals("10.1.2.0-10.1.2.255/proto 6[443-443]", TrafficSelector.cidr("10.1.2.3/24", 6, 443, 443).toString());
        assertEquals("10.0.0.5-10.0.0.9", TrafficSelector.range("10.0.0.5", "10.0.0.9", 0, 0, 65535).toString());
    }
}
