package net.edgegw.appliance.update;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@link BootControl} on systemd-boot's Boot Loader Interface: the EFI variables it shares with the OS under
 * vendor GUID 4a67b082-0a4c-41cf-b6c7-440b29bb8c4f, read and written through efivarfs (each file is a 4-byte
 * little-endian attribute word followed by the value; the values are NUL-terminated UTF-16LE strings), and the
 * {@code default} line of loader.conf on the ESP. Debian bookworm ships {@code bootctl} only in the systemd-boot
 * package, whose maintainer scripts want to manage the ESP themselves; these few file operations avoid that.
 */
public final class EfiBootControl implements BootControl {
    static final String LOADER_GUID = "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f";
    static final int ATTRIBUTES = 0x7; // EFI_VARIABLE_NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS

    private final Path efivars;
    private final Path loaderConf;

    /** @param efivars /sys/firmware/efi/efivars; @param esp the mounted ESP (holds loader/loader.conf) */
    public EfiBootControl(Path efivars, Path esp) {
        this.efivars = efivars;
        this.loaderConf = esp.resolve("loader/loader.conf");
    }

    public static EfiBootControl onAppliance() {
        return new EfiBootControl(Path.of("/sys/firmware/efi/efivars"), Path.of("/efi"));
    }

    @Override
    public Optional<String> selectedEntry() throws IOException {
        return read("LoaderEntrySelected");
    }

    /** LoaderEntryDefault (what {@code bootctl set-default} sets) wins over loader.conf, as in systemd-boot. */
    @Override
    public Optional<String> defaultEntry() throws IOException {
        Optional<String> v = read("LoaderEntryDefault");
        if (v.isPresent()) {
            return v;
        }
        if (!Files.isRegularFile(loaderConf)) {
            return Optional.empty();
        }
        return Files.readAllLines(loaderConf, StandardCharsets.UTF_8).stream().map(String::trim)
                .filter(l -> l.startsWith("default ")).map(l -> l.substring(8).trim()).findFirst();
    }

    @Override
    public Optional<String> oneShotEntry() throws IOException {
        return read("LoaderEntryOneShot");
    }

    @Override
    public void setOneShot(String entry) throws IOException {
        write("LoaderEntryOneShot", entry);
    }

    /** Rewrites loader.conf's default line (and drops a LoaderEntryDefault variable that would override it). */
    @Override
    public void setDefault(String entry) throws IOException {
        Path var = efivars.resolve("LoaderEntryDefault-" + LOADER_GUID);
        if (Files.exists(var)) {
            clearImmutable(var);
            Files.delete(var);
        }
        StringBuilder out = new StringBuilder("default ").append(entry).append('\n');
        if (Files.isRegularFile(loaderConf)) {
            for (String l : Files.readAllLines(loaderConf, StandardCharsets.UTF_8)) {
                if (!l.trim().startsWith("default ")) {
                    out.append(l).append('\n');
                }
            }
        }
        Path tmp = loaderConf.resolveSibling("loader.conf.tmp");
        Files.writeString(tmp, out, StandardCharsets.UTF_8);
        Files.move(tmp, loaderConf, StandardCopyOption.REPLACE_EXISTING);
    }

    Optional<String> read(String name) throws IOException {
        Path p = efivars.resolve(name + "-" + LOADER_GUID);
        if (!Files.isReadable(p)) {
            return Optional.empty();
        }
        byte[] b = Files.readAllBytes(p);
        if (b.length < 4) {
            return Optional.empty();
        }
        String s = new String(b, 4, (b.length - 4) & ~1, StandardCharsets.UTF_16LE);
        int nul = s.indexOf('\0');
        return Optional.of(nul >= 0 ? s.substring(0, nul) : s);
    }

    void write(String name, String value) throws IOException {
        Path p = efivars.resolve(name + "-" + LOADER_GUID);
        byte[] v = (value + "\0").getBytes(StandardCharsets.UTF_16LE);
        ByteBuffer b = ByteBuffer.allocate(4 + v.length).order(ByteOrder.LITTLE_ENDIAN).putInt(ATTRIBUTES).put(v);
        if (Files.exists(p)) {
            clearImmutable(p);
        }
        Files.write(p, b.array()); // efivarfs takes the whole variable in one write
    }

    /** efivarfs marks variables immutable against stray writes; chattr -i lifts it (a no-op elsewhere). */
    private static void clearImmutable(Path p) throws IOException {
        if (!p.toAbsolutePath().startsWith("/sys/firmware/efi/efivars")) {
            return;
        }
        Process pr = new ProcessBuilder("chattr", "-i", p.toString()).redirectErrorStream(true).start();
        try {
            if (!pr.waitFor(10, TimeUnit.SECONDS) || pr.exitValue() != 0) {
                throw new IOException("chattr -i " + p + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            pr.destroyForcibly();
        }
    }
}
