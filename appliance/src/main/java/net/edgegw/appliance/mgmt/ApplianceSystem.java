package net.edgegw.appliance.mgmt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import net.edgegw.appliance.hw.ActiveProfile;
import net.edgegw.appliance.update.BootControl;
import net.edgegw.appliance.update.SlotInstaller;
import net.edgegw.appliance.update.UpdateBundle;
import net.edgegw.appliance.update.UpdateKeys;
import net.edgegw.mgmt.port.SystemControl;

/**
 * The appliance's {@link SystemControl} over the {@code update} and {@code hw} packages. Every upload is verified
 * here ({@link UpdateBundle#verify}: signature, framing, hashes) before anything else happens; then one of two
 * writers takes it:
 * <ul>
 *   <li>{@link Writer#DROP_FOLDER} — the image: the daemon runs unprivileged, so it moves the verified bundle to
 *       {@code <data>/update/bundle}, where {@code edgegw-update.path} starts the root {@code BundleCli install}
 *       (which verifies again, writes the inactive slot and arms the one-shot boot) and writes
 *       {@code <data>/update/result}; a reboot is asked for by {@code <data>/update/reboot}
 *       ({@code edgegw-reboot.path}).</li>
 *   <li>{@link Writer#DIRECT} — a root process (and the tests): {@link SlotInstaller} in this process.</li>
 * </ul>
 * Off the image (no {@code /etc/edgegw/partitions}) use {@link SystemControl#UNAVAILABLE}'s refusal instead.
 */
public final class ApplianceSystem implements SystemControl {
    /** Where the image keeps its update key and slot table. */
    public static final Path ETC = Path.of("/etc/edgegw");

    public enum Writer { DROP_FOLDER, DIRECT }

    private final Path updateDir;
    private final PublicKey key;
    private final Writer writer;
    private final SlotInstaller installer;   // DIRECT only
    private final BootControl boot;
    private final String activeSlot;
    private final String version;
    private final Path runDir;
    private final String dataPlane;
    private final Runnable rebootAction;     // DIRECT only
    private final LongSupplier uptimeSeconds;
    private volatile UpdateStatus last = UpdateStatus.IDLE;

    /**
     * @param dataDir     the daemon's data directory; updates go to {@code dataDir/update}
     * @param activeSlot  "a" or "b", from the kernel command line
     * @param runDir      where edgegw-hwprofile.service left {@link ActiveProfile#FILE} (and the trial state)
     */
    public ApplianceSystem(Path dataDir, PublicKey key, Writer writer, SlotInstaller installer, BootControl boot,
                           String activeSlot, String version, Path runDir, String dataPlane, Runnable rebootAction,
                           LongSupplier uptimeSeconds) {
        this.updateDir = dataDir.resolve("update");
        this.key = key;
        this.writer = writer;
        this.installer = installer;
        this.boot = boot;
        this.activeSlot = activeSlot;
        this.version = version;
        this.runDir = runDir;
        this.dataPlane = dataPlane;
        this.rebootAction = rebootAction;
        this.uptimeSeconds = uptimeSeconds;
    }

    /**
     * The system this daemon runs on: the image (its update key and slot table in {@link #ETC}) with the
     * drop-folder writer, else {@link SystemControl#UNAVAILABLE}, which says updates need the flashed image.
     */
    public static SystemControl detect(Path dataDir, String dataPlane) {
        Path pub = ETC.resolve("update-key.pub.pem");
        if (!Files.isRegularFile(ETC.resolve("partitions")) || !Files.isReadable(pub)) {
            return SystemControl.UNAVAILABLE;
        }
        try {
            String cmdline = Files.readString(Path.of("/proc/cmdline"), StandardCharsets.US_ASCII);
            String version = Files.isReadable(ETC.resolve("version"))
                    ? Files.readString(ETC.resolve("version"), StandardCharsets.UTF_8).strip() : "unknown";
            return new ApplianceSystem(dataDir, UpdateKeys.readPublic(pub), Writer.DROP_FOLDER, null,
                    net.edgegw.appliance.update.EfiBootControl.onAppliance(), SlotInstaller.activeSlot(cmdline),
                    version, Path.of("/run/edgegw"), dataPlane, null, ApplianceSystem::procUptime);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the image's update key or command line is unreadable: " + e, e);
        }
    }

    private static long procUptime() {
        try {
            String s = Files.readString(Path.of("/proc/uptime"), StandardCharsets.US_ASCII);
            return (long) Double.parseDouble(s.substring(0, s.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private String otherSlot() {
        return activeSlot.equals("a") ? "b" : "a";
    }

    @Override
    public SystemInfo info() {
        Optional<String> oneShot = read(boot::oneShotEntry);
        Optional<String> selected = read(boot::selectedEntry);
        String other = otherSlot();
        boolean armed = oneShot.isPresent() && oneShot.get().equals("edgegw-" + other + ".conf");
        String trialState = readTrialState();
        String trial;
        String detail;
        if (armed) {
            trial = "armed";
            detail = "the next boot tries slot " + other + " once; it becomes the default when it reports healthy";
        } else if (trialState.startsWith("on-trial")) {
            trial = "on-trial";
            detail = "this boot (" + selected.orElse("?") + ") is the trial of a new slot: it becomes the default"
                    + " once healthy, else the machine boots the previous slot";
        } else {
            trial = "none";
            detail = trialState.isEmpty() ? "" : trialState;
        }
        List<Slot> slots = List.of(new Slot(activeSlot, "active", version),
                new Slot(other, armed ? "pending" : "inactive", ""));
        return new SystemInfo(version, activeSlot, slots, trial, detail, hardware(), dataPlane,
                uptimeSeconds.getAsLong());
    }

    private String readTrialState() {
        Path f = runDir.resolve("trial");
        try {
            return Files.isReadable(f) ? Files.readString(f, StandardCharsets.UTF_8).strip() : "";
        } catch (IOException e) {
            return "";
        }
    }

    private Hardware hardware() {
        try {
            return ActiveProfile.read(runDir).map(p -> new Hardware(p.profile(), p.description(), p.matchedBy(),
                    p.expectedFeatures(), p.missingFeatures(), p.warnings(), p.backend(), p.workers(),
                    p.watchdog())).orElse(Hardware.NONE);
        } catch (IOException | RuntimeException e) {
            return Hardware.NONE;
        }
    }

    private interface IoRead<T> {
        Optional<T> get() throws IOException;
    }

    private static <T> Optional<T> read(IoRead<T> r) {
        try {
            return r.get();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public UpdateStatus update() {
        if (Files.exists(updateDir.resolve("bundle"))) {
            return new UpdateStatus(UpdateStatus.State.INSTALLING, last.message());
        }
        Path result = updateDir.resolve("result");
        if (writer == Writer.DROP_FOLDER && last.state() == UpdateStatus.State.INSTALLING
                && Files.isReadable(result)) {
            try {
                String m = Files.readString(result, StandardCharsets.UTF_8).strip();
                last = new UpdateStatus(m.contains("written to slot") ? UpdateStatus.State.INSTALLED
                        : m.startsWith("update refused") ? UpdateStatus.State.REFUSED : UpdateStatus.State.FAILED, m);
            } catch (IOException e) {
                return last;
            }
        }
        return last;
    }

    @Override
    public Optional<String> updatesUnavailable() {
        return Optional.empty();
    }

    @Override
    public Path uploadDir() {
        return updateDir;
    }

    @Override
    public UpdateStatus install(Path file) {
        try {
            UpdateBundle.Verification v = UpdateBundle.verify(file, key);
            if (!v.ok()) {
                Files.deleteIfExists(file);
                return last = new UpdateStatus(UpdateStatus.State.REFUSED,
                        "update refused, nothing changed: " + v.refusal());
            }
            cleanUploads(file);
            if (writer == Writer.DIRECT) {
                SlotInstaller.Outcome o = installer.install(file, key, activeSlot);
                Files.deleteIfExists(file);
                return last = new UpdateStatus(o.ok() ? UpdateStatus.State.INSTALLED
                        : o.message().startsWith("update refused") ? UpdateStatus.State.REFUSED
                        : UpdateStatus.State.FAILED, o.message());
            }
            Files.deleteIfExists(updateDir.resolve("result"));
            last = new UpdateStatus(UpdateStatus.State.INSTALLING, "version " + v.bundle().version()
                    + " verified; being written to slot " + otherSlot() + " (edgegw-update.service)");
            Files.move(file, updateDir.resolve("bundle"), StandardCopyOption.ATOMIC_MOVE);
            return last;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Uploads a broken connection left behind (the current one excepted). */
    private void cleanUploads(Path keep) throws IOException {
        try (Stream<Path> s = Files.list(updateDir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("upload-") && !p.equals(keep))
                    .toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public boolean reboot() {
        if (writer == Writer.DIRECT) {
            rebootAction.run();
        } else {
            try {
                Files.createDirectories(updateDir);
                Files.writeString(updateDir.resolve("reboot"), "requested\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        last = new UpdateStatus(UpdateStatus.State.REBOOTING, "rebooting");
        return true;
    }
}
