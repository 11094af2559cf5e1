package net.edgegw.mgmt.port;

import java.util.Locale;
import java.util.Optional;

/** What a user or an API token may do; each role includes the ones below it. */
public enum Role {
    /** Reads configuration, status and revisions. */
    VIEWER,
    /** Also acts on the running system (tunnel restarts). */
    OPERATOR,
    /** Also changes configuration, users and tokens. */
    ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> of(String id) {
        for (Role r : values()) {
            if (r.id().equals(id)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
