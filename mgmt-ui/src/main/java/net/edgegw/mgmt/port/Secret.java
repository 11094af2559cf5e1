package net.edgegw.mgmt.port;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A write-only value of the configuration (a peer's pre-shared key): the API takes it in and never gives it back.
 * {@link #toString()} never shows it, so items holding one can be logged or printed; {@link #equals} compares in
 * constant time, so a revision diff can tell that it changed without showing it.
 */
public final class Secret {
    public static final String REDACTED = "******";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "secret value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The value itself: only for the store that seals it. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), s.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return 0x5ec; // a hash of the value would leak a little of it through hash-ordered structures
    }

    @Override
    public String toString() {
        return REDACTED;
    }
}
