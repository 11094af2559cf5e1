/**
 * Authentication and authorisation of the management server: Argon2id password hashes, first-boot setup token,
 * browser sessions with CSRF tokens, hashed API bearer tokens, roles, login throttling.
 */
package net.edgegw.mgmt.auth;
