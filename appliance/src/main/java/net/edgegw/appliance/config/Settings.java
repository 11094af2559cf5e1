package net.edgegw.appliance.config;

import java.util.List;

/** Appliance-wide settings: which interface plays which role, the data-plane backend, logging. */
public record Settings(List<NetworkInterface> interfaces, DataPlane dataPlane, Logging logging) {

    public static final Settings DEFAULT = new Settings(List.of(), DataPlane.DEFAULT, Logging.DEFAULT);

    public Settings {
        interfaces = List.copyOf(interfaces == null ? List.of() : interfaces);
        dataPlane = dataPlane == null ? DataPlane.DEFAULT : dataPlane;
        logging = logging == null ? Logging.DEFAULT : logging;
    }

    public enum Role { WAN, LAN, MGMT }

    /** A network interface by its Linux name and the role it plays. */
    public record NetworkInterface(String name, Role role) {}

    public enum Backend { TUN, DPDK }

    /** The packet I/O backend and the number of workers (0 = one per core). */
    public record DataPlane(Backend backend, int workers) {
        public static final DataPlane DEFAULT = new DataPlane(Backend.TUN, 0);

        public DataPlane {
            backend = backend == null ? Backend.TUN : backend;
        }
    }

    public enum Level { ERROR, WARNING, INFO, DEBUG, TRACE }

    /** Log level and how often the data-plane status line is written (seconds, 0 = never). */
    public record Logging(Level level, int statusIntervalSeconds) {
        public static final Logging DEFAULT = new Logging(Level.INFO, 5);

        public Logging {
            level = level == null ? Level.INFO : level;
        }
    }
}
