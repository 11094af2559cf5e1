package net.edgegw.mgmt.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void perAccountAndPerAddressSlidingWindow() {
        Clock[] clock = {Clock.fixed(T0, ZoneOffset.UTC)};
        LoginThrottle t = new LoginThrottle(new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return clock[0].instant();
            }
        }, 3, Duration.ofMinutes(10));
        for (int i = 0; i < 3; i++) {
            assertEquals(Duration.ZERO, t.retryAfter("alice", "192.0.2.1"));
            t.failed("alice", "192.0.2.1");
        }
        assertEquals(Duration.ofMinutes(10), t.retryAfter("alice", "198.51.100.9"), "account locked everywhere");
        assertEquals(Duration.ofMinutes(10), t.retryAfter("bob", "192.0.2.1"), "address locked for everyone");
        assertEquals(Duration.ZERO, t.retryAfter("bob", "198.51.100.9"));

        clock[0] = Clock.fixed(T0.plus(Duration.ofMinutes(4)), ZoneOffset.UTC);
        assertEquals(Duration.ofMinutes(6), t.retryAfter("alice", "198.51.100.9"));
        clock[0] = Clock.fixed(T0.plus(Duration.ofMinutes(10)), ZoneOffset.UTC);
        assertEquals(Duration.ZERO, t.retryAfter("alice", "192.0.2.1"), "oldest failure left the window");

        t.failed("carol", "203.0.113.5");
        t.failed("carol", "203.0.113.5");
        t.succeeded("carol");
        t.failed("carol", "203.0.113.6");
        t.failed("carol", "203.0.113.7");
        assertTrue(t.retryAfter("carol", "203.0.113.8").isZero(), "success cleared the account's count");
    }

    @Test
    void ipv6SourcesCountPerSlash64() {
        LoginThrottle t = new LoginThrottle(Clock.fixed(T0, ZoneOffset.UTC), 3, Duration.ofMinutes(10));
        for (int i = 1; i <= 3; i++) {
            t.failed("user" + i, "2001:db8:1:2::" + i);
        }
        assertEquals(Duration.ofMinutes(10), t.retryAfter("someone", "2001:db8:1:2:ffff::9"),
                "a new address in the same /64 is the same source");
        assertEquals(Duration.ZERO, t.retryAfter("someone", "2001:db8:1:3::1"), "the next /64 is another");
        assertEquals("2001:db8:1:2::/64", LoginThrottle.network("2001:0db8:0001:0002:aaaa::1"));
        assertEquals("192.0.2.1", LoginThrottle.network("192.0.2.1"));
        // IPv4 clients on a dual-stack socket must not all fall into ::ffff:0:0/64 (one bucket for every v4 user).
        assertEquals("::ffff:192.0.2.1", LoginThrottle.network("::ffff:192.0.2.1"));
        t.failed("x", "::ffff:192.0.2.1");
        t.failed("y", "::ffff:192.0.2.1");
        t.failed("z", "::ffff:192.0.2.1");
        assertEquals(Duration.ZERO, t.retryAfter("someone", "::ffff:192.0.2.2"), "another IPv4 client is not held");
    }
}
