package net.edgegw.appliance.ike.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PrfTest {

    static List<VectorFile> rfc4231() {
        return VectorFile.load("prf-hmac-sha2-rfc4231.txt");
    }

    static List<VectorFile> prfPlus() {
        return VectorFile.load("ike-keys.txt", "prfplus");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfc4231")
    void hmacKnownAnswers(VectorFile v) {
        Prf prf = Prf.of(v.integer("prf"));
        assertArrayEquals(v.hex("mac"), prf.apply(v.hex("key"), v.hex("data")));
        assertEquals(v.hex("mac").length, prf.outputLength());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("prfPlus")
    void prfPlusKnownAnswers(VectorFile v) {
        Prf prf = Prf.of(v.integer("prf"));
        assertArrayEquals(v.hex("out"), prf.plus(v.hex("key"), v.hex("seed"), v.integer("len")));
    }

    /** RFC 7296 §2.13 by hand: T1 = prf(K, S | 0x01), T2 = prf(K, T1 | S | 0x02), T3 = prf(K, T2 | S | 0x03). */
    @Test
    void prfPlusIteratesAsTheRfcSays() throws Exception {
        byte[] k = "a key".getBytes();
        byte[] s = "a seed".getBytes();
        Mac mac = Mac.getInstance("HmacSHA384");
        mac.init(new SecretKeySpec(k, "HmacSHA384"));
        byte[] t1 = mac.doFinal(IkeKeys.concat(s, new byte[] {1}));
        byte[] t2 = mac.doFinal(IkeKeys.concat(t1, s, new byte[] {2}));
        byte[] t3 = mac.doFinal(IkeKeys.concat(t2, s, new byte[] {3}));
        byte[] expected = Arrays.copyOf(IkeKeys.concat(t1, t2, t3), 100);
        assertArrayEquals(expected, Prf.of(Prf.PRF_HMAC_SHA2_384).plus(k, s, 100));
    }

    @Test
    void prfPlusStopsAt255Blocks() {
        Prf prf = Prf.of(Prf.PRF_HMAC_SHA2_256);
        assertEquals(255 * 32, prf.plus(new byte[32], new byte[1], 255 * 32).length);
        assertThrows(IllegalArgumentException.class, () -> prf.plus(new byte[32], new byte[1], 255 * 32 + 1));
    }

    @Test
    void emptyKeyIsTheZeroPaddedKey() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(new byte[64], "HmacSHA256")); // HMAC pads to the 64-byte block
        byte[] expected = mac.doFinal("x".getBytes());
        assertArrayEquals(expected, Prf.of(Prf.PRF_HMAC_SHA2_256).apply(new byte[0], "x".getBytes()));
    }

    @Test
    void onlyHmacSha2IsOffered() {
        assertTrue(Prf.supported(5) && Prf.supported(6) && Prf.supported(7));
        assertFalse(Prf.supported(2)); // PRF_HMAC_SHA1
        assertFalse(Prf.supported(4)); // PRF_AES128_XCBC
        assertThrows(IllegalArgumentException.class, () -> Prf.of(8));
        assertEquals(64, Prf.of(7).preferredKeyLength());
        assertEquals("PRF_HMAC_SHA2_512", Prf.of(7).toString());
    }
}
