package net.edgegw.mgmt.port;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SystemControl} in memory, beside {@link InMemoryBackend}: two slots as byte arrays, a one-shot "boot
 * variable", and a stand-in for the signed bundle — {@code "FAKEBUNDLE <version>\n" + payload + SHA-256 of
 * everything before it} — so that the API's refusal, acceptance, streaming and size paths can be tested without
 * the appliance's Ed25519 bundles (those are tested in the appliance module against the real installer).
 */
public final class FakeSystemControl implements SystemControl {
    public static final String MAGIC = "FAKEBUNDLE ";

    private final Path uploadDir;
    private final Map<String, byte[]> slots = new ConcurrentHashMap<>(Map.of("a", new byte[0], "b", new byte[0]));
    private volatile String active = "a";
    private volatile String oneShot = "";
    private volatile UpdateStatus status = UpdateStatus.IDLE;
    private volatile int reboots;
    private volatile boolean flashed = true;
    private volatile long maxBytes = MAX_BUNDLE_BYTES;

    public FakeSystemControl(Path uploadDir) {
        this.uploadDir = uploadDir;
    }

    /** A bundle this fake accepts. */
    public static byte[] bundle(String version, byte[] payload) {
        byte[] head = (MAGIC + version + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = Arrays.copyOf(head, head.length + payload.length);
        System.arraycopy(payload, 0, body, head.length, payload.length);
        byte[] out = Arrays.copyOf(body, body.length + 32);
        System.arraycopy(sha256(body, body.length), 0, out, body.length, 32);
        return out;
    }

    /** Pretends to be a development machine without slots (409 on updates). */
    public void flashed(boolean f) {
        flashed = f;
    }

    public void maxBundleBytes(long max) {
        maxBytes = max;
    }

    @Override
    public long maxBundleBytes() {
        return maxBytes;
    }

    public byte[] slot(String name) {
        return slots.get(name).clone();
    }

    public String oneShot() {
        return oneShot;
    }

    public int reboots() {
        return reboots;
    }

    @Override
    public SystemInfo info() {
        String other = active.equals("a") ? "b" : "a";
        return new SystemInfo("fake-1", active, List.of(new Slot(active, "active", "fake-1"),
                new Slot(other, oneShot.isEmpty() ? "inactive" : "pending", "")),
                oneShot.isEmpty() ? "none" : "armed", oneShot.isEmpty() ? "" : "next boot tries slot " + oneShot,
                new Hardware("fake", "in-memory test backend", "fallback", List.of("aes", "pclmulqdq"),
                        List.of("pclmulqdq"), List.of("CPU has no carry-less multiply (pclmulqdq): AES-GCM/GMAC"
                        + " will be slow"), "tun", 1, "none"), "tun (fake)", 42);
    }

    @Override
    public UpdateStatus update() {
        return status;
    }

    @Override
    public Optional<String> updatesUnavailable() {
        return flashed ? Optional.empty() : SystemControl.UNAVAILABLE.updatesUnavailable();
    }

    @Override
    public Path uploadDir() {
        return uploadDir;
    }

    @Override
    public UpdateStatus install(Path file) {
        try {
            byte[] b = Files.readAllBytes(file);
            Files.delete(file);
            byte[] magic = MAGIC.getBytes(StandardCharsets.US_ASCII);
            int nl = indexOf(b, (byte) '\n');
            if (b.length < magic.length + 33 || !Arrays.equals(b, 0, magic.length, magic, 0, magic.length)
                    || nl < 0 || nl >= b.length - 32) {
                return status = new UpdateStatus(UpdateStatus.State.REFUSED,
                        "update refused, nothing changed: not a bundle, or truncated");
            }
            if (!Arrays.equals(sha256(b, b.length - 32), 0, 32, b, b.length - 32, b.length)) {
                return status = new UpdateStatus(UpdateStatus.State.REFUSED,
                        "update refused, nothing changed: bad signature");
            }
            String version = new String(b, magic.length, nl - magic.length, StandardCharsets.US_ASCII);
            String target = active.equals("a") ? "b" : "a";
            slots.put(target, Arrays.copyOfRange(b, nl + 1, b.length - 32));
            oneShot = target;
            return status = new UpdateStatus(UpdateStatus.State.INSTALLED, "version " + version + " written to slot "
                    + target + "; it boots once at the next restart");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean reboot() {
        reboots++;
        if (!oneShot.isEmpty()) {
            active = oneShot;
            oneShot = "";
        }
        status = UpdateStatus.IDLE;
        return true;
    }

    private static int indexOf(byte[] b, byte v) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] sha256(byte[] b, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b, 0, len);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
