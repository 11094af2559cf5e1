package net.edgegw.dataplane.spd;

import static net.edgegw.dataplane.spd.TrafficSelector.cidr;
import static net.edgegw.dataplane.spd.TrafficSelectorTest.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.edgegw.dataplane.sa.Direction;
import net.edgegw.dataplane.sa.SaConfig;
import net.edgegw.dataplane.sa.SecurityAssociation;
import org.junit.jupiter.api.Test;

/** The SPD (RFC 4301 §4.4.1): ordered, first match wins, no match means discard. */
class SpdTest {

    private static Policy policy(String name, String local, String remote, Action action) {
        return new Policy(name, List.of(cidr(local)), List.of(cidr(remote)), action);
    }

    /** A packet leaving this gateway from {@code src} to {@code dst} (UDP 1000 -> 2000). */
    private static FlowKey out(String src, String dst) {
        return key(src, dst, 17, 1000, 2000);
    }

    private static FlowKey mirror(FlowKey k) {
        FlowKey m = new FlowKey();
        m.family = k.family;
        m.srcHi = k.dstHi;
        m.srcLo = k.dstLo;
        m.dstHi = k.srcHi;
        m.dstLo = k.srcLo;
        m.protocol = k.protocol;
        m.srcPort = k.dstPort;
        m.dstPort = k.srcPort;
        m.portsKnown = k.portsKnown;
        return m;
    }

    @Test
    void firstMatchWins() {
        Spd spd = new Spd();
        Policy narrow = policy("narrow", "10.0.0.0/24", "192.168.1.0/24", Action.BYPASS);
        Policy wide = policy("wide", "10.0.0.0/8", "192.168.0.0/16", Action.PROTECT);
        Policy all = policy("all", "0.0.0.0/0", "0.0.0.0/0", Action.DISCARD);
        spd.add(narrow);
        spd.add(wide);
        spd.add(all);
        assertSame(narrow, spd.lookupOutbound(out("10.0.0.5", "192.168.1.9")));
        assertSame(wide, spd.lookupOutbound(out("10.0.1.5", "192.168.1.9")));
        assertSame(wide, spd.lookupOutbound(out("10.0.0.5", "192.168.2.9")));
        assertSame(all, spd.lookupOutbound(out("172.16.0.1", "192.168.1.9")));
        assertEquals(Action.BYPASS, spd.lookupOutbound(out("10.0.0.5", "192.168.1.9")).action());
        assertEquals(Action.PROTECT, spd.lookupOutbound(out("10.0.1.5", "192.168.1.9")).action());
        assertEquals(Action.DISCARD, spd.lookupOutbound(out("172.16.0.1", "1.1.1.1")).action());
    }

    @Test
    void orderIsTheInsertionOrderNotTheSpecificity() {
        Spd spd = new Spd();
        Policy wide = policy("wide", "10.0.0.0/8", "192.168.0.0/16", Action.PROTECT);
        Policy narrow = policy("narrow", "10.0.0.0/24", "192.168.1.0/24", Action.BYPASS);
        spd.add(wide);
        spd.add(narrow);
        assertSame(wide, spd.lookupOutbound(out("10.0.0.5", "192.168.1.9")), "the earlier entry shadows the later");
    }

    @Test
    void addAtAnIndex() {
        Spd spd = new Spd();
        Policy wide = policy("wide", "10.0.0.0/8", "192.168.0.0/16", Action.PROTECT);
        Policy narrow = policy("narrow", "10.0.0.0/24", "192.168.1.0/24", Action.BYPASS);
        Policy last = policy("last", "0.0.0.0/0", "0.0.0.0/0", Action.DISCARD);
        spd.add(wide);
        spd.add(0, narrow);
        spd.add(99, last); // past the end: appended
        assertEquals(List.of(narrow, wide, last), spd.list());
        assertSame(narrow, spd.lookupOutbound(out("10.0.0.5", "192.168.1.9")));
        Policy middle = policy("middle", "10.0.0.0/16", "192.168.0.0/16", Action.DISCARD);
        spd.add(1, middle);
        assertEquals(List.of(narrow, middle, wide, last), spd.list());
        assertSame(middle, spd.lookupOutbound(out("10.0.1.5", "192.168.1.9")));
    }

    @Test
    void noMatchIsNull() {
        Spd spd = new Spd();
        assertNull(spd.lookupOutbound(out("10.0.0.1", "10.0.0.2")), "empty SPD");
        assertNull(spd.lookupInbound(out("10.0.0.1", "10.0.0.2")));
        spd.add(policy("p", "10.0.0.0/24", "192.168.1.0/24", Action.PROTECT));
        assertNull(spd.lookupOutbound(out("10.0.0.1", "192.168.2.1")), "remote side differs");
        assertNull(spd.lookupOutbound(out("10.0.1.1", "192.168.1.1")), "local side differs");
        assertNull(spd.lookupOutbound(out("192.168.1.1", "10.0.0.1")), "reversed direction");
        assertNull(spd.lookupOutbound(key("::1", "::2", 17, 1, 2)), "other family");
    }

    @Test
    void emptySelectorListMeansAny() {
        Spd spd = new Spd();
        Policy p = new Policy("any", List.of(), List.of(cidr("192.168.0.0/16")), Action.PROTECT);
        spd.add(p);
        assertSame(p, spd.lookupOutbound(out("10.9.9.9", "192.168.3.3")));
        assertNull(spd.lookupOutbound(key("2001:db8::1", "::1", 17, 1, 2)), "an IPv4 remote selector, IPv6 packet");
    }

    @Test
    void protocolAndPortSelectors() {
        Spd spd = new Spd();
        Policy dns = new Policy("dns", List.of(cidr("10.0.0.0/8")), List.of(cidr("192.0.2.53/32", 17, 53, 53)),
                Action.BYPASS);
        Policy ssh = new Policy("ssh", List.of(cidr("10.0.0.0/8", 6, 22, 22)), List.of(cidr("0.0.0.0/0")),
                Action.DISCARD);
        Policy rest = policy("rest", "10.0.0.0/8", "0.0.0.0/0", Action.PROTECT);
        spd.add(dns);
        spd.add(ssh);
        spd.add(rest);
        assertSame(dns, spd.lookupOutbound(key("10.1.1.1", "192.0.2.53", 17, 40000, 53)));
        assertSame(rest, spd.lookupOutbound(key("10.1.1.1", "192.0.2.53", 6, 40000, 53)), "TCP DNS");
        assertSame(rest, spd.lookupOutbound(key("10.1.1.1", "192.0.2.53", 17, 53, 40000)), "port on the wrong side");
        assertSame(ssh, spd.lookupOutbound(key("10.1.1.1", "203.0.113.1", 6, 22, 51000)), "local port 22");
        assertSame(rest, spd.lookupOutbound(key("10.1.1.1", "203.0.113.1", 6, 51000, 22)));
        FlowKey fragment = key("10.1.1.1", "192.0.2.53", 17, 0, 0);
        fragment.portsKnown = false;
        assertSame(rest, spd.lookupOutbound(fragment), "OPAQUE ports skip port-specific entries");
    }

    @Test
    void inboundLookupSeesTheRemoteAsSource() {
        Spd spd = new Spd();
        Policy p = new Policy("web", List.of(cidr("10.0.0.0/8", 6, 443, 443)), List.of(cidr("192.168.0.0/16")),
                Action.PROTECT);
        spd.add(p);
        FlowKey in = key("192.168.5.5", "10.2.2.2", 6, 50000, 443);
        assertSame(p, spd.lookupInbound(in));
        assertNull(spd.lookupOutbound(in));
        assertSame(p, spd.lookupOutbound(mirror(in)));
        assertNull(spd.lookupInbound(mirror(in)));
    }

    @Test
    void matchesInboundMirrorsMatchesOutbound() {
        SplittableRandom rnd = new SplittableRandom(4301);
        List<Policy> policies = List.of(
                policy("a", "10.0.0.0/8", "192.168.0.0/16", Action.PROTECT),
                new Policy("b", List.of(cidr("10.1.0.0/16", 6, 0, 1023), cidr("10.2.0.0/16")),
                        List.of(cidr("192.168.1.0/24", 0, 443, 443)), Action.BYPASS),
                new Policy("c", List.of(), List.of(TrafficSelector.range("10.0.0.100", "192.168.0.100", 17, 1000, 2000)),
                        Action.DISCARD),
                new Policy("d", List.of(cidr("2001:db8::/32")), List.of(cidr("::/0", 58, 0x8000, 0x80ff)),
                        Action.PROTECT));
        String[] v4 = {"10.0.0.1", "10.1.2.3", "10.2.0.9", "192.168.1.1", "192.168.0.100", "172.16.0.1", "10.0.0.100"};
        String[] v6 = {"2001:db8::1", "2001:db9::1", "::1", "fe80::1"};
        int[] protocols = {1, 6, 17, 58, 50};
        int[] ports = {0, 22, 443, 1000, 1500, 2000, 2001, 0x8000, 65535};
        int matches = 0;
        for (int i = 0; i < 20000; i++) {
            String[] fam = rnd.nextBoolean() ? v4 : v6;
            FlowKey k = key(fam[rnd.nextInt(fam.length)], fam[rnd.nextInt(fam.length)],
                    protocols[rnd.nextInt(protocols.length)], ports[rnd.nextInt(ports.length)],
                    ports[rnd.nextInt(ports.length)]);
            k.portsKnown = rnd.nextInt(8) != 0;
            for (Policy p : policies) {
                boolean o = p.matchesOutbound(k);
                assertEquals(o, p.matchesInbound(mirror(k)), () -> p + " " + k);
                matches += o ? 1 : 0;
            }
        }
        assertTrue(matches > 1000, "the generator must hit the policies: " + matches);
    }

    @Test
    void duplicateNameIsRefused() {
        Spd spd = new Spd();
        Policy a = policy("p", "10.0.0.0/8", "192.168.0.0/16", Action.PROTECT);
        spd.add(a);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> spd.add(policy("p", "172.16.0.0/12", "0.0.0.0/0", Action.BYPASS)));
        assertTrue(e.getMessage().contains("'p'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> spd.add(0, policy("p", "1.0.0.0/8", "2.0.0.0/8", Action.DISCARD)));
        assertEquals(List.of(a), spd.list());
    }

    @Test
    void findAndRemove() {
        Spd spd = new Spd();
        Policy a = policy("a", "10.0.0.0/8", "192.168.0.0/16", Action.PROTECT);
        Policy b = policy("b", "10.0.0.0/8", "0.0.0.0/0", Action.BYPASS);
        spd.add(a);
        spd.add(b);
        assertSame(b, spd.find("b"));
        assertNull(spd.find("c"));
        assertTrue(spd.remove("a"));
        assertFalse(spd.remove("a"));
        assertNull(spd.find("a"));
        assertSame(b, spd.lookupOutbound(out("10.0.0.1", "192.168.0.1")));
        spd.add(a); // the name is free again
        assertEquals(List.of(b, a), spd.list());
    }

    @Test
    void replaceAllSwapsTheWholeList() {
        Spd spd = new Spd();
        spd.add(policy("old", "10.0.0.0/8", "0.0.0.0/0", Action.DISCARD));
        Policy n = policy("new", "10.0.0.0/8", "0.0.0.0/0", Action.BYPASS);
        List<Policy> commit = new ArrayList<>(List.of(n));
        spd.replaceAll(commit);
        commit.clear();
        assertEquals(List.of(n), spd.list(), "the SPD keeps its own copy");
        assertSame(n, spd.lookupOutbound(out("10.0.0.1", "1.1.1.1")));
    }

    @Test
    void onlyProtectPoliciesTakeAnSa() {
        SecurityAssociation sa = new SecurityAssociation(SaConfig.builder().spi(0x1000).direction(Direction.OUTBOUND)
                .encKey(new byte[20]).src("192.0.2.1").dst("192.0.2.2").build(), 0);
        Policy protect = policy("protect", "10.0.0.0/8", "0.0.0.0/0", Action.PROTECT);
        assertNull(protect.outboundSa());
        protect.outboundSa(sa);
        assertSame(sa, protect.outboundSa());
        protect.outboundSa(null); // SA deleted, none yet in its place
        assertNull(protect.outboundSa());
        for (Action a : List.of(Action.BYPASS, Action.DISCARD)) {
            Policy p = policy("p", "10.0.0.0/8", "0.0.0.0/0", a);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.outboundSa(sa));
            assertTrue(e.getMessage().contains(a.toString()), e.getMessage());
            assertNull(p.outboundSa());
        }
    }

    @Test
    void listIsASnapshot() {
        Spd spd = new Spd();
        Policy a = policy("a", "10.0.0.0/8", "0.0.0.0/0", Action.PROTECT);
        Policy b = policy("b", "172.16.0.0/12", "0.0.0.0/0", Action.BYPASS);
        spd.add(a);
        List<Policy> before = spd.list();
        spd.add(0, b);
        spd.remove("a");
        assertEquals(List.of(a), before, "a reader's snapshot never changes under it");
        assertEquals(List.of(b), spd.list());
        assertThrows(UnsupportedOperationException.class, () -> before.add(b));
        assertEquals(List.of(b), spd.list());
    }

    @Test
    void policyCopiesItsSelectorLists() {
        List<TrafficSelector> local = new ArrayList<>(List.of(cidr("10.0.0.0/8")));
        Policy p = new Policy("p", local, List.of(), Action.PROTECT);
        local.set(0, cidr("0.0.0.0/0"));
        assertFalse(p.matchesOutbound(out("172.16.0.1", "1.1.1.1")));
        assertTrue(p.matchesOutbound(out("10.0.0.1", "1.1.1.1")));
    }
}
