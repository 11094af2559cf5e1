/**
 * The REST API under {@code /api/v1}: one {@link net.edgegw.mgmt.web.RouteTable} per resource. Handlers validate
 * the whole body first (every bad field reported at once, RFC 9457 {@code errors}), then make one backend call.
 */
package net.edgegw.mgmt.api;
