package net.edgegw.appliance.mgmt;

import java.util.Locale;
import net.edgegw.appliance.config.Outcome;
import net.edgegw.appliance.config.Settings;
import net.edgegw.mgmt.port.CommitResult;
import net.edgegw.mgmt.port.SettingsStore;

/** The port's {@link SettingsStore} over the configuration's {@link Settings}; a replace is one revision. */
final class StoreSettings implements SettingsStore {
    private final StoreBackend backend;

    StoreSettings(StoreBackend backend) {
        this.backend = backend;
    }

    static net.edgegw.mgmt.port.Settings toPort(Settings s) {
        return new net.edgegw.mgmt.port.Settings(s.interfaces().stream()
                .map(n -> new net.edgegw.mgmt.port.Settings.NetworkInterface(n.name(), lower(n.role())))
                .toList(), lower(s.dataPlane().backend()), s.dataPlane().workers(), lower(s.logging().level()),
                s.logging().statusIntervalSeconds());
    }

    static Settings fromPort(net.edgegw.mgmt.port.Settings s) {
        return new Settings(s.interfaces().stream().map(n -> new Settings.NetworkInterface(n.name(),
                        Settings.Role.valueOf(upper(n.role())))).toList(),
                new Settings.DataPlane(Settings.Backend.valueOf(upper(s.backend())), s.workers()),
                new Settings.Logging(Settings.Level.valueOf(upper(s.logLevel())), s.statusIntervalSeconds()));
    }

    private static String lower(Enum<?> e) {
        return e == null ? "" : e.name().toLowerCase(Locale.ROOT);
    }

    private static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    @Override
    public net.edgegw.mgmt.port.Settings settings() {
        return toPort(backend.current().settings());
    }

    @Override
    public CommitResult replace(net.edgegw.mgmt.port.Settings settings, String author, String source) {
        Settings next;
        try {
            next = fromPort(settings);
        } catch (IllegalArgumentException e) { // a role, backend or level the port did not check
            return new CommitResult.Rejected(java.util.List.of(new net.edgegw.mgmt.port.Problem("settings",
                    "unknown role, backend or log level")));
        }
        return backend.commit(cfg -> Outcome.of(cfg.withSettings(next)), author, "update settings", source);
    }
}
