/**
 * The backend port of the management server: what the REST API and the admin panel need from the appliance,
 * as small records and interfaces. The appliance adapts its H2 config store, its IKE/data-plane status and its
 * user table to {@link net.edgegw.mgmt.port.Backend}; {@link net.edgegw.mgmt.port.InMemoryBackend} is the fake
 * used by the tests and by the standalone {@code main}.
 *
 * <p>Every method is blocking and may be called from any worker thread; implementations are thread-safe.
 */
package net.edgegw.mgmt.port;
