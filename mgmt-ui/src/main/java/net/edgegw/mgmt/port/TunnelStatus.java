package net.edgegw.mgmt.port;

/**
 * The live state of one connection's tunnel, as the appliance reports it.
 *
 * @param state e.g. {@code ESTABLISHED}, {@code CONNECTING}, {@code DOWN}
 * @param drops packets dropped on this tunnel's SAs, all reasons together
 */
public record TunnelStatus(String name, String state, long bytesIn, long bytesOut, long packetsIn,
                           long packetsOut, long drops) {
}
