package net.edgegw.appliance.update;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@link BootControl} through systemd's {@code bootctl} (it writes the EFI variables, handling efivarfs'
 * immutable flag and encoding), as the image ships it.
 */
public final class Bootctl implements BootControl {
    private final String bootctl;

    public Bootctl() {
        this("bootctl");
    }

    public Bootctl(String bootctl) {
        this.bootctl = bootctl;
    }

    @Override
    public Optional<String> selectedEntry() throws IOException {
        return field("Current Entry:");
    }

    @Override
    public Optional<String> defaultEntry() throws IOException {
        return field("Default Entry:");
    }

    @Override
    public void setOneShot(String entry) throws IOException {
        run("set-oneshot", entry);
    }

    @Override
    public void setDefault(String entry) throws IOException {
        run("set-default", entry);
    }

    private Optional<String> field(String label) throws IOException {
        for (String line : run("status", "--no-pager").split("\n")) {
            String t = line.trim();
            if (t.startsWith(label)) {
                return Optional.of(t.substring(label.length()).trim());
            }
        }
        return Optional.empty();
    }

    private String run(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(bootctl));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + cmd, e);
        } finally {
            p.destroyForcibly();
        }
    }
}
