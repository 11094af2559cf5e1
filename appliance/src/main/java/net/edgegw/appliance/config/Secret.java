package net.edgegw.appliance.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A secret value of the configuration (a pre-shared key, a private key, a pepper). Its {@link #toString()} never
 * shows the value, so records that hold one can be logged and printed safely; the value leaves only through
 * {@link #reveal()}, which the store (to encrypt it) and the IKE daemon (to use it) call.
 */
public final class Secret {
    /** What every secret prints as. */
    public static final String REDACTED = "******";

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        if (value == null) {
            throw new NullPointerException("secret value");
        }
        return new Secret(value);
    }

    /** The secret itself: only for encrypting it at rest or handing it to the code that uses it. */
    public String reveal() {
        return value;
    }

    public int length() {
        return value.length();
    }

    public boolean isBlank() {
        return value.isBlank();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), s.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return 0x5ec; // constant: a hash of the value would leak a little of it through hash-ordered structures
    }

    @Override
    public String toString() {
        return REDACTED;
    }
}
