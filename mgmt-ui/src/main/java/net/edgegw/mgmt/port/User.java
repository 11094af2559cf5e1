package net.edgegw.mgmt.port;

import java.time.Instant;

/**
 * An administrator account.
 *
 * @param passwordHash a PHC-format Argon2id string ({@code $argon2id$v=19$m=...,t=...,p=...$salt$hash})
 */
public record User(String name, Role role, String passwordHash, Instant created) {
}
