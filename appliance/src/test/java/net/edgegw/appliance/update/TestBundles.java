package net.edgegw.appliance.update;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Map;

/** Signed test bundles: {@code root} plus a small kernel, initrd and manifest of version 2.0. */
public final class TestBundles {
    private TestBundles() {}

    /** Writes the parts and the bundle ({@code dir/update.bundle}) into {@code dir}, signed with {@code key}. */
    public static Path signed(Path dir, byte[] root, PrivateKey key) throws Exception {
        Files.write(dir.resolve("root.sqfs"), root);
        Files.writeString(dir.resolve("vmlinuz"), "kernel-2.0");
        Files.writeString(dir.resolve("initrd.img"), "initrd-2.0");
        Files.writeString(dir.resolve("manifest.json"), "{\"version\": \"2.0\"}");
        Path out = dir.resolve("update.bundle");
        UpdateBundle.create(out, "2.0", Map.of("root", dir.resolve("root.sqfs"), "kernel", dir.resolve("vmlinuz"),
                "initrd", dir.resolve("initrd.img"), "manifest", dir.resolve("manifest.json")), key);
        return out;
    }
}
