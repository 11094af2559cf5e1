package net.edgegw.mgmt.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
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
 * clears the account's failures (not the address's). IPv6 sources count per /64.
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
        Duration b = wait("addr:" + network(address), now);
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * The address as the throttle counts it: an IPv4 address alone, an IPv6 address by its /64 (one site or
     * host usually holds a whole /64, so counting single addresses would give an attacker 2^64 fresh tries).
     */
    static String network(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return address;
        }
        try {
            byte[] a = InetAddress.getByName(address).getAddress(); // a literal: no name lookup
            if (a.length != 16) {
                return address;
            }
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                b.append(Integer.toHexString(((a[i] & 0xff) << 8) | (a[i + 1] & 0xff))).append(':');
            }
            return b.append(":/64").toString();
        } catch (UnknownHostException e) {
            return address;
        }
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
        record("addr:" + network(address), now);
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
