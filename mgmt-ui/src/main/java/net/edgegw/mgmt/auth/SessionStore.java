package net.edgegw.mgmt.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions, in memory (a restart logs everybody out). Idle sessions expire after {@code idle}, all after
 * {@code absolute}. Keyed by the SHA-256 of the session id so that a heap dump does not hand out live cookies.
 */
public final class SessionStore {
    public static final String COOKIE = "__Host-edgegw-session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** Sessions are dropped lazily when looked up; past this many, creating one first sweeps expired ones. */
    private static final int PURGE_ABOVE = 1000;

    private final Clock clock;
    private final Secrets secrets;
    private final Duration idle;
    private final Duration absolute;
    private final Map<String, Session> byIdHash = new ConcurrentHashMap<>();

    public SessionStore(Clock clock, Secrets secrets, Duration idle, Duration absolute) {
        this.clock = clock;
        this.secrets = secrets;
        this.idle = idle;
        this.absolute = absolute;
    }

    public Session create(String user) {
        Instant now = clock.instant();
        if (byIdHash.size() >= PURGE_ABOVE) {
            byIdHash.values().removeIf(s -> expired(s, now));
        }
        Session s = new Session(secrets.next(), user, secrets.next(), now, now);
        byIdHash.put(Secrets.sha256Hex(s.id()), s);
        return s;
    }

    /** The live session for a cookie value, touched; empty if unknown or expired. */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        String key = Secrets.sha256Hex(id);
        Session s = byIdHash.get(key);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(s, now)) {
            byIdHash.remove(key);
            return Optional.empty();
        }
        Session t = s.touched(now);
        byIdHash.put(key, t);
        return Optional.of(t);
    }

    private boolean expired(Session s, Instant now) {
        return s.lastSeen().plus(idle).isBefore(now) || s.created().plus(absolute).isBefore(now);
    }

    public void remove(String id) {
        byIdHash.remove(Secrets.sha256Hex(id));
    }

    /** Ends every session of a user (deleted, role or password changed). */
    public void removeUser(String user) {
        removeUser(user, null);
    }

    /**
     * Ends every session of {@code user} but {@code keep} (the session making the change, when the user changes
     * their own password; {@code null}: none kept). Other users' sessions and every API token stay.
     */
    public void removeUser(String user, Session keep) {
        String kept = keep == null ? null : keep.id();
        byIdHash.values().removeIf(s -> s.user().equals(user) && !s.id().equals(kept));
    }

    public Duration maxAge() {
        return absolute;
    }
}
