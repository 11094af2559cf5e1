package net.edgegw.appliance.update;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Boot Loader Interface variables in efivarfs layout and loader.conf, on a directory standing in for both. */
class EfiBootControlTest {
    @TempDir
    Path tmp;

    @Test
    void oneShotIsWrittenAsEfivarfsExpectsAndSelectedIsReadBack() throws Exception {
        Path vars = Files.createDirectories(tmp.resolve("efivars"));
        EfiBootControl c = new EfiBootControl(vars, tmp);
        c.setOneShot("edgegw-b.conf");
        byte[] raw = Files.readAllBytes(vars.resolve("LoaderEntryOneShot-" + EfiBootControl.LOADER_GUID));
        byte[] want = new byte[4 + 28];
        want[0] = 7; // attributes, little endian
        byte[] s = "edgegw-b.conf\0".getBytes(StandardCharsets.UTF_16LE);
        System.arraycopy(s, 0, want, 4, s.length);
        assertArrayEquals(want, raw);
        // What systemd-boot leaves for the OS after it booted that entry:
        Files.write(vars.resolve("LoaderEntrySelected-" + EfiBootControl.LOADER_GUID), raw);
        assertEquals(Optional.of("edgegw-b.conf"), c.selectedEntry());
    }

    @Test
    void trialBootConfirmedRewritesLoaderConfDefault() throws Exception {
        Path vars = Files.createDirectories(tmp.resolve("efivars"));
        Files.createDirectories(tmp.resolve("loader"));
        Files.writeString(tmp.resolve("loader/loader.conf"), "default edgegw-a.conf\ntimeout 2\neditor no\n");
        EfiBootControl c = new EfiBootControl(vars, tmp);
        c.write("LoaderEntrySelected", "edgegw-b.conf");
        assertEquals(Optional.of("edgegw-a.conf"), c.defaultEntry());

        assertEquals(TrialBoot.Outcome.CONFIRMED, TrialBoot.settle(c, () -> true, Duration.ofSeconds(1),
                Duration.ofMillis(1), () -> { }));

        assertEquals("default edgegw-b.conf\ntimeout 2\neditor no\n",
                Files.readString(tmp.resolve("loader/loader.conf")));
        assertEquals(TrialBoot.Outcome.NOT_ON_TRIAL, TrialBoot.settle(c, () -> true, Duration.ofSeconds(1),
                Duration.ofMillis(1), () -> { }));
    }

    @Test
    void loaderEntryDefaultVariableWinsOverLoaderConfAndIsDroppedOnSetDefault() throws Exception {
        Path vars = Files.createDirectories(tmp.resolve("efivars"));
        Files.createDirectories(tmp.resolve("loader"));
        Files.writeString(tmp.resolve("loader/loader.conf"), "default edgegw-a.conf\n");
        EfiBootControl c = new EfiBootControl(vars, tmp);
        c.write("LoaderEntryDefault", "edgegw-x.conf");
        assertEquals(Optional.of("edgegw-x.conf"), c.defaultEntry());
        c.setDefault("edgegw-b.conf");
        assertEquals(Optional.of("edgegw-b.conf"), c.defaultEntry());
    }
}
