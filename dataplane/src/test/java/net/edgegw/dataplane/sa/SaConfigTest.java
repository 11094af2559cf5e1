package net.edgegw.dataplane.sa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import net.edgegw.dataplane.spd.TrafficSelector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Validation of what the control plane hands the data plane for one SA (RFC 4301 §4.4.2.1 fields). */
class SaConfigTest {

    static byte[] key(int len, int seed) {
        byte[] k = new byte[len];
        for (int i = 0; i < len; i++) {
            k[i] = (byte) (seed + 37 * i);
        }
        return k;
    }

    /** A valid outbound AES-GCM SA; tests change one thing. */
    static SaConfig.Builder valid() {
        return SaConfig.builder().spi(0x1000).suite(Suite.AES_GCM_16_128).encKey(key(20, 1))
                .src("192.0.2.1").dst("198.51.100.2");
    }

    static SaConfig.Builder valid(Suite s) {
        return valid().suite(s).encKey(key(s.encKeyLen(), 1))
                .authKey(s.authKeyLen == 0 ? null : key(s.authKeyLen, 2));
    }

    private static String rejected(Consumer<SaConfig.Builder> change) {
        SaConfig.Builder b = valid();
        change.accept(b);
        return assertThrows(IllegalArgumentException.class, b::build).getMessage();
    }

    private static void assertMentions(String message, String... words) {
        for (String w : words) {
            assertTrue(message.contains(w), "'" + message + "' should mention '" + w + "'");
        }
    }

    @Test
    void defaults() {
        SaConfig c = valid().build();
        assertEquals(0x1000, c.spi());
        assertEquals(Direction.OUTBOUND, c.direction());
        assertEquals(Mode.TUNNEL, c.mode());
        assertEquals(1024, c.replayWindow());
        assertFalse(c.esn());
        assertFalse(c.udpEncapsulated());
        assertFalse(c.ipv6Outer());
        assertEquals(Lifetime.NONE, c.soft());
        assertEquals(Lifetime.NONE, c.hard());
        assertEquals(List.of(), c.localTs());
        assertEquals(0, c.initialSeq());
        assertArrayEquals(new byte[0], c.authKey(), "an AEAD suite has no separate integrity key");
        assertArrayEquals(new byte[] {(byte) 192, 0, 2, 1}, c.src());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100, 255})
    void spiBelow256IsRefused(int spi) {
        assertMentions(rejected(b -> b.spi(spi)), "SPI", "256");
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 0x1000, 0x7fffffff, 0x80000000, 0xffffffff})
    void spiFrom256UpIsAccepted(int spi) {
        assertEquals(spi, valid().spi(spi).build().spi(), "SPIs are unsigned: the high half is valid too");
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void eachSuiteBuildsWithItsKeyLengths(Suite s) {
        SaConfig c = valid(s).build();
        assertEquals(s.encKeyLen(), c.encKey().length);
        assertEquals(s.authKeyLen, c.authKey().length);
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void wrongEncryptionKeyLengthIsRefused(Suite s) {
        for (int len : new int[] {s.encKeyLen() - 1, s.encKeyLen() + 1, s.encKeyLen() + 4, 64}) {
            if (len < 0 || len == s.encKeyLen()) {
                continue;
            }
            SaConfig.Builder b = valid(s).encKey(new byte[len]);
            String m = assertThrows(IllegalArgumentException.class, b::build, s + " with " + len).getMessage();
            assertMentions(m, s.keyword, "encryption key", String.valueOf(s.encKeyLen()), "got " + len);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Suite.class, mode = EnumSource.Mode.MATCH_NONE, names = "AH_.*")
    void missingEncryptionKeyIsRefusedForEsp(Suite s) {
        SaConfig.Builder b = valid(s).encKey(null);
        assertMentions(assertThrows(IllegalArgumentException.class, b::build).getMessage(), s.keyword,
                "encryption key", "none");
    }

    @Test
    void gcmSaltIsPartOfTheEncryptionKey() {
        // RFC 4106 §8.1: a 128-bit GCM key is 16 + 4 bytes of KEYMAT; the bare 16-byte AES key is wrong.
        assertMentions(rejected(b -> b.suite(Suite.AES_GCM_16_128).encKey(new byte[16])), "20", "got 16");
        assertMentions(rejected(b -> b.suite(Suite.CHACHA20_POLY1305).encKey(new byte[32])), "36", "got 32");
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void wrongIntegrityKeyLengthIsRefused(Suite s) {
        for (int len : new int[] {s.authKeyLen - 1, s.authKeyLen + 1, 20, 32}) {
            if (len < 0 || len == s.authKeyLen) {
                continue;
            }
            SaConfig.Builder b = valid(s).authKey(new byte[len]);
            String m = assertThrows(IllegalArgumentException.class, b::build, s + " with " + len).getMessage();
            assertMentions(m, s.keyword, "integrity key", String.valueOf(s.authKeyLen), "got " + len);
        }
        if (s.authKeyLen != 0) {
            assertMentions(assertThrows(IllegalArgumentException.class, valid(s).authKey(null)::build).getMessage(),
                    "integrity key", "got 0");
        }
    }

    @Test
    void ahNeedsNoEncryptionKey() {
        // AH has nothing to encrypt: leaving the encryption key out must be fine, as for the integrity key of
        // an AEAD suite.
        SaConfig c = valid(Suite.AH_HMAC_SHA256_128).encKey(null).build();
        assertEquals(0, c.encKey().length);
        assertEquals(32, c.authKey().length);
    }

    @ParameterizedTest
    @CsvSource({"192.0.2.1,2001:db8::2", "2001:db8::1,198.51.100.2"})
    void mixedAddressFamiliesAreRefused(String src, String dst) {
        assertMentions(rejected(b -> b.src(src).dst(dst)), "IPv4", "IPv6", "src", "dst");
    }

    @Test
    void malformedOuterAddressesAreRefused() {
        assertMentions(rejected(b -> b.src(new byte[5]).dst(new byte[5])), "src", "dst");
        assertMentions(rejected(b -> b.src((byte[]) null)), "src", "dst");
        assertMentions(rejected(b -> b.dst((byte[]) null)), "src", "dst");
    }

    @Test
    void ipv6OuterAddresses() {
        SaConfig c = valid().src("2001:db8::1").dst("2001:db8::2").build();
        assertTrue(c.ipv6Outer());
        assertEquals(16, c.dst().length);
    }

    @ParameterizedTest
    @CsvSource({"4500,0", "0,4500", "-1,4500", "4500,65536", "70000,4500", "4500,-4500"})
    void udpEncapsulationNeedsBothPortsInRange(int srcPort, int dstPort) {
        assertMentions(rejected(b -> b.udpEncap(srcPort, dstPort)), "UDP encapsulation", "both ports");
    }

    @Test
    void udpEncapsulation() {
        SaConfig c = valid().udpEncap(4500, 65535).build();
        assertTrue(c.udpEncapsulated());
        assertEquals(4500, c.encapSrcPort());
        assertEquals(65535, c.encapDstPort());
    }

    @Test
    void ahCannotBeUdpEncapsulated() {
        SaConfig.Builder b = valid(Suite.AH_HMAC_SHA256_128).udpEncap(4500, 4500);
        assertMentions(assertThrows(IllegalArgumentException.class, b::build).getMessage(), "AH", "RFC 3948");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 1, 32, 100, 1000, 1 << 17})
    void badReplayWindowIsRefused(int w) {
        assertMentions(rejected(b -> b.replayWindow(w)), "replay window");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 64, 192, 4096, 65536})
    void goodReplayWindows(int w) {
        assertEquals(w, valid().replayWindow(w).build().replayWindow());
    }

    @Test
    void initialSequenceNumberRange() {
        assertMentions(rejected(b -> b.initialSeq(-1)), "sequence");
        assertMentions(rejected(b -> b.initialSeq(1L << 32)), "sequence");
        assertEquals(0xffffffffL, valid().initialSeq(0xffffffffL).build().initialSeq());
        assertEquals(1L << 32, valid().esn(true).initialSeq(1L << 32).build().initialSeq());
    }

    @Test
    void directionModeAndSuiteAreRequired() {
        assertMentions(rejected(b -> b.direction(null)), "direction");
        assertMentions(rejected(b -> b.mode(null)), "mode");
        assertMentions(rejected(b -> b.suite(null)), "suite");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String m = rejected(b -> b.spi(7).replayWindow(100).udpEncap(4500, 0).encKey(new byte[3]));
        assertMentions(m, "SPI", "replay window", "UDP encapsulation", "encryption key");
    }

    @Test
    void trafficSelectorListsAreCopied() {
        List<TrafficSelector> local = new ArrayList<>(List.of(TrafficSelector.cidr("10.0.0.0/8")));
        SaConfig c = valid().localTs(local).remoteTs(null).build();
        local.add(TrafficSelector.cidr("192.168.0.0/16"));
        assertEquals(1, c.localTs().size());
        assertEquals(List.of(), c.remoteTs());
        assertThrows(UnsupportedOperationException.class, () -> c.localTs().add(TrafficSelector.any(4)));
    }

    @Test
    void keysAndAddressesAreCopiedOnBuild() {
        byte[] enc = key(32, 5);
        byte[] auth = key(64, 9);
        byte[] src = {10, 0, 0, 1};
        byte[] dst = {10, 0, 0, 2};
        byte[] encCopy = enc.clone();
        byte[] authCopy = auth.clone();
        SaConfig c = valid().suite(Suite.AES_CBC_256_HMAC_SHA512).encKey(enc).authKey(auth).src(src).dst(dst).build();
        Arrays.fill(enc, (byte) 0);
        Arrays.fill(auth, (byte) 0);
        src[3] = 99;
        dst[3] = 99;
        assertArrayEquals(encCopy, c.encKey());
        assertArrayEquals(authCopy, c.authKey());
        assertArrayEquals(new byte[] {10, 0, 0, 1}, c.src());
        assertArrayEquals(new byte[] {10, 0, 0, 2}, c.dst());
    }

    @Test
    void callerMutatingItsKeyAfterBuildDoesNotChangeTheSa() {
        byte[] callerKey = key(20, 3);
        SaConfig mutated = valid().encKey(callerKey).build();
        Arrays.fill(callerKey, (byte) 0x55); // e.g. the caller wiping its KEYMAT buffer
        SaConfig pristine = valid().encKey(key(20, 3)).build();

        byte[] a = sealedSample(new SecurityAssociation(mutated, 0));
        byte[] b = sealedSample(new SecurityAssociation(pristine, 0));
        assertArrayEquals(b, a, "both SAs must encrypt with the key as it was at build()");
    }

    /** ESP-seals one fixed 16-byte payload (SPI, seq 1) with the SA and returns the whole ESP packet. */
    private static byte[] sealedSample(SecurityAssociation sa) {
        int ivLen = sa.esp.ivLen();
        byte[] p = new byte[8 + ivLen + 16 + sa.esp.icvLen()];
        p[0] = 0;
        p[1] = 0;
        p[2] = 0x10;
        p[3] = 0;
        p[7] = 1;
        for (int i = 0; i < 16; i++) {
            p[8 + ivLen + i] = (byte) i;
        }
        assertTrue(sa.esp.seal(p, 0, 16, 1));
        return p;
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void toStringNeverShowsKeyBytes(Suite s) {
        SaConfig c = valid(s).encKey(fill(s.encKeyLen(), 0xc3))
                .authKey(s.authKeyLen == 0 ? null : fill(s.authKeyLen, 0x5a)).build();
        List<String> forms = new ArrayList<>();
        for (byte[] k : List.of(c.encKey(), c.authKey())) {
            if (k.length == 0) {
                continue;
            }
            byte[] head = Arrays.copyOf(k, 3);
            forms.add(HexFormat.of().formatHex(head));
            forms.add(HexFormat.of().withUpperCase().formatHex(head));
            forms.add(HexFormat.ofDelimiter(":").formatHex(head));
            forms.add(HexFormat.ofDelimiter(" ").formatHex(head));
            forms.add(Arrays.toString(head).replace("]", ""));
            forms.add(Base64.getEncoder().encodeToString(k).substring(0, 4));
        }
        String str = c.toString();
        String saStr = new SecurityAssociation(c, 0).toString();
        for (String f : forms) {
            assertFalse(str.contains(f), "config toString '" + str + "' shows key bytes as " + f);
            assertFalse(saStr.contains(f), "SA toString '" + saStr + "' shows key bytes as " + f);
        }
        assertTrue(str.contains("0x00001000") && str.contains(s.keyword), str); // and it still says something
    }

    private static byte[] fill(int len, int v) {
        byte[] b = new byte[len];
        Arrays.fill(b, (byte) v);
        return b;
    }
}
