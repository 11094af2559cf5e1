package net.edgegw.appliance.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.edgegw.appliance.config.Secret;
import net.edgegw.appliance.config.SecretCodec;

/**
 * The device key: 256 random bits in a file of its own (mode 0600, outside the database, created at first start)
 * that seal every {@link Secret} of the configuration with AES-256-GCM before it reaches H2 or an export.
 * A sealed secret reads {@code enc:v1:<base64(nonce ‖ ciphertext ‖ tag)>}; text without that prefix is taken as a
 * plain secret (hand-written import files).
 */
public final class DeviceKey implements SecretCodec {
    static final String PREFIX = "enc:v1:";
    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;   // NIST SP 800-38D §8.2.2, random nonces
    static final int TAG_BITS = 128;
    private static final byte[] AAD = "edgegw secret v1".getBytes(StandardCharsets.US_ASCII);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private DeviceKey(byte[] raw) {
        this.key = new SecretKeySpec(raw, "AES");
    }

    /** Reads the key file, creating it (0600, atomically) if it does not exist yet. */
    public static DeviceKey loadOrCreate(Path file) {
        if (!Files.exists(file)) {
            create(file);
        }
        return read(file);
    }

    /** Reads an existing key file; refuses one that others may read. */
    public static DeviceKey read(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(perms)) {
                throw new StoreException("device key " + file + " is accessible to others (mode "
                        + PosixFilePermissions.toString(perms) + "); it must be rw------- (chmod 600)");
            }
            byte[] raw = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
            if (raw.length != KEY_BYTES) {
                throw new StoreException("device key " + file + " is not a " + KEY_BYTES + "-byte key");
            }
            return new DeviceKey(raw);
        } catch (IOException | IllegalArgumentException e) {
            throw new StoreException("cannot read device key " + file + ": " + e.getMessage(), e);
        }
    }

    private static void create(Path file) {
        byte[] raw = new byte[KEY_BYTES];
        RANDOM.nextBytes(raw);
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(tmp); // left by a start that died half-way
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap((Base64.getEncoder().encodeToString(raw) + "\n")
                        .getBytes(StandardCharsets.US_ASCII)));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file);
            }
        } catch (IOException e) {
            throw new StoreException("cannot create device key " + file + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** True if both are the same key (constant time). */
    public boolean sameAs(DeviceKey other) {
        return other != null && MessageDigest.isEqual(key.getEncoded(), other.key.getEncoded());
    }

    /**
     * A value derived from the key that identifies it without revealing it, stored in the database so a wrong or
     * replaced key file is noticed at open.
     */
    String checkValue() {
        return Base64.getEncoder().encodeToString(Arrays.copyOf(derive("device key check"), 16));
    }

    /** HMAC-SHA-256 of a label under the device key: keys and values for other uses, independent of this one. */
    byte[] derive(String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return mac.doFinal(("edgegw " + label).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String encode(Secret secret) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(AAD);
            byte[] ct = c.doFinal(secret.reveal().getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + ct.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(ct, 0, out, NONCE_BYTES, ct.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    @Override
    public Secret decode(String text) {
        if (!text.startsWith(PREFIX)) {
            return Secret.of(text);
        }
        try {
            byte[] in = Base64.getDecoder().decode(text.substring(PREFIX.length()));
            if (in.length < NONCE_BYTES + TAG_BITS / 8) {
                return null;
            }
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(AAD);
            byte[] pt = c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
            return Secret.of(new String(pt, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return null; // not base64, or sealed under another key: the caller reports it as a problem
        }
    }

    @Override
    public String toString() {
        return "DeviceKey[" + Secret.REDACTED + "]";
    }
}
