package net.edgegw.appliance.store;

import java.time.Instant;

/**
 * An API token as the store keeps it: only the hex SHA-256 of its secret (which has 256 random bits, shown once
 * when the token was created).
 */
public record AccountToken(String id, String name, String owner, String role, String secretHash, Instant created) {}
