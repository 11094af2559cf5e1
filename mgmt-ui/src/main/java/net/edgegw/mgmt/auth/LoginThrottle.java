package net.edgegw.mgmt.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Slows password guessing: after {@code maxFailures} failed logins within {@code window} for one account, or for
 * one source address, further attempts for it are refused until the oldest failure leaves the window. Both keys
 * count, so spraying one password over many accounts from one address is throttled too. A successful login
 * clears the account's failures (not the address's).
 */
public final class LoginThrottle {
    private static final int MAX_TRACKED = 10_000;

    private final Clock clock;
    private final int maxFailures;
    private final Duration window;
    private final Map<String, Deque<Instant>> failures = new HashMap<>();

    public LoginThrottle(Clock clock, int maxFailures, Duration window) {
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.window = window;
    }

    /** How long the caller must wait before trying again for this account or address; zero if it may try now. */
    public synchronized Duration retryAfter(String account, String address) {
        Instant now = clock.instant();
        Duration a = wait("user:" + account, now);
        Duration b = wait("addr:" + address, now);
        return a.compareTo(b) >= 0 ? a : b;
    }

    private Duration wait(String key, Instant now) {
        Deque<Instant> d = failures.get(key);
        if (d == null) {
            return Duration.ZERO;
        }
        prune(d, now);
        if (d.size() < maxFailures) {
            return Duration.ZERO;
        }
        return Duration.between(now, d.peekFirst().plus(window));
    }

    private void prune(Deque<Instant> d, Instant now) {
        while (!d.isEmpty() && !d.peekFirst().plus(window).isAfter(now)) {
            d.pollFirst();
        }
    }

    public synchronized void failed(String account, String address) {
        Instant now = clock.instant();
        if (failures.size() > MAX_TRACKED) {
            evictIdle(now);
        }
        record("user:" + account, now);
        record("addr:" + address, now);
    }

    private void record(String key, Instant now) {
        Deque<Instant> d = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        prune(d, now);
        d.addLast(now);
        if (d.size() > maxFailures) {
            d.pollFirst();
        }
    }

    private void evictIdle(Instant now) {
        for (Iterator<Deque<Instant>> it = failures.values().iterator(); it.hasNext(); ) {
            Deque<Instant> d = it.next();
            prune(d, now);
            if (d.isEmpty()) {
                it.remove();
            }
        }
    }

    public synchronized void succeeded(String account) {
        failures.remove("user:" + account);
    }
}
