package net.edgegw.mgmt.port;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The appliance's system seam for {@code /api/v1/system}: what runs (version, A/B slots, trial boot, hardware
 * profile), signed firmware updates and the reboot. The management server streams an uploaded bundle to a file in
 * {@link #uploadDir()} and hands it to {@link #install}, which verifies it completely before anything is written.
 * {@link #UNAVAILABLE} is what a backend without one answers (a development machine: no slots to write).
 */
public interface SystemControl {
    /** Largest bundle accepted (a root squashfs, kernel, initrd and manifest); checked while streaming. */
    long MAX_BUNDLE_BYTES = 1536L * 1024 * 1024;

    SystemInfo info();

    /** The size cap of an upload, {@link #MAX_BUNDLE_BYTES} unless a test lowers it. */
    default long maxBundleBytes() {
        return MAX_BUNDLE_BYTES;
    }

    /** The state of the last update since this start (or the one the installer left behind). */
    UpdateStatus update();

    /** Why updates cannot be installed here (e.g. "updates need the flashed image"), or empty when they can. */
    Optional<String> updatesUnavailable();

    /** Where an upload is streamed to (a directory under the data dir, on the same file system as the install). */
    Path uploadDir();

    /**
     * Verifies the bundle in {@code file} (signature, framing, every part's hash) and, only if it holds, has it
     * written to the inactive slot with a one-time trial boot armed. Takes ownership of {@code file}. A refusal is
     * {@link UpdateStatus.State#REFUSED} with the reason, and nothing has changed.
     */
    UpdateStatus install(Path file);

    /** Asks for a reboot; false when this system cannot be rebooted from here. */
    boolean reboot();

    /**
     * What the panel shows about the running system.
     *
     * @param trial    {@code none}, {@code armed} (the next boot tries the new slot once) or {@code on-trial}
     *                 (this boot is the try; it becomes the default once healthy)
     * @param dataPlane the data-plane backend and whether it runs, e.g. "tun (available)"
     */
    record SystemInfo(String version, String activeSlot, List<Slot> slots, String trial, String trialDetail,
                      Hardware hardware, String dataPlane, long uptimeSeconds) {
        public SystemInfo {
            slots = List.copyOf(slots);
        }
    }

    /** One A/B root slot: {@code active}, {@code default} (boots when nothing else is asked), {@code pending}. */
    record Slot(String name, String state, String version) {}

    /**
     * The hardware profile applied at boot; {@code profile} is empty when none was (not on the appliance).
     *
     * @param matchedBy how the profile matched, e.g. "dmi sys_vendor=QEMU", "device-tree ...", "fallback"
     * @param missingCpuFeatures expected features this CPU does not report (found = expected minus missing)
     */
    record Hardware(String profile, String description, String matchedBy, List<String> expectedCpuFeatures,
                    List<String> missingCpuFeatures, List<String> warnings, String backend, int workers,
                    String watchdog) {
        public Hardware {
            expectedCpuFeatures = List.copyOf(expectedCpuFeatures);
            missingCpuFeatures = List.copyOf(missingCpuFeatures);
            warnings = List.copyOf(warnings);
        }

        public static final Hardware NONE = new Hardware("", "", "", List.of(), List.of(),
                List.of("no hardware profile applied (not running on the appliance image)"), "tun", 0, "none");
    }

    /** An update's state and the sentence the panel shows. */
    record UpdateStatus(State state, String message) {
        public enum State { IDLE, REFUSED, INSTALLING, INSTALLED, FAILED, REBOOTING }

        public static final UpdateStatus IDLE = new UpdateStatus(State.IDLE, "no update in progress");
    }

    /** For a backend with no system to control: information only, updates refused with 409. */
    SystemControl UNAVAILABLE = new SystemControl() {
        private final long started = System.nanoTime();

        @Override
        public SystemInfo info() {
            return new SystemInfo("dev", "none", List.of(), "none", "", Hardware.NONE, "unknown",
                    (System.nanoTime() - started) / 1_000_000_000L);
        }

        @Override
        public UpdateStatus update() {
            return UpdateStatus.IDLE;
        }

        @Override
        public Optional<String> updatesUnavailable() {
            return Optional.of("updates need the flashed image (no A/B root slots on this system)");
        }

        @Override
        public Path uploadDir() {
            throw new IllegalStateException("no uploads without slots");
        }

        @Override
        public UpdateStatus install(Path file) {
            throw new IllegalStateException("no installs without slots");
        }

        @Override
        public boolean reboot() {
            return false;
        }
    };
}
