package net.edgegw.mgmt.port;

import java.time.Instant;

/**
 * A bearer token for automation. Only its hash is stored; the secret is shown once, when it is created.
 *
 * @param id        public identifier, used to list and revoke it
 * @param owner     the user who created it; the token dies with that user
 * @param role      what it may do (never more than its owner)
 * @param secretHash hex SHA-256 of the secret (the secret has 256 random bits, so a fast hash is enough)
 */
public record ApiToken(String id, String name, String owner, Role role, String secretHash, Instant created) {
}
