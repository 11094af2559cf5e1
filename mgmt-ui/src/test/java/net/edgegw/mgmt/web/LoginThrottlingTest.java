package net.edgegw.mgmt.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import net.edgegw.mgmt.testing.RunningServer;
import net.edgegw.mgmt.testing.RunningServer.Reply;
import org.junit.jupiter.api.Test;

/** After N failed logins the account (and the address) is refused with 429, even with the right password. */
class LoginThrottlingTest {
    /** A clock the test moves. */
    static final class ManualClock extends Clock {
        volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void fiveFailuresThenRefusedUntilTheWindowPasses() {
        ManualClock clock = new ManualClock();
        try (RunningServer s = RunningServer.start(o -> o.clock(clock)
                .loginThrottle(5, Duration.ofMinutes(15)))) {
            s.setUp();
            for (int i = 0; i < 5; i++) {
                assertEquals(401, s.login(RunningServer.ADMIN, "wrong password " + i).status());
            }
            Reply refused = s.login(RunningServer.ADMIN, RunningServer.ADMIN_PASSWORD);
            assertEquals(429, refused.status(), refused.body());
            long retry = Long.parseLong(refused.headers().get("Retry-After"));
            assertTrue(retry > 0 && retry <= 900, "Retry-After " + retry);
            assertEquals(429, s.login("someone-else", "x").status(), "the address is throttled too");
            assertTrue(s.backend.recent(100).stream().anyMatch(e -> e.action().equals("login.throttled")));
            assertEquals(5, s.backend.recent(100).stream().filter(e -> e.action().equals("login.failed")).count());

            clock.now = clock.now.plus(Duration.ofMinutes(16));
            assertEquals(200, s.login(RunningServer.ADMIN, RunningServer.ADMIN_PASSWORD).status());
        }
    }
}
