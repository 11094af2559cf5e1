package net.edgegw.appliance.store;

import java.time.Instant;

/**
 * A management user as the store keeps it.
 *
 * @param role         the management role's id (viewer, operator, admin)
 * @param passwordHash an Argon2id PHC string; the password itself is never stored
 */
public record Account(String name, String role, String passwordHash, Instant created) {}
