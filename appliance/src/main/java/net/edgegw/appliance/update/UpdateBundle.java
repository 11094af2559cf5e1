package net.edgegw.appliance.update;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The signed update bundle: a root image, the kernel and initrd that boot it, and the build manifest, behind a
 * header that lists each part's size and SHA-256 and is signed with Ed25519 (RFC 8032, the JDK's provider).
 * <pre>
 *   "EDGEGWUP" | u16 format (1) | u32 header length | header (UTF-8 lines "key=value") | 64-byte signature
 *   | part 1 | part 2 | ...            (parts in header order, sizes and hashes as the header says)
 *   header: version=&lt;image version&gt;, parts=root,kernel,initrd,manifest, part.&lt;n&gt;.size, part.&lt;n&gt;.sha256
 * </pre>
 * The signature covers magic, format, length and header; the header pins every part's hash, so one signature
 * check plus one hashing pass proves the whole file before anything is written (see {@link #verify}).
 */
public final class UpdateBundle {
    static final byte[] MAGIC = "EDGEGWUP".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT = 1;
    static final int SIGNATURE_LEN = 64;          // RFC 8032 §5.1.6: Ed25519 signatures are 64 octets
    static final int MAX_HEADER = 64 * 1024;      // our limit
    public static final List<String> PARTS = List.of("root", "kernel", "initrd", "manifest");

    private final Path file;
    private final String version;
    private final Map<String, long[]> offsets;     // part -> {offset, size}
    private final Map<String, byte[]> hashes;

    private UpdateBundle(Path file, String version, Map<String, long[]> offsets, Map<String, byte[]> hashes) {
        this.file = file;
        this.version = version;
        this.offsets = offsets;
        this.hashes = hashes;
    }

    public String version() {
        return version;
    }

    public long size(String part) {
        return offsets.get(part)[1];
    }

    byte[] sha256(String part) {
        return hashes.get(part).clone();
    }

    /** Writes a bundle of {@code parts} (name to file, in {@link #PARTS} order) signed with {@code key}. */
    public static void create(Path out, String version, Map<String, Path> parts, PrivateKey key)
            throws IOException, GeneralSecurityException {
        StringBuilder h = new StringBuilder("version=").append(version).append('\n')
                .append("parts=").append(String.join(",", PARTS)).append('\n');
        for (String p : PARTS) {
            Path f = parts.get(p);
            h.append("part.").append(p).append(".size=").append(Files.size(f)).append('\n');
            h.append("part.").append(p).append(".sha256=").append(HexFormat.of().formatHex(hash(f))).append('\n');
        }
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        byte[] signed = signedPrefix(header);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(signed);
        try (OutputStream o = Files.newOutputStream(out)) {
            o.write(signed);
            o.write(s.sign());
            for (String p : PARTS) {
                Files.copy(parts.get(p), o);
            }
        }
    }

    private static byte[] signedPrefix(byte[] header) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.write(MAGIC);
        d.writeShort(FORMAT);
        d.writeInt(header.length);
        d.write(header);
        return b.toByteArray();
    }

    /** The outcome of {@link #verify}: the bundle, or why it was refused (a sentence for the operator). */
    public record Verification(UpdateBundle bundle, String refusal) {
        public boolean ok() {
            return bundle != null;
        }
    }

    /**
     * Checks a bundle completely: framing, length (a truncated or padded file is refused), Ed25519 signature, then
     * every part's SHA-256. Writes nothing. Bad input is an answer, not an exception; only I/O errors throw.
     */
    public static Verification verify(Path file, PublicKey key) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            int fixed = MAGIC.length + 2 + 4;
            if (fileSize < fixed + SIGNATURE_LEN) {
                return refuse("bundle truncated: " + fileSize + " bytes is shorter than any bundle");
            }
            ByteBuffer pre = ByteBuffer.allocate(fixed);
            readFully(ch, pre, 0);
            pre.flip();
            byte[] magic = new byte[MAGIC.length];
            pre.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                return refuse("not an edgegw update bundle (bad magic)");
            }
            int format = Short.toUnsignedInt(pre.getShort());
            if (format != FORMAT) {
                return refuse("bundle format " + format + " is not supported (this appliance reads " + FORMAT + ")");
            }
            long headerLen = Integer.toUnsignedLong(pre.getInt());
            if (headerLen == 0 || headerLen > MAX_HEADER) {
                return refuse("bundle header length " + headerLen + " is out of range");
            }
            if (fileSize < fixed + headerLen + SIGNATURE_LEN) {
                return refuse("bundle truncated: " + fileSize + " bytes, the header alone needs "
                        + (fixed + headerLen + SIGNATURE_LEN));
            }
            ByteBuffer hs = ByteBuffer.allocate((int) headerLen + SIGNATURE_LEN);
            readFully(ch, hs, fixed);
            byte[] header = new byte[(int) headerLen];
            byte[] sig = new byte[SIGNATURE_LEN];
            hs.flip();
            hs.get(header).get(sig);
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(signedPrefix(header));
            if (!s.verify(sig)) {
                return refuse("bad signature: the bundle was not signed by this appliance's update key,"
                        + " or its header was altered");
            }
            // Signed from here on: the header is ours, parse it strictly all the same.
            Map<String, String> kv = new LinkedHashMap<>();
            for (String line : new String(header, StandardCharsets.UTF_8).split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    kv.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            if (!String.join(",", PARTS).equals(kv.get("parts")) || kv.get("version") == null) {
                return refuse("bundle header lists parts " + kv.get("parts") + ", expected " + PARTS);
            }
            Map<String, long[]> offsets = new LinkedHashMap<>();
            Map<String, byte[]> hashes = new LinkedHashMap<>();
            long at = fixed + headerLen + SIGNATURE_LEN;
            for (String p : PARTS) {
                long size = Long.parseLong(kv.get("part." + p + ".size"));
                offsets.put(p, new long[] {at, size});
                hashes.put(p, HexFormat.of().parseHex(kv.get("part." + p + ".sha256")));
                at += size;
            }
            if (fileSize != at) {
                return refuse((fileSize < at ? "bundle truncated: " : "bundle has trailing data: ") + fileSize
                        + " bytes, the signed header says " + at);
            }
            UpdateBundle b = new UpdateBundle(file, kv.get("version"), offsets, hashes);
            for (String p : PARTS) {
                byte[] got = b.hashPart(ch, p);
                if (!MessageDigest.isEqual(got, hashes.get(p))) {
                    return refuse("hash mismatch in part " + p + ": the bundle is damaged");
                }
            }
            return new Verification(b, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519 or SHA-256", e);
        } catch (NumberFormatException | NullPointerException e) {
            return refuse("bundle header is malformed");
        }
    }

    private static Verification refuse(String why) {
        return new Verification(null, why);
    }

    private byte[] hashPart(FileChannel ch, String part) throws IOException, GeneralSecurityException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        copyPart(ch, part, buf -> md.update(buf));
        return md.digest();
    }

    /** Streams one part to {@code sink}, in 1 MiB chunks. */
    void copyPart(FileChannel ch, String part, ChunkSink sink) throws IOException {
        long[] os = offsets.get(part);
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        long pos = os[0];
        long end = os[0] + os[1];
        while (pos < end) {
            buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("bundle shrank while reading part " + part);
            }
            pos += n;
            buf.flip();
            sink.accept(buf);
        }
    }

    FileChannel open() throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    interface ChunkSink {
        void accept(ByteBuffer chunk) throws IOException;
    }

    static byte[] hash(Path f) throws IOException, GeneralSecurityException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(f)) {
            byte[] b = new byte[1 << 16];
            for (int n; (n = in.read(b)) > 0; ) {
                md.update(b, 0, n);
            }
        }
        return md.digest();
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new IOException("unexpected end of bundle");
            }
        }
    }
}
