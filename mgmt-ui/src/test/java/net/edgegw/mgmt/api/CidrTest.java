package net.edgegw.mgmt.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CidrTest {
    private static Cidr ok(String s) {
        String[] why = new String[1];
        Cidr c = Cidr.parse(s, why);
        assertNotNull(c, s + ": " + why[0]);
        return c;
    }

    private static String bad(String s) {
        String[] why = new String[1];
        assertNull(Cidr.parse(s, why), s);
        return why[0];
    }

    @Test
    void parsesLiteralsOnlyWithHostBitsClear() {
        assertEquals(16, ok("10.244.0.0/16").prefix());
        assertEquals(0, ok("0.0.0.0/0").prefix());
        assertEquals(64, ok("fd00:1::/64").prefix());
        assertTrue(bad("10.244.0.1/16").contains("10.244.0.0/16"));
        assertTrue(bad("10.0.0.0/33").contains("0..32"));
        assertTrue(bad("10.0.0.0").contains("prefix"));
        assertTrue(bad("256.0.0.0/8").contains("not an IPv4 or IPv6 address"));
        bad("010.0.0.0/8");
        bad("localhost/8");
        bad("example.com/24");
        bad("fd00::/129");
        bad("10.0.0.0/-1");
    }

    @Test
    void overlap() {
        assertTrue(ok("10.0.0.0/8").overlaps(ok("10.96.0.0/12")));
        assertTrue(ok("10.96.0.0/12").overlaps(ok("10.0.0.0/8")));
        assertFalse(ok("10.244.0.0/16").overlaps(ok("10.96.0.0/12")));
        assertFalse(ok("10.0.0.0/8").overlaps(ok("fd00::/8")));
        assertTrue(ok("0.0.0.0/0").overlaps(ok("192.0.2.0/24")));
    }
}
