package net.edgegw.appliance.ike.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.interfaces.DHPublicKey;
import net.edgegw.appliance.ike.IkeProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyExchangeTest {
    private static final SecureRandom RND = new SecureRandom();

    static List<VectorFile> ecp() {
        return VectorFile.load("ecp-rfc5903.txt");
    }

    static List<VectorFile> x25519ScalarMult() {
        return VectorFile.load("x25519-rfc7748.txt", "scalarmult");
    }

    // ---- ECP: RFC 5903 §8 ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("ecp")
    void ecpKnownAnswers(VectorFile v) throws Exception {
        int group = v.integer("group");
        KeyExchange i = KeyExchange.fromPrivate(group, v.hex("i"));
        KeyExchange r = KeyExchange.fromPrivate(group, v.hex("r"));
        byte[] gi = IkeKeys.concat(v.hex("gix"), v.hex("giy"));
        byte[] gr = IkeKeys.concat(v.hex("grx"), v.hex("gry"));
        assertArrayEquals(gi, i.publicValue(), "KEi data = gix | giy");
        assertArrayEquals(gr, r.publicValue(), "KEr data = grx | gry");
        assertEquals(KeyExchange.publicValueLength(group), gi.length);
        assertArrayEquals(v.hex("girx"), i.sharedSecret(gr));
        assertArrayEquals(v.hex("girx"), r.sharedSecret(gi));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ecp")
    void ecpRefusesBadPoints(VectorFile v) {
        int group = v.integer("group");
        KeyExchange i = KeyExchange.fromPrivate(group, v.hex("i"));
        byte[] gr = IkeKeys.concat(v.hex("grx"), v.hex("gry"));
        byte[] offCurve = gr.clone();
        offCurve[offCurve.length - 1] ^= 1;
        byte[] zero = new byte[gr.length]; // (0, 0): no encoding of infinity exists; this is not on the curve
        byte[] sec1 = IkeKeys.concat(new byte[] {4}, gr); // SEC1 uncompressed form is not the IKE format
        byte[] xTooBig = gr.clone();
        java.util.Arrays.fill(xTooBig, 0, gr.length / 2, (byte) 0xff); // x >= p
        byte[] short1 = java.util.Arrays.copyOf(gr, gr.length - 1);
        for (byte[] bad : List.of(offCurve, zero, sec1, xTooBig, new byte[0], short1)) {
            assertInvalidSyntax(i, bad);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {19, 20, 21})
    void ecpGeneratedKeysAgree(int group) throws Exception {
        KeyExchange a = KeyExchange.create(group, RND);
        KeyExchange b = KeyExchange.create(group, RND);
        assertEquals(KeyExchange.publicValueLength(group), a.publicValue().length);
        assertArrayEquals(a.sharedSecret(b.publicValue()), b.sharedSecret(a.publicValue()));
        assertEquals(KeyExchange.publicValueLength(group) / 2, a.sharedSecret(b.publicValue()).length);
    }

    // ---- X25519: RFC 7748 §5.2, §6.1; RFC 8031 §2.3 ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("x25519ScalarMult")
    void x25519ScalarMultiplication(VectorFile v) throws Exception {
        KeyExchange k = KeyExchange.fromPrivate(KeyExchange.CURVE25519, v.hex("scalar"));
        assertArrayEquals(v.hex("out"), k.sharedSecret(v.hex("u")));
    }

    static List<VectorFile> x25519Iterated() {
        return VectorFile.load("x25519-rfc7748.txt", "iterate");
    }

    /** RFC 7748 §5.2: k = u = 9, then k, u = X25519(k, u), k. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("x25519Iterated")
    void x25519IteratedScalarMultiplication(VectorFile v) throws Exception {
        byte[] k = v.hex("start");
        byte[] u = v.hex("start");
        for (int i = 0; i < v.integer("iterations"); i++) {
            byte[] next = KeyExchange.fromPrivate(KeyExchange.CURVE25519, k).sharedSecret(u);
            u = k;
            k = next;
        }
        assertArrayEquals(v.hex("out"), k);
    }

    @Test
    void x25519AliceAndBob() throws Exception {
        VectorFile v = VectorFile.load("x25519-rfc7748.txt", "dh").get(0);
        KeyExchange alice = KeyExchange.fromPrivate(KeyExchange.CURVE25519, v.hex("a"));
        KeyExchange bob = KeyExchange.fromPrivate(KeyExchange.CURVE25519, v.hex("b"));
        assertArrayEquals(v.hex("a_pub"), alice.publicValue());
        assertArrayEquals(v.hex("b_pub"), bob.publicValue());
        assertArrayEquals(v.hex("k"), alice.sharedSecret(bob.publicValue()));
        assertArrayEquals(v.hex("k"), bob.sharedSecret(alice.publicValue()));
    }

    /** Points of order 1, 2, 4 and 8 (and non-canonical encodings of 0 and 1) all give an all-zero secret. */
    @ParameterizedTest
    @ValueSource(strings = {
        "0000000000000000000000000000000000000000000000000000000000000000", // 0
        "0100000000000000000000000000000000000000000000000000000000000000", // 1
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", // order 8
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157", // order 8
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p - 1 (order 2)
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p = 0
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p + 1 = 1
    })
    void x25519RefusesSmallOrderPoints(String u) {
        assertInvalidSyntax(KeyExchange.create(KeyExchange.CURVE25519, RND), HexFormat.of().parseHex(u));
    }

    @Test
    void x25519GeneratedKeysAgreeAndLengthIsChecked() throws Exception {
        KeyExchange a = KeyExchange.create(31, RND);
        KeyExchange b = KeyExchange.create(31, RND);
        assertEquals(32, a.publicValue().length);
        assertArrayEquals(a.sharedSecret(b.publicValue()), b.sharedSecret(a.publicValue()));
        assertInvalidSyntax(a, new byte[31]);
        assertInvalidSyntax(a, new byte[33]);
    }

    // ---- MODP: RFC 3526 ----

    /**
     * The primes: SHA-256 of each big-endian prime as computed by vectors/modp-primes.py from RFC 3526's formula
     * {@code 2^N - 2^(N-64) - 1 + 2^64 * ([2^(N-130) pi] + k)}; the script first checks that method against
     * the prime hex printed in RFC 7296 Appendix B.2 and RFC 3526 §2. They must also be safe primes.
     */
    @ParameterizedTest
    @ValueSource(ints = {14, 15, 16})
    void modpPrimesAreRfc3526(int group) throws Exception {
        String expected = switch (group) {
            case 14 -> "d66436f79bbd6b2e38c0ffbd079be904d2641415e2e67140e09448be9a60890e";
            case 15 -> "48cf8b092fbce4359d9871abf74f98e25b6163379eaa15cd9087e800c6d1c55c";
            default -> "4ee95187682bcb230ad26a95205f6920e84708f6251b3894329b09ec23919e33";
        };
        BigInteger p = ModpKeyExchange.prime(group);
        int len = KeyExchange.publicValueLength(group);
        assertEquals(len * 8, p.bitLength());
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(KeyExchange.toFixed(p, len));
        assertEquals(expected, HexFormat.of().formatHex(digest));
        assertTrue(p.isProbablePrime(40), "p prime");
        assertTrue(p.shiftRight(1).isProbablePrime(40), "(p-1)/2 prime");
    }

    /** A second, independent source: the JDK ships the RFC 3526 groups as its default DH parameters. */
    @ParameterizedTest
    @ValueSource(ints = {14, 15, 16})
    void modpPrimesMatchTheJdksRfc3526Groups(int group) throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("DH");
        kpg.initialize(KeyExchange.publicValueLength(group) * 8);
        DHPublicKey pub = (DHPublicKey) kpg.generateKeyPair().getPublic();
        assertEquals(ModpKeyExchange.prime(group), pub.getParams().getP());
        assertEquals(BigInteger.TWO, pub.getParams().getG());
    }

    @ParameterizedTest
    @ValueSource(ints = {14, 15, 16})
    void modpSharedSecretsAgree(int group) throws Exception {
        KeyExchange a = KeyExchange.create(group, RND);
        KeyExchange b = KeyExchange.create(group, RND);
        int len = KeyExchange.publicValueLength(group);
        assertEquals(len, a.publicValue().length);
        byte[] s = a.sharedSecret(b.publicValue());
        assertEquals(len, s.length);
        assertArrayEquals(s, b.sharedSecret(a.publicValue()));
    }

    /** A fixed exponent: g^x by BigInteger, and (g^y)^x = (g^x)^y, padded to the prime length. */
    @Test
    void modpFromFixedPrivateValues() throws Exception {
        KeyExchange a = KeyExchange.fromPrivate(14, new byte[] {0x01, 0x00}); // x = 256
        KeyExchange b = KeyExchange.fromPrivate(14, new byte[] {0x03}); // y = 3
        BigInteger p = ModpKeyExchange.prime(14);
        assertArrayEquals(KeyExchange.toFixed(BigInteger.TWO.pow(256), 256), a.publicValue());
        byte[] expected = KeyExchange.toFixed(BigInteger.TWO.modPow(BigInteger.valueOf(768), p), 256);
        assertArrayEquals(expected, a.sharedSecret(b.publicValue()));
        assertArrayEquals(expected, b.sharedSecret(a.publicValue()));
        // 2^3 = 8 fits in one octet: the public value is left-padded with 255 zero octets
        assertEquals(8, b.publicValue()[255]);
        assertEquals(0, b.publicValue()[0]);
    }

    @ParameterizedTest
    @ValueSource(ints = {14, 15, 16})
    void modpRefusesValuesOutsideTwoToPMinusTwo(int group) {
        KeyExchange a = KeyExchange.create(group, RND);
        BigInteger p = ModpKeyExchange.prime(group);
        int len = KeyExchange.publicValueLength(group);
        for (BigInteger bad : List.of(BigInteger.ZERO, BigInteger.ONE, p.subtract(BigInteger.ONE), p,
                BigInteger.TWO.pow(len * 8).subtract(BigInteger.ONE))) {
            assertInvalidSyntax(a, KeyExchange.toFixed(bad, len));
        }
        assertInvalidSyntax(a, new byte[len - 1]);
        assertInvalidSyntax(a, new byte[len + 1]);
    }

    @Test
    void modpAcceptsTheRangeEnds() throws Exception {
        KeyExchange a = KeyExchange.create(14, RND);
        BigInteger p = ModpKeyExchange.prime(14);
        assertEquals(256, a.sharedSecret(KeyExchange.toFixed(BigInteger.TWO, 256)).length);
        assertEquals(256, a.sharedSecret(KeyExchange.toFixed(p.subtract(BigInteger.TWO), 256)).length);
    }

    // ---- registry ----

    @Test
    void supportedGroups() {
        for (int g : new int[] {14, 15, 16, 19, 20, 21, 31}) {
            assertTrue(KeyExchange.supported(g), "group " + g);
            assertEquals(g, KeyExchange.create(g, RND).group());
        }
        for (int g : new int[] {1, 2, 5, 0, 24, 28, 32}) {
            assertFalse(KeyExchange.supported(g), "group " + g);
            assertThrows(IllegalArgumentException.class, () -> KeyExchange.create(g, RND));
        }
        assertEquals(132, KeyExchange.publicValueLength(21));
    }

    private static void assertInvalidSyntax(KeyExchange ke, byte[] peer) {
        IkeProtocolException e = assertThrows(IkeProtocolException.class, () -> ke.sharedSecret(peer));
        assertEquals(IkeProtocolException.INVALID_SYNTAX, e.notifyType());
    }
}
