package net.edgegw.mgmt.auth;

import net.edgegw.mgmt.port.Role;

/**
 * Who makes a request and with what rights.
 *
 * @param session the browser session, or {@code null} for a bearer token
 * @param tokenId the API token's id, or {@code null} for a browser session
 */
public record Principal(String user, Role role, Session session, String tokenId) {
    public boolean browser() {
        return session != null;
    }
}
