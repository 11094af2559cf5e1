package net.edgegw.mgmt.port;

import java.util.List;

/**
 * Appliance-wide settings: which network interface plays which role, the data plane, logging. Enumerations are
 * lower case, as in the appliance's YAML.
 *
 * @param interfaces            Linux interface names with their role
 * @param backend               packet I/O: {@code tun} or {@code dpdk}
 * @param workers               data-plane workers, 0 = one per core
 * @param logLevel              {@code error}, {@code warning}, {@code info}, {@code debug} or {@code trace}
 * @param statusIntervalSeconds how often the data-plane status line is logged, 0 = never
 */
public record Settings(List<NetworkInterface> interfaces, String backend, int workers, String logLevel,
                       int statusIntervalSeconds) {
    public static final List<String> ROLES = List.of("wan", "lan", "mgmt");
    public static final List<String> BACKENDS = List.of("tun", "dpdk");
    public static final List<String> LEVELS = List.of("error", "warning", "info", "debug", "trace");
    /** What a fresh appliance runs with. */
    public static final Settings DEFAULT = new Settings(List.of(), "tun", 0, "info", 5);

    public Settings {
        interfaces = List.copyOf(interfaces);
    }

    /** @param role {@code wan}, {@code lan} or {@code mgmt} */
    public record NetworkInterface(String name, String role) {
    }
}
