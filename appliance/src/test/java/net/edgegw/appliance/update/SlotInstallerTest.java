package net.edgegw.appliance.update;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bundles signed with a fresh Ed25519 key, installed onto files standing in for the slot partitions and an ESP
 * directory: a good bundle lands in the inactive slot with its entry and a one-shot boot; a bad signature, a
 * truncated file or a hash mismatch is refused with its reason and leaves every byte as it was.
 */
class SlotInstallerTest {
    static final String UUID_A = "11111111-2222-3333-4444-555555555555";
    static final String UUID_B = "66666666-7777-8888-9999-000000000000";

    @TempDir
    Path tmp;
    KeyPair key;
    Path esp;
    Path slotA;
    Path slotB;
    RecordingBootControl boot;
    SlotInstaller installer;
    byte[] root;

    @BeforeEach
    void setUp() throws Exception {
        key = UpdateKeys.generate();
        esp = tmp.resolve("esp");
        Files.createDirectories(esp.resolve("loader/entries"));
        Files.writeString(esp.resolve("loader/entries/edgegw-a.conf"), """
                title edgegw 1.0 (slot a)
                version 1.0
                linux /edgegw/a/vmlinuz
                initrd /edgegw/a/initrd.img
                options root=PARTUUID=%s rootfstype=squashfs ro console=ttyS0,115200 edgegw.slot=a
                """.formatted(UUID_A), StandardCharsets.UTF_8);
        slotA = tmp.resolve("slot-a.img");
        slotB = tmp.resolve("slot-b.img");
        Files.write(slotA, filled(1 << 20, (byte) 0xAA));
        Files.write(slotB, filled(1 << 20, (byte) 0xBB));
        boot = new RecordingBootControl("edgegw-a.conf", "edgegw-a.conf");
        installer = new SlotInstaller(esp, Map.of("a", slotA, "b", slotB), Map.of("a", UUID_A, "b", UUID_B), boot);
        root = new byte[300_000];
        new Random(7).nextBytes(root);
    }

    static byte[] filled(int n, byte b) {
        byte[] a = new byte[n];
        Arrays.fill(a, b);
        return a;
    }

    Path bundle(KeyPair signer) throws Exception {
        return TestBundles.signed(tmp, root, signer.getPrivate());
    }

    /** Every file under the ESP and both slots, as bytes: what "nothing changed" compares. */
    Map<String, byte[]> snapshot() throws IOException {
        Map<String, byte[]> m = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.walk(tmp)) {
            for (Path p : s.filter(Files::isRegularFile)
                    .filter(p -> p.startsWith(esp) || p.equals(slotA) || p.equals(slotB)).toList()) {
                m.put(tmp.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    void assertRefusedAndUnchanged(Path bundleFile, String reason) throws IOException {
        Map<String, byte[]> before = snapshot();
        SlotInstaller.Outcome o = installer.install(bundleFile, key.getPublic(), "a");
        assertFalse(o.ok());
        assertTrue(o.message().startsWith("update refused, nothing changed: "), o.message());
        assertTrue(o.message().contains(reason), o.message());
        Map<String, byte[]> after = snapshot();
        assertEquals(before.keySet(), after.keySet());
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k + " changed"));
        assertEquals(List.of(), boot.writes);
    }

    @Test
    void goodBundleWritesTheInactiveSlotItsEntryAndAOneShotBoot() throws Exception {
        SlotInstaller.Outcome o = installer.install(bundle(key), key.getPublic(), "a");

        assertTrue(o.ok(), o.message());
        byte[] b = Files.readAllBytes(slotB);
        assertArrayEquals(root, Arrays.copyOf(b, root.length));
        assertEquals((byte) 0xBB, b[root.length], "bytes past the image are left alone");
        assertArrayEquals(filled(1 << 20, (byte) 0xAA), Files.readAllBytes(slotA), "active slot untouched");
        assertEquals("kernel-2.0", Files.readString(esp.resolve("edgegw/b/vmlinuz")));
        assertEquals("initrd-2.0", Files.readString(esp.resolve("edgegw/b/initrd.img")));
        String entry = Files.readString(esp.resolve("loader/entries/edgegw-b.conf"));
        assertTrue(entry.contains("title edgegw 2.0 (slot b)\nversion 2.0\nlinux /edgegw/b/vmlinuz\n"
                + "initrd /edgegw/b/initrd.img\n"), entry);
        assertTrue(entry.contains("root=PARTUUID=" + UUID_B + " ") && entry.endsWith("edgegw.slot=b\n"), entry);
        assertEquals(List.of("oneshot edgegw-b.conf"), boot.writes);
    }

    @Test
    void bundleSignedByAnotherKeyIsRefused() throws Exception {
        assertRefusedAndUnchanged(bundle(UpdateKeys.generate()), "bad signature");
    }

    @Test
    void alteredHeaderIsRefusedAsBadSignature() throws Exception {
        Path b = bundle(key);
        byte[] all = Files.readAllBytes(b);
        int at = new String(all, StandardCharsets.ISO_8859_1).indexOf("version=2.0") + "version=".length();
        all[at] = '9';
        Files.write(b, all);
        assertRefusedAndUnchanged(b, "bad signature");
    }

    @Test
    void truncatedBundleIsRefused() throws Exception {
        Path b = bundle(key);
        try (RandomAccessFile f = new RandomAccessFile(b.toFile(), "rw")) {
            f.setLength(f.length() - 1000);
        }
        assertRefusedAndUnchanged(b, "bundle truncated");
    }

    @Test
    void bundleCutInsideItsHeaderIsRefused() throws Exception {
        Path b = bundle(key);
        try (RandomAccessFile f = new RandomAccessFile(b.toFile(), "rw")) {
            f.setLength(40);
        }
        assertRefusedAndUnchanged(b, "bundle truncated");
    }

    @Test
    void flippedPayloadByteIsRefusedAsHashMismatch() throws Exception {
        Path b = bundle(key);
        byte[] all = Files.readAllBytes(b);
        all[all.length - root.length / 2 - 40] ^= 1; // inside the root part, header and signature intact
        Files.write(b, all);
        assertRefusedAndUnchanged(b, "hash mismatch in part");
    }

    @Test
    void notABundleIsRefused() throws Exception {
        Path b = tmp.resolve("random.bin");
        Files.write(b, filled(4096, (byte) 'x'));
        assertRefusedAndUnchanged(b, "not an edgegw update bundle");
    }

    @Test
    void rootLargerThanTheSlotIsRefused() throws Exception {
        root = new byte[(1 << 20) + 1];
        assertRefusedAndUnchanged(bundle(key), "larger than slot b");
    }

    @Test
    void fromSlotBTheUpdateGoesToSlotA() throws Exception {
        Files.writeString(esp.resolve("loader/entries/edgegw-b.conf"), Files.readString(
                esp.resolve("loader/entries/edgegw-a.conf")).replace("/a/", "/b/").replace(UUID_A, UUID_B)
                .replace("slot=a", "slot=b"));
        assertTrue(installer.install(bundle(key), key.getPublic(), "b").ok());
        assertArrayEquals(root, Arrays.copyOf(Files.readAllBytes(slotA), root.length));
        assertTrue(Files.readString(esp.resolve("loader/entries/edgegw-a.conf")).contains("root=PARTUUID=" + UUID_A));
        assertEquals(List.of("oneshot edgegw-a.conf"), boot.writes);
        assertEquals("b", SlotInstaller.activeSlot("root=PARTUUID=x ro edgegw.slot=b quiet"));
        assertEquals("a", SlotInstaller.activeSlot("root=/dev/sda2 ro"));
    }

    @Test
    void keysRoundTripThroughPem() throws Exception {
        UpdateKeys.writePrivate(key.getPrivate(), tmp.resolve("k.pem"));
        UpdateKeys.writePublic(key.getPublic(), tmp.resolve("k.pub.pem"));
        KeyPair back = new KeyPair(UpdateKeys.readPublic(tmp.resolve("k.pub.pem")),
                UpdateKeys.readPrivate(tmp.resolve("k.pem")));
        assertTrue(UpdateBundle.verify(bundle(back), key.getPublic()).ok());
    }
}
