package net.edgegw.appliance.update;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A/B update: verifies a bundle completely, then writes the inactive root slot, its kernel and initrd on the ESP
 * and its systemd-boot entry, and asks for a one-shot boot of it. The old slot stays the default until
 * {@link TrialBoot} marks the new one good, so a new system that never reports healthy falls back by itself.
 * A refused bundle changes nothing: verification reads only.
 */
public final class SlotInstaller {
    private static final Pattern ROOT = Pattern.compile("root=PARTUUID=[0-9a-fA-F-]+");
    private static final Pattern SLOT = Pattern.compile("edgegw\\.slot=[ab]");

    private final Path esp;
    private final Map<String, Path> slotDevice;
    private final Map<String, String> slotPartUuid;
    private final BootControl boot;

    /**
     * @param esp          the mounted EFI system partition (/efi on the appliance)
     * @param slotDevice   "a"/"b" to the block device (a file in tests)
     * @param slotPartUuid "a"/"b" to its GPT partition UUID, for the entry's root=PARTUUID=
     */
    public SlotInstaller(Path esp, Map<String, Path> slotDevice, Map<String, String> slotPartUuid, BootControl boot) {
        this.esp = esp;
        this.slotDevice = Map.copyOf(slotDevice);
        this.slotPartUuid = Map.copyOf(slotPartUuid);
        this.boot = boot;
    }

    /** The appliance's layout: /etc/edgegw/partitions (written by the image build), /efi, efivarfs. */
    public static SlotInstaller onAppliance() throws IOException {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(Path.of("/etc/edgegw/partitions"), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        String a = p.getProperty("root-a");
        String b = p.getProperty("root-b");
        return new SlotInstaller(Path.of("/efi"),
                Map.of("a", Path.of("/dev/disk/by-partuuid/" + a), "b", Path.of("/dev/disk/by-partuuid/" + b)),
                Map.of("a", a, "b", b), EfiBootControl.onAppliance());
    }

    /** The slot this system runs from, from the kernel command line ({@code edgegw.slot=a|b}); "a" if absent. */
    public static String activeSlot(String cmdline) {
        Matcher m = SLOT.matcher(cmdline);
        return m.find() ? m.group().substring("edgegw.slot=".length()) : "a";
    }

    /** What an install did, as the admin panel shows it. */
    public record Outcome(boolean ok, String message) {}

    public Outcome install(Path bundleFile, PublicKey key, String activeSlot) throws IOException {
        UpdateBundle.Verification v = UpdateBundle.verify(bundleFile, key);
        if (!v.ok()) {
            return new Outcome(false, "update refused, nothing changed: " + v.refusal());
        }
        UpdateBundle b = v.bundle();
        String target = activeSlot.equals("a") ? "b" : "a";
        Path device = slotDevice.get(target);
        Path activeEntry = esp.resolve("loader/entries/edgegw-" + activeSlot + ".conf");
        if (!Files.isRegularFile(activeEntry)) {
            return new Outcome(false, "update refused, nothing changed: no boot entry " + activeEntry);
        }
        try (FileChannel in = b.open();
             FileChannel out = FileChannel.open(device, StandardOpenOption.WRITE)) {
            long capacity = out.size();
            if (capacity > 0 && b.size("root") > capacity) {
                return new Outcome(false, "update refused, nothing changed: root image (" + b.size("root")
                        + " bytes) is larger than slot " + target + " (" + capacity + ")");
            }
            // Write and hash again: a bundle replaced between verify and here must not be booted.
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            long[] at = {0};
            b.copyPart(in, "root", chunk -> {
                md.update(chunk.duplicate());
                while (chunk.hasRemaining()) {
                    at[0] += out.write(chunk, at[0]);
                }
            });
            out.force(true);
            if (!MessageDigest.isEqual(md.digest(), b.sha256("root"))) {
                return new Outcome(false, "update aborted: the bundle changed while slot " + target
                        + " was written; the running system is unchanged");
            }
            Path dir = Files.createDirectories(esp.resolve("edgegw").resolve(target));
            copyPart(b, in, "kernel", dir.resolve("vmlinuz"));
            copyPart(b, in, "initrd", dir.resolve("initrd.img"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        String entryName = "edgegw-" + target + ".conf";
        String entry = Files.readString(activeEntry, StandardCharsets.UTF_8)
                .replaceAll("(?m)^title .*$", "title edgegw " + b.version() + " (slot " + target + ")")
                .replaceAll("(?m)^version .*$", "version " + b.version())
                .replace("/edgegw/" + activeSlot + "/", "/edgegw/" + target + "/");
        entry = ROOT.matcher(entry).replaceAll("root=PARTUUID=" + slotPartUuid.get(target));
        entry = SLOT.matcher(entry).replaceAll("edgegw.slot=" + target);
        Path tmp = esp.resolve("loader/entries/" + entryName + ".tmp");
        Files.writeString(tmp, entry, StandardCharsets.UTF_8);
        Files.move(tmp, esp.resolve("loader/entries/" + entryName), StandardCopyOption.REPLACE_EXISTING);
        boot.setOneShot(entryName);
        return new Outcome(true, "version " + b.version() + " written to slot " + target
                + "; it boots once at the next restart and becomes the default when it reports healthy");
    }

    private static void copyPart(UpdateBundle b, FileChannel in, String part, Path dest) throws IOException {
        Path tmp = dest.resolveSibling(dest.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            b.copyPart(in, part, chunk -> {
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
            });
            out.force(true);
        }
        Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
    }
}
