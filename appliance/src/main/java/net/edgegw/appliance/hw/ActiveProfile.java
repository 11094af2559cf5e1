package net.edgegw.appliance.hw;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The profile applied at boot, as the admin panel shows it: written by {@code HwProfileCli apply} to
 * {@code /run/edgegw/hw-profile.properties} (root, before the gateway starts) and read back by the unprivileged
 * daemon through {@link #read}.
 *
 * @param warnings what the operator should know, e.g. "CPU has no AES instructions: ESP ... will be slow"
 * @param matchedBy how the profile matched this machine, e.g. "dmi sys_vendor=QEMU" or "fallback"
 * @param watchdog the hardware watchdog device the profile names ("none" if it has none)
 */
public record ActiveProfile(String profile, String description, List<String> missingFeatures, List<String> warnings,
                            String backend, int workers, String matchedBy, List<String> expectedFeatures,
                            String watchdog) {
    public static final String FILE = "hw-profile.properties";

    public static ActiveProfile of(ProfileSelection s) {
        HwProfile p = s.profile();
        return new ActiveProfile(p.name(), p.description(), s.missingFeatures(), s.warnings(),
                p.backend().name().toLowerCase(java.util.Locale.ROOT), p.workers(), matchedBy(p.match()),
                p.expectedCpuFeatures(), p.watchdog());
    }

    static String matchedBy(HwProfile.Match m) {
        if (m.fallback()) {
            return "fallback (no more specific profile matched)";
        }
        if (!m.deviceTreeCompatible().isEmpty()) {
            return "device-tree compatible " + String.join(" | ", m.deviceTreeCompatible());
        }
        StringBuilder b = new StringBuilder("dmi");
        m.dmi().forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        return b.toString();
    }

    public void write(Path runDir) throws IOException {
        Properties props = new Properties();
        props.setProperty("profile", profile);
        props.setProperty("description", description);
        props.setProperty("missing", String.join(",", missingFeatures));
        props.setProperty("backend", backend);
        props.setProperty("workers", Integer.toString(workers));
        props.setProperty("matched", matchedBy);
        props.setProperty("expected", String.join(",", expectedFeatures));
        props.setProperty("watchdog", watchdog);
        for (int i = 0; i < warnings.size(); i++) {
            props.setProperty("warning." + i, warnings.get(i));
        }
        Path tmp = runDir.resolve(FILE + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            props.store(w, "edgegw hardware profile applied at boot");
        }
        Files.move(tmp, runDir.resolve(FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The profile applied at boot, or empty when none was (not on the appliance, or no profile matched). */
    public static Optional<ActiveProfile> read(Path runDir) throws IOException {
        Path f = runDir.resolve(FILE);
        if (!Files.isReadable(f)) {
            return Optional.empty();
        }
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            props.load(r);
        }
        List<String> warnings = new ArrayList<>();
        for (int i = 0; props.containsKey("warning." + i); i++) {
            warnings.add(props.getProperty("warning." + i));
        }
        return Optional.of(new ActiveProfile(props.getProperty("profile", ""), props.getProperty("description", ""),
                list(props.getProperty("missing", "")), warnings, props.getProperty("backend", "tun"),
                Integer.parseInt(props.getProperty("workers", "0")), props.getProperty("matched", ""),
                list(props.getProperty("expected", "")), props.getProperty("watchdog", "none")));
    }

    private static List<String> list(String csv) {
        return csv.isEmpty() ? List.of() : List.of(csv.split(","));
    }
}
