package net.edgegw.mgmt.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (RFC 9106) in the PHC string format {@code $argon2id$v=19$m=M,t=T,p=P$salt$hash}, with
 * Bouncy Castle's generator and a constant-time comparison. The parameters live in each hash, so raising them
 * later keeps old hashes verifiable.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9106#section-4">RFC 9106 §4 (parameter choice)</a>
 */
public final class Argon2id {
    // OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane (RFC 9106 §4's second option needs 64 MiB; this
    // appliance runs on small edge boxes and hashes only at login).
    public static final int DEFAULT_MEMORY_KIB = 19 * 1024;
    public static final int DEFAULT_ITERATIONS = 2;
    public static final int DEFAULT_PARALLELISM = 1;
    private static final int SALT_LEN = 16; // RFC 9106 §3.1: 128 bits recommended
    private static final int HASH_LEN = 32; // RFC 9106 §4: 256-bit tag

    // Our limits on what a stored hash may ask for, so a tampered row cannot make a login allocate gigabytes.
    private static final int MAX_MEMORY_KIB = 1024 * 1024;
    private static final int MAX_ITERATIONS = 64;
    private static final int MAX_PARALLELISM = 16;

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,2})"
                    + "\\$([A-Za-z0-9+/]{16,})\\$([A-Za-z0-9+/]{16,})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final SecureRandom random;

    public Argon2id(SecureRandom random) {
        this(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, DEFAULT_PARALLELISM, random);
    }

    public Argon2id(int memoryKib, int iterations, int parallelism, SecureRandom random) {
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.random = random;
    }

    /** A fresh PHC string for {@code password}. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_LEN];
        random.nextBytes(salt);
        byte[] out = derive(password, salt, memoryKib, iterations, parallelism, HASH_LEN);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /** True if {@code password} matches {@code phc}; false for a wrong password and for a malformed hash. */
    public static boolean verify(String phc, String password) {
        Matcher m = parsed(phc);
        if (m == null) {
            return false;
        }
        int mem = Integer.parseInt(m.group(1));
        int t = Integer.parseInt(m.group(2));
        int p = Integer.parseInt(m.group(3));
        byte[] salt = B64D.decode(m.group(4));
        byte[] expected = B64D.decode(m.group(5));
        byte[] actual = derive(password, salt, mem, t, p, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /**
     * True if {@code phc} is an Argon2id PHC string this class can verify ({@code $argon2id$v=19$m=..,t=..,p=..$salt$hash},
     * costs within bounds): what a provisioning file may give instead of a clear password.
     */
    public static boolean wellFormed(String phc) {
        return parsed(phc) != null;
    }

    private static Matcher parsed(String phc) {
        Matcher m = PHC.matcher(phc == null ? "" : phc);
        if (!m.matches()) {
            return null;
        }
        int mem = Integer.parseInt(m.group(1));
        int t = Integer.parseInt(m.group(2));
        int p = Integer.parseInt(m.group(3));
        boolean inBounds = mem >= 8 * p && mem <= MAX_MEMORY_KIB && t >= 1 && t <= MAX_ITERATIONS && p >= 1
                && p <= MAX_PARALLELISM;
        return inBounds ? m : null;
    }

    private static byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int parallelism,
                                 int len) {
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build());
        byte[] out = new byte[len];
        gen.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
