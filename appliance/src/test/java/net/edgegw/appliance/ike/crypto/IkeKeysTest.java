package net.edgegw.appliance.ike.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 7296 §2.14, §2.17, §2.18 against ike-keys.txt (computed by ike-keys.py with Python's hmac). */
class IkeKeysTest {

    static List<VectorFile> ike() {
        return VectorFile.load("ike-keys.txt", "ike");
    }

    static List<VectorFile> child() {
        return VectorFile.load("ike-keys.txt", "child");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ike")
    void ikeSaKeys(VectorFile v) {
        Prf prf = Prf.of(v.integer("prf"));
        assertArrayEquals(v.hex("skeyseed"), prf.apply(IkeKeys.concat(v.hex("ni"), v.hex("nr")), v.hex("gir")));
        IkeKeys k = IkeKeys.derive(prf, v.hex("gir"), v.hex("ni"), v.hex("nr"), v.int64("spii"), v.int64("spir"),
                v.integer("enc_len"), v.integer("integ_len"));
        assertKeys(v, k);
    }

    @Test
    void rekeyedIkeSaKeys() {
        VectorFile v = VectorFile.load("ike-keys.txt", "rekey").get(0);
        IkeKeys k = IkeKeys.deriveRekey(Prf.of(v.integer("prf_old")), v.hex("sk_d_old"), Prf.of(v.integer("prf")),
                v.hex("gir"), v.hex("ni"), v.hex("nr"), v.int64("spii"), v.int64("spir"), v.integer("enc_len"),
                v.integer("integ_len"));
        assertKeys(v, k);
        assertEquals(64, k.skD().length, "SK_d takes the new PRF's key length");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("child")
    void childSaKeys(VectorFile v) {
        byte[] gir = "none".equals(v.str("gir")) ? null : v.hex("gir");
        ChildKeys k = ChildKeys.derive(Prf.of(v.integer("prf")), v.hex("sk_d"), gir, v.hex("ni"), v.hex("nr"),
                v.integer("enc_len"), v.integer("integ_len"));
        assertArrayEquals(v.hex("enc_i"), k.encI());
        assertArrayEquals(v.hex("integ_i"), k.integI());
        assertArrayEquals(v.hex("enc_r"), k.encR());
        assertArrayEquals(v.hex("integ_r"), k.integR());
    }

    @Test
    void keysAreNotPrinted() {
        IkeKeys k = IkeKeys.derive(Prf.of(5), new byte[32], new byte[16], new byte[16], 1, 2, 36, 0);
        assertFalse(k.toString().matches(".*[0-9a-f]{16}.*"), k.toString());
        assertEquals(36, k.skEr().length);
        assertEquals(0, k.skAi().length);
    }

    private static void assertKeys(VectorFile v, IkeKeys k) {
        assertArrayEquals(v.hex("sk_d"), k.skD(), "SK_d");
        assertArrayEquals(v.hex("sk_ai"), k.skAi(), "SK_ai");
        assertArrayEquals(v.hex("sk_ar"), k.skAr(), "SK_ar");
        assertArrayEquals(v.hex("sk_ei"), k.skEi(), "SK_ei");
        assertArrayEquals(v.hex("sk_er"), k.skEr(), "SK_er");
        assertArrayEquals(v.hex("sk_pi"), k.skPi(), "SK_pi");
        assertArrayEquals(v.hex("sk_pr"), k.skPr(), "SK_pr");
    }
}
