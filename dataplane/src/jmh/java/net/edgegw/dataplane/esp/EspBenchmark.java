package net.edgegw.dataplane.esp;

import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.edgegw.dataplane.ipsec.Inbound;
import net.edgegw.dataplane.packet.IpProtocol;
import net.edgegw.dataplane.packet.Ipv4Header;
import net.edgegw.dataplane.packet.NetworkOrder;
import net.edgegw.dataplane.packet.Packet;
import net.edgegw.dataplane.sa.Direction;
import net.edgegw.dataplane.sa.SaConfig;
import net.edgegw.dataplane.sa.Sad;
import net.edgegw.dataplane.sa.SecurityAssociation;
import net.edgegw.dataplane.sa.Suite;
import net.edgegw.dataplane.stats.Drop;
import net.edgegw.dataplane.stats.DropCounters;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * ESP tunnel-mode encrypt and decrypt of one IPv4 packet of {@code size} bytes, each beside a baseline: the bare
 * JCE cipher (and HMAC for CBC suites) over the same bytes of the same buffer layout, in the same run.
 *
 * <ul>
 *   <li>{@code espEncrypt}: copy the inner packet in at the headroom offset, then {@link Esp#encapsulate}
 *       (trailer, ESP header, IV, cipher, ICV, outer IPv4 header).</li>
 *   <li>{@code jceEncrypt}: the same copy, then init + updateAAD + doFinal in place over the same ciphertext
 *       length with a fresh nonce (the JCE refuses key+nonce reuse for GCM and ChaCha20-Poly1305 encryption).</li>
 *   <li>{@code espDecrypt}: copy one pre-encrypted outer packet in, then the whole inbound path,
 *       {@link Inbound#fromIp}: IP checks, SAD lookup, replay check, ICV + decryption, trailer, selectors.
 *       The inbound SA has replay window 0 (off) so the same packet can be accepted again and again.</li>
 *   <li>{@code jceDecrypt}: the same copy, then verify + decrypt the same ciphertext region with the bare JCE.</li>
 *   <li>{@code pairedEncrypt}, {@code pairedDecrypt}: the same two operations, ours and the baseline, in
 *       alternating batches of {@link #BATCH} in one thread, each batch timed; {@link Paired} sums the time and
 *       the operations of each side. Both sides thus see the same machine at the same moment: on a shared VM the
 *       speed of one JVM drifts by tens of percent over seconds, more than the difference we are measuring,
 *       and separate forks compare different moments. bench/esp.sh takes throughput and the ratio from these,
 *       and allocation from the four benchmarks above under {@code -prof gc}.</li>
 * </ul>
 *
 * <p>Both SAs use ESN (12-byte AAD), so the outbound counter cannot run out however long a run lasts; the
 * baselines use the same 12-byte AAD. Throughput is reported as ops/s; bench/esp.sh turns it into Gbit/s of
 * inner packet bytes ({@code ops/s * size * 8}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// A fixed heap: the JCE allocates about 1-2 KB per packet (ours and the baseline alike), and a heap that G1
// resizes from run to run made the figures swing by tens of percent between forks.
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EspBenchmark {
    /** Operations per timed batch in the paired benchmarks: tens of microseconds at 64 B, so nanoTime is noise. */
    static final int BATCH = 32;
    private static final int SPI = 0x00c0ffee;
    private static final byte[] OUTER_SRC = {(byte) 192, 0, 2, 1};
    private static final byte[] OUTER_DST = {(byte) 198, 51, 100, 1};
    private static final byte[] INNER_SRC = {10, 1, 0, 1};
    private static final byte[] INNER_DST = {10, 2, 0, 1};

    @Param({"aes128gcm16", "aes256gcm16", "chacha20poly1305", "aes128-sha256", "aes256-sha256", "aes128-sha384",
            "aes256-sha384", "aes128-sha512", "aes256-sha512", "aes128gmac", "aes256gmac"})
    public String suite;

    @Param({"64", "512", "1400", "8192"})
    public int size;

    private SecurityAssociation outSa;
    private Inbound inbound;
    /** The inner IPv4/UDP packet, {@code size} bytes. */
    private byte[] inner;
    /** One outer packet as {@link Esp#encapsulate} produced it (sequence number 1). */
    private byte[] sealed;
    private int sealedOff;
    private Packet encWork;
    private Packet decWork;
    private JceBaseline jce;

    @Setup
    public void setup() throws GeneralSecurityException {
        Suite s = Suite.ofKeyword(suite);
        SplittableRandom rnd = new SplittableRandom(4303);
        byte[] encKey = bytes(rnd, s.encKeyLen());
        byte[] authKey = bytes(rnd, s.authKeyLen);
        SaConfig.Builder b = SaConfig.builder().spi(SPI).mode(net.edgegw.dataplane.sa.Mode.TUNNEL).suite(s)
                .encKey(encKey).authKey(authKey).src(OUTER_SRC).dst(OUTER_DST).esn(true);
        Sad sad = new Sad();
        outSa = sad.install(b.direction(Direction.OUTBOUND).build());
        sad.install(b.direction(Direction.INBOUND).replayWindow(0).build());
        inbound = new Inbound(sad, new DropCounters());

        inner = new byte[size];
        Ipv4Header.write(inner, 0, size, IpProtocol.UDP, INNER_SRC, INNER_DST, 0, true);
        NetworkOrder.put16(inner, 20, 5000);
        NetworkOrder.put16(inner, 22, 5001);
        NetworkOrder.put16(inner, 24, size - 20);
        for (int i = 28; i < size; i++) {
            inner[i] = (byte) rnd.nextInt(256);
        }

        encWork = Packet.forMtu(size);
        decWork = Packet.forMtu(size);
        // Sequence number 1; the encrypt benchmark goes on from 2.
        Packet p = Packet.forMtu(size).set(inner, 0, size, Packet.DEFAULT_HEADROOM);
        check(Esp.encapsulate(outSa, p));
        sealed = p.toArray();
        sealedOff = p.off;
        decWork.set(sealed, 0, sealed.length, sealedOff);
        if (inbound.fromIp(decWork) != Inbound.Verdict.FORWARD || decWork.len != size) {
            throw new IllegalStateException("inbound refused our own packet: " + inbound.lastDrop());
        }

        int espOff = sealedOff + Ipv4Header.MIN_LEN;
        int ctLen = sealed.length - Ipv4Header.MIN_LEN - Esp.HEADER_LEN - s.ivLen - s.icvLen;
        jce = switch (s.kind) {
            case AEAD_GCM, AEAD_CHACHA -> new Aead(s, encKey, espOff, ctLen, sealed);
            case GMAC -> new Gmac(s, encKey, espOff, ctLen, sealed);
            case CBC_HMAC -> new CbcHmac(s, encKey, authKey, espOff, ctLen, sealed);
            case AH_HMAC -> throw new IllegalArgumentException("not an ESP suite: " + suite);
        };
        jce.decrypt(sealed, sealedOff);
        for (int i = 0; i < size; i++) {
            if (jce.dec[espOff + Esp.HEADER_LEN + s.ivLen + i] != inner[i]) {
                throw new IllegalStateException("JCE baseline does not decrypt our packet");
            }
        }
        jce.encrypt(inner, size); // fail here, not in the middle of a run
    }

    @Benchmark
    public int espEncrypt() {
        Packet p = encWork;
        System.arraycopy(inner, 0, p.buf, Packet.DEFAULT_HEADROOM, size);
        p.off = Packet.DEFAULT_HEADROOM;
        p.len = size;
        check(Esp.encapsulate(outSa, p));
        return p.len;
    }

    @Benchmark
    public int jceEncrypt() throws GeneralSecurityException {
        return jce.encrypt(inner, size);
    }

    @Benchmark
    public int espDecrypt() {
        Packet p = decWork;
        System.arraycopy(sealed, 0, p.buf, sealedOff, sealed.length);
        p.off = sealedOff;
        p.len = sealed.length;
        if (inbound.fromIp(p) != Inbound.Verdict.FORWARD) {
            throw new IllegalStateException("dropped: " + inbound.lastDrop());
        }
        return p.len;
    }

    @Benchmark
    public int jceDecrypt() throws GeneralSecurityException {
        return jce.decrypt(sealed, sealedOff);
    }

    /** Time and operations of each side of a paired benchmark, summed per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Paired {
        public long espNanos;
        public long espOps;
        public long jceNanos;
        public long jceOps;
        /** Which side goes first in the next pair of batches: alternated so neither always follows the other. */
        boolean jceFirst;

        @Setup(Level.Iteration)
        public void clear() {
            espNanos = espOps = jceNanos = jceOps = 0;
        }
    }

    @Benchmark
    public void pairedEncrypt(Paired c, Blackhole bh) throws GeneralSecurityException {
        boolean jceFirst = c.jceFirst;
        c.jceFirst = !jceFirst;
        long t0 = System.nanoTime();
        for (int i = 0; i < BATCH; i++) {
            bh.consume(jceFirst ? jceEncrypt() : espEncrypt());
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < BATCH; i++) {
            bh.consume(jceFirst ? espEncrypt() : jceEncrypt());
        }
        long t2 = System.nanoTime();
        c.espNanos += jceFirst ? t2 - t1 : t1 - t0;
        c.jceNanos += jceFirst ? t1 - t0 : t2 - t1;
        c.espOps += BATCH;
        c.jceOps += BATCH;
    }

    @Benchmark
    public void pairedDecrypt(Paired c, Blackhole bh) throws GeneralSecurityException {
        boolean jceFirst = c.jceFirst;
        c.jceFirst = !jceFirst;
        long t0 = System.nanoTime();
        for (int i = 0; i < BATCH; i++) {
            bh.consume(jceFirst ? jceDecrypt() : espDecrypt());
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < BATCH; i++) {
            bh.consume(jceFirst ? espDecrypt() : jceDecrypt());
        }
        long t2 = System.nanoTime();
        c.espNanos += jceFirst ? t2 - t1 : t1 - t0;
        c.jceNanos += jceFirst ? t1 - t0 : t2 - t1;
        c.espOps += BATCH;
        c.jceOps += BATCH;
    }

    private static void check(Drop d) {
        if (d != null) {
            throw new IllegalStateException("dropped: " + d);
        }
    }

    private static byte[] bytes(SplittableRandom rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    /**
     * The bare JCE over the same byte ranges of a buffer laid out like our packet (outer IPv4 header, ESP header,
     * IV, ciphertext, ICV), so copies and cipher calls match ours and the difference is the ESP framing.
     */
    abstract static class JceBaseline {
        final int espOff;
        final int ivOff;
        final int ctOff;
        final int ctLen;
        /** ESP header + ESN high bits: SPI || seq hi || seq lo, as our AAD. */
        final byte[] aad = new byte[12];
        final byte[] enc;
        final byte[] dec;
        long seq;

        JceBaseline(Suite s, int espOff, int ctLen, byte[] sealed) {
            this.espOff = espOff;
            this.ivOff = espOff + Esp.HEADER_LEN;
            this.ctOff = ivOff + s.ivLen;
            this.ctLen = ctLen;
            int cap = Packet.DEFAULT_HEADROOM + sealed.length + Packet.DEFAULT_TAILROOM;
            this.enc = new byte[cap];
            this.dec = new byte[cap];
            NetworkOrder.put32(aad, 0, SPI);
            // The sealed packet carries sequence number 1 (ESN high bits 0).
            NetworkOrder.put64(aad, 4, 1);
        }

        /** Copies {@code inner} to the payload offset and protects it with a fresh nonce/IV. */
        abstract int encrypt(byte[] inner, int n) throws GeneralSecurityException;

        /** Copies the outer packet in and verifies + decrypts its ciphertext. */
        abstract int decrypt(byte[] sealed, int at) throws GeneralSecurityException;
    }

    /** AES-GCM or ChaCha20-Poly1305: Cipher.init + updateAAD + doFinal in place. */
    static final class Aead extends JceBaseline {
        // One cipher per direction, as our outbound and inbound SAs have: ChaCha20-Poly1305 refuses to encrypt
        // under the key and nonce of the previous init, even if that init was for decryption.
        private final Cipher encCipher;
        private final Cipher decCipher;
        private final SecretKeySpec key;
        private final boolean gcm;
        private final byte[] encNonce = new byte[12];
        private final byte[] decNonce = new byte[12];

        Aead(Suite s, byte[] encKey, int espOff, int ctLen, byte[] sealed) throws GeneralSecurityException {
            super(s, espOff, ctLen, sealed);
            gcm = s.kind == Suite.Kind.AEAD_GCM;
            key = new SecretKeySpec(encKey, 0, s.cipherKeyLen, gcm ? "AES" : "ChaCha20");
            encCipher = Cipher.getInstance(gcm ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305");
            decCipher = Cipher.getInstance(gcm ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305");
            System.arraycopy(encKey, s.cipherKeyLen, encNonce, 0, 4);
            System.arraycopy(encKey, s.cipherKeyLen, decNonce, 0, 4);
            System.arraycopy(sealed, Ipv4Header.MIN_LEN + Esp.HEADER_LEN, decNonce, 4, 8);
        }

        private AlgorithmParameterSpec spec(byte[] nonce) {
            return gcm ? new GCMParameterSpec(128, nonce) : new IvParameterSpec(nonce);
        }

        @Override
        int encrypt(byte[] inner, int n) throws GeneralSecurityException {
            byte[] b = enc;
            System.arraycopy(inner, 0, b, ctOff, n);
            long s = ++seq;
            NetworkOrder.put64(encNonce, 4, s);
            NetworkOrder.put64(aad, 4, s);
            encCipher.init(Cipher.ENCRYPT_MODE, key, spec(encNonce));
            encCipher.updateAAD(aad, 0, 12);
            return encCipher.doFinal(b, ctOff, ctLen, b, ctOff);
        }

        @Override
        int decrypt(byte[] sealed, int at) throws GeneralSecurityException {
            byte[] b = dec;
            System.arraycopy(sealed, 0, b, at, sealed.length);
            NetworkOrder.put64(aad, 4, 1);
            decCipher.init(Cipher.DECRYPT_MODE, key, spec(decNonce));
            decCipher.updateAAD(aad, 0, 12);
            return decCipher.doFinal(b, ctOff, ctLen + 16, b, ctOff);
        }
    }

    /** AES-GMAC: GCM with everything as AAD and no plaintext; the tag is the ICV. */
    static final class Gmac extends JceBaseline {
        private final Cipher encCipher;
        private final Cipher decCipher;
        private final SecretKeySpec key;
        private final byte[] encNonce = new byte[12];
        private final byte[] decNonce = new byte[12];
        private final byte[] sink = new byte[0];

        Gmac(Suite s, byte[] encKey, int espOff, int ctLen, byte[] sealed) throws GeneralSecurityException {
            super(s, espOff, ctLen, sealed);
            key = new SecretKeySpec(encKey, 0, s.cipherKeyLen, "AES");
            encCipher = Cipher.getInstance("AES/GCM/NoPadding");
            decCipher = Cipher.getInstance("AES/GCM/NoPadding");
            System.arraycopy(encKey, s.cipherKeyLen, encNonce, 0, 4);
            System.arraycopy(encKey, s.cipherKeyLen, decNonce, 0, 4);
            System.arraycopy(sealed, Ipv4Header.MIN_LEN + Esp.HEADER_LEN, decNonce, 4, 8);
        }

        @Override
        int encrypt(byte[] inner, int n) throws GeneralSecurityException {
            byte[] b = enc;
            System.arraycopy(inner, 0, b, ctOff, n);
            long s = ++seq;
            NetworkOrder.put64(encNonce, 4, s);
            NetworkOrder.put64(b, ivOff, s);
            NetworkOrder.put64(aad, 4, s);
            encCipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, encNonce));
            encCipher.updateAAD(aad, 0, 12);
            encCipher.updateAAD(b, ivOff, 8 + ctLen);
            return encCipher.doFinal(b, ctOff + ctLen);
        }

        @Override
        int decrypt(byte[] sealed, int at) throws GeneralSecurityException {
            byte[] b = dec;
            System.arraycopy(sealed, 0, b, at, sealed.length);
            NetworkOrder.put64(aad, 4, 1);
            decCipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, decNonce));
            decCipher.updateAAD(aad, 0, 12);
            decCipher.updateAAD(b, ivOff, 8 + ctLen);
            return decCipher.doFinal(b, ctOff + ctLen, 16, sink, 0);
        }
    }

    /**
     * AES-CBC + HMAC, encrypt-then-MAC. The baseline's IV is a plain counter written into the packet; our path
     * derives it with one extra AES block (E_K(seq)), which is part of what it is measured for.
     */
    static final class CbcHmac extends JceBaseline {
        private final Cipher cbc;
        private final Mac mac;
        private final SecretKeySpec key;
        private final int icvLen;
        private final byte[] macOut;
        private final byte[] seqHi = new byte[4];

        CbcHmac(Suite s, byte[] encKey, byte[] authKey, int espOff, int ctLen, byte[] sealed)
                throws GeneralSecurityException {
            super(s, espOff, ctLen, sealed);
            key = new SecretKeySpec(encKey, 0, s.cipherKeyLen, "AES");
            cbc = Cipher.getInstance("AES/CBC/NoPadding");
            mac = Mac.getInstance(s.macAlgorithm);
            mac.init(new SecretKeySpec(authKey, s.macAlgorithm));
            icvLen = s.icvLen;
            macOut = new byte[mac.getMacLength()];
        }

        @Override
        int encrypt(byte[] inner, int n) throws GeneralSecurityException {
            byte[] b = enc;
            System.arraycopy(inner, 0, b, ctOff, n);
            long s = ++seq;
            NetworkOrder.put64(b, ivOff, s);
            NetworkOrder.put64(b, ivOff + 8, 0);
            cbc.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(b, ivOff, 16));
            cbc.doFinal(b, ctOff, ctLen, b, ctOff);
            mac.update(b, espOff, ctOff + ctLen - espOff);
            mac.update(seqHi, 0, 4);
            mac.doFinal(macOut, 0);
            System.arraycopy(macOut, 0, b, ctOff + ctLen, icvLen);
            return ctLen;
        }

        @Override
        int decrypt(byte[] sealed, int at) throws GeneralSecurityException {
            byte[] b = dec;
            System.arraycopy(sealed, 0, b, at, sealed.length);
            mac.update(b, espOff, ctOff + ctLen - espOff);
            mac.update(seqHi, 0, 4);
            mac.doFinal(macOut, 0);
            int diff = 0;
            for (int i = 0; i < icvLen; i++) {
                diff |= macOut[i] ^ b[ctOff + ctLen + i];
            }
            if (diff != 0) {
                throw new IllegalStateException("ICV mismatch in baseline");
            }
            cbc.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(b, ivOff, 16));
            return cbc.doFinal(b, ctOff, ctLen, b, ctOff);
        }
    }
}
