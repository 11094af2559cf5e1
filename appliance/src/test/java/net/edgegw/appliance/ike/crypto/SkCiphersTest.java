package net.edgegw.appliance.ike.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.edgegw.appliance.ike.IkeProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SkCiphersTest {
    private static final SecureRandom RND = new SecureRandom();

    static List<VectorFile> sealVectors() {
        return VectorFile.load("sk-payload.txt", "seal");
    }

    static List<VectorFile> openVectors() {
        return VectorFile.load("sk-payload.txt", "open");
    }

    /** encr, key bits, integ. */
    static Stream<Arguments> suites() {
        return Stream.of(Arguments.of(20, 128, 0), Arguments.of(20, 192, 0), Arguments.of(20, 256, 0),
                Arguments.of(28, 0, 0), Arguments.of(12, 128, 12), Arguments.of(12, 256, 13),
                Arguments.of(12, 256, 14));
    }

    private static SkCipher cipher(VectorFile v, SecureRandom rnd) {
        return SkCiphers.create(v.integer("encr"), v.integer("key_bits"), v.integer("integ"), v.hex("enc_key"),
                v.integer("integ") == 0 ? null : v.hex("integ_key"), rnd);
    }

    private static SkCipher cipher(int encr, int bits, int integ) {
        byte[] ek = new byte[SkCiphers.keyLength(encr, bits)];
        byte[] ik = new byte[SkCiphers.integKeyLength(integ)];
        RND.nextBytes(ek);
        RND.nextBytes(ik);
        return SkCiphers.create(encr, bits, integ, ek, ik, RND);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sealVectors")
    void sealKnownAnswers(VectorFile v) throws Exception {
        byte[] iv = v.hex("iv");
        // AEAD: the first IV is 1 XOR the mask from nextLong(); CBC: the IV is nextBytes().
        long mask = iv.length == 8 ? ByteBuffer.wrap(iv).getLong() ^ 1 : 0;
        SkCipher c = cipher(v, new FixedRandom(iv, mask));
        byte[] sealed = c.seal(v.hex("aad"), v.hex("plaintext"));
        assertArrayEquals(v.hex("sealed"), sealed);
        assertEquals(sealed.length, c.sealedLength(v.hex("plaintext").length));
        assertArrayEquals(v.hex("plaintext"), cipher(v, RND).open(v.hex("aad"), sealed, 0, sealed.length));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("openVectors")
    void openKnownAnswers(VectorFile v) throws Exception {
        byte[] sealed = v.hex("sealed");
        byte[] framed = new byte[sealed.length + 7]; // at an offset inside a larger message
        System.arraycopy(sealed, 0, framed, 5, sealed.length);
        assertArrayEquals(v.hex("plaintext"), cipher(v, RND).open(v.hex("aad"), framed, 5, sealed.length));
    }

    @ParameterizedTest(name = "encr {0} {1} integ {2}")
    @MethodSource("suites")
    void roundTripsAndRefusesEveryTamperedOctet(int encr, int bits, int integ) throws Exception {
        SkCipher c = cipher(encr, bits, integ);
        byte[] aad = new byte[32];
        RND.nextBytes(aad);
        for (int n : new int[] {0, 1, 15, 16, 17, 100}) {
            byte[] pt = new byte[n];
            RND.nextBytes(pt);
            byte[] sealed = c.seal(aad, pt);
            assertEquals(c.sealedLength(n), sealed.length);
            assertArrayEquals(pt, c.open(aad, sealed, 0, sealed.length));
        }
        byte[] pt = "IDi AUTH SAi2 TSi TSr".getBytes();
        byte[] sealed = c.seal(aad, pt);
        for (int i = 0; i < sealed.length; i++) {
            byte[] bad = sealed.clone();
            bad[i] ^= 0x01;
            assertNotify(IkeProtocolException.AUTHENTICATION_FAILED, () -> c.open(aad, bad, 0, bad.length));
        }
        byte[] badAad = aad.clone();
        badAad[3] ^= (byte) 0x80;
        assertNotify(IkeProtocolException.AUTHENTICATION_FAILED, () -> c.open(badAad, sealed, 0, sealed.length));
    }

    @ParameterizedTest(name = "encr {0} {1} integ {2}")
    @MethodSource("suites")
    void malformedLengthsAreInvalidSyntax(int encr, int bits, int integ) {
        SkCipher c = cipher(encr, bits, integ);
        byte[] sealed = c.seal(new byte[4], new byte[40]);
        assertNotify(IkeProtocolException.INVALID_SYNTAX, () -> c.open(new byte[4], sealed, 0, c.sealedLength(0) - 1));
        assertNotify(IkeProtocolException.INVALID_SYNTAX, () -> c.open(new byte[4], sealed, 0, 0));
        if (encr == SkCiphers.ENCR_AES_CBC) { // ciphertext not a whole number of blocks
            assertNotify(IkeProtocolException.INVALID_SYNTAX, () -> c.open(new byte[4], sealed, 1, sealed.length - 1));
        }
    }

    @ParameterizedTest(name = "encr {0} {1} integ {2}")
    @MethodSource("suites")
    void maxPlaintextIsTheLargestThatFits(int encr, int bits, int integ) {
        SkCipher c = cipher(encr, bits, integ);
        for (int sealedLen = c.sealedLength(0); sealedLen < 300; sealedLen++) {
            int max = c.maxPlaintext(sealedLen);
            assertTrue(c.sealedLength(max) <= sealedLen, "fits at " + sealedLen);
            assertTrue(c.sealedLength(max + 1) > sealedLen, "largest at " + sealedLen);
        }
    }

    @Test
    void aeadIvsNeverRepeatAndCbcIvsAreFresh() {
        for (int[] s : new int[][] {{20, 128, 0}, {28, 0, 0}, {12, 128, 12}}) {
            SkCipher c = cipher(s[0], s[1], s[2]);
            int ivLen = s[0] == 12 ? 16 : 8;
            byte[] a = Arrays.copyOf(c.seal(new byte[0], new byte[3]), ivLen);
            byte[] b = Arrays.copyOf(c.seal(new byte[0], new byte[3]), ivLen);
            assertFalse(Arrays.equals(a, b), "IV repeated for encr " + s[0]);
        }
    }

    /** A Pad Length larger than the decrypted data is INVALID_SYNTAX even when the ICV is right. */
    @Test
    void padLengthBeyondThePlaintextIsInvalidSyntax() throws Exception {
        byte[] key = new byte[20];
        byte[] aad = new byte[8];
        byte[] iv = new byte[8];
        byte[] pt = new byte[16];
        pt[15] = 16; // Pad Length 16 + the octet itself > 16
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, 0, 16, "AES"), new GCMParameterSpec(128, new byte[12]));
        gcm.updateAAD(aad);
        byte[] sealed = IkeKeys.concat(iv, gcm.doFinal(pt));
        SkCipher c = SkCiphers.create(20, 128, 0, key, null, RND);
        assertNotify(IkeProtocolException.INVALID_SYNTAX, () -> c.open(aad, sealed, 0, sealed.length));

        byte[] ek = new byte[16];
        byte[] ik = new byte[32];
        Cipher cbc = Cipher.getInstance("AES/CBC/NoPadding");
        cbc.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(ek, "AES"), new IvParameterSpec(new byte[16]));
        byte[] body = IkeKeys.concat(new byte[16], cbc.doFinal(pt));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(ik, "HmacSHA256"));
        mac.update(aad);
        byte[] sealedCbc = IkeKeys.concat(body, Arrays.copyOf(mac.doFinal(body), 16));
        SkCipher d = SkCiphers.create(12, 128, 12, ek, ik, RND);
        assertNotify(IkeProtocolException.INVALID_SYNTAX, () -> d.open(aad, sealedCbc, 0, sealedCbc.length));
    }

    @Test
    void keyLengthsAndSupportedCombinations() {
        assertEquals(20, SkCiphers.keyLength(20, 128));
        assertEquals(36, SkCiphers.keyLength(20, 256));
        assertEquals(36, SkCiphers.keyLength(28, 0));
        assertEquals(32, SkCiphers.keyLength(12, 256));
        assertEquals(32, SkCiphers.integKeyLength(12));
        assertEquals(48, SkCiphers.integKeyLength(13));
        assertEquals(64, SkCiphers.integKeyLength(14));
        assertTrue(SkCiphers.supported(20, 256, 0));
        assertTrue(SkCiphers.supported(12, 128, 12));
        assertFalse(SkCiphers.supported(20, 256, 12)); // AEAD with an integrity transform
        assertFalse(SkCiphers.supported(12, 128, 0)); // CBC without one
        assertFalse(SkCiphers.supported(12, 100, 12));
        assertFalse(SkCiphers.supported(3, 0, 2)); // 3DES, HMAC-SHA1
        assertThrows(IllegalArgumentException.class, () -> SkCiphers.keyLength(20, 64));
        assertThrows(IllegalArgumentException.class, () -> SkCiphers.integKeyLength(2));
        assertThrows(IllegalArgumentException.class, () -> SkCiphers.create(20, 128, 0, new byte[16], null, RND));
        assertThrows(IllegalArgumentException.class,
                () -> SkCiphers.create(12, 128, 12, new byte[16], new byte[20], RND));
    }

    private static void assertNotify(int type, org.junit.jupiter.api.function.Executable e) {
        IkeProtocolException ex = assertThrows(IkeProtocolException.class, e);
        assertEquals(type, ex.notifyType());
    }

    @Test
    void equalInputsGiveDifferentCiphertextsUnderFreshCiphers() {
        byte[] k = new byte[20];
        SkCipher a = SkCiphers.create(20, 128, 0, k, null, RND);
        SkCipher b = SkCiphers.create(20, 128, 0, k, null, RND);
        assertNotEquals(Arrays.toString(a.seal(new byte[0], new byte[8])),
                Arrays.toString(b.seal(new byte[0], new byte[8])));
    }
}
