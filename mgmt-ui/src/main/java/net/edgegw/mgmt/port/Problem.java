package net.edgegw.mgmt.port;

/**
 * One thing wrong with a request or a transaction, tied to the field it concerns (RFC 9457 extension member
 * {@code errors}).
 *
 * @param field a JSON-pointer-like path such as {@code podCidr} or {@code connections/to-cloud/peer}
 */
public record Problem(String field, String message) {
}
