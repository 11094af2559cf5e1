package net.edgegw.appliance.ike.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SignaturesTest {
    private static final byte[] OCTETS = "RealMessage1 | NonceRData | prf(SK_pi, IDi')".getBytes();
    private static KeyPair rsa;
    private static KeyPair rsa2;
    private static KeyPair p256;
    private static KeyPair p384;
    private static KeyPair p521;
    private static KeyPair ed25519;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
        r.initialize(2048);
        rsa = r.generateKeyPair();
        rsa2 = r.generateKeyPair();
        p256 = ec("secp256r1");
        p384 = ec("secp384r1");
        p521 = ec("secp521r1");
        ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    private static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    static Stream<Arguments> method14() {
        return Stream.of(Arguments.of("rsa", Signatures.SHA256), Arguments.of("rsa", Signatures.SHA384),
                Arguments.of("rsa", Signatures.SHA512), Arguments.of("rsa", Signatures.RSASSA_PSS),
                Arguments.of("p256", Signatures.SHA256), Arguments.of("p384", Signatures.SHA384),
                Arguments.of("p521", Signatures.SHA512), Arguments.of("p256", Signatures.SHA512),
                Arguments.of("ed25519", Signatures.IDENTITY));
    }

    private static KeyPair key(String name) {
        return switch (name) {
            case "rsa" -> rsa;
            case "p256" -> p256;
            case "p384" -> p384;
            case "p521" -> p521;
            default -> ed25519;
        };
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("method14")
    void digitalSignatureRoundTripAndTampering(String keyName, String hash) throws Exception {
        KeyPair kp = key(keyName);
        byte[] auth = Signatures.sign(kp.getPrivate(), OCTETS, hash);
        assertTrue(Signatures.verify(kp.getPublic(), Auth.DIGITAL_SIGNATURE, auth, OCTETS));

        byte[] tampered = auth.clone();
        tampered[tampered.length - 1] ^= 0x01;
        assertFalse(Signatures.verify(kp.getPublic(), Auth.DIGITAL_SIGNATURE, tampered, OCTETS), "signature");
        byte[] otherOctets = OCTETS.clone();
        otherOctets[0] ^= 0x01;
        assertFalse(Signatures.verify(kp.getPublic(), Auth.DIGITAL_SIGNATURE, auth, otherOctets), "octets");
        KeyPair other = keyName.equals("rsa") ? rsa2 : keyName.equals("ed25519")
                ? KeyPairGenerator.getInstance("Ed25519").generateKeyPair() : ec("secp256r1");
        assertFalse(Signatures.verify(other.getPublic(), Auth.DIGITAL_SIGNATURE, auth, OCTETS), "other key");
        assertFalse(Signatures.verify(kp.getPublic(), Auth.ECDSA_SHA256_P256, auth, OCTETS), "other method");
        assertFalse(Signatures.verify(kp.getPublic(), Auth.SHARED_KEY_MIC, auth, OCTETS), "PSK method");
        byte[] truncated = Arrays.copyOf(auth, auth.length - 5);
        assertFalse(Signatures.verify(kp.getPublic(), Auth.DIGITAL_SIGNATURE, truncated, OCTETS), "truncated");
    }

    /** RFC 7427 Appendix A encodings (PKCS#1 v1.5 with NULL parameters; ECDSA, EdDSA without). */
    @Test
    void algorithmIdentifiersAreTheRfc7427Encodings() {
        assertEquals("300d06092a864886f70d01010b0500", Signatures.algorithmIdentifierHex(rsa.getPrivate(), "SHA256"));
        assertEquals("300d06092a864886f70d01010c0500", Signatures.algorithmIdentifierHex(rsa.getPrivate(), "SHA384"));
        assertEquals("300d06092a864886f70d01010d0500", Signatures.algorithmIdentifierHex(rsa.getPrivate(), "SHA512"));
        assertEquals("300a06082a8648ce3d040302", Signatures.algorithmIdentifierHex(p256.getPrivate(), "SHA256"));
        assertEquals("300a06082a8648ce3d040303", Signatures.algorithmIdentifierHex(p384.getPrivate(), "SHA384"));
        assertEquals("300a06082a8648ce3d040304", Signatures.algorithmIdentifierHex(p521.getPrivate(), "SHA512"));
        assertEquals("300506032b6570", Signatures.algorithmIdentifierHex(ed25519.getPrivate(), "IDENTITY"));
        // RSASSA-PSS: SHA-256, MGF1 with SHA-256, salt 32, trailer 1 (default, omitted)
        assertEquals("3041" + "06092a864886f70d01010a" + "3034"
                + "a00f300d06096086480165030402010500"
                + "a11c301a06092a864886f70d010108300d06096086480165030402010500"
                + "a203020120", Signatures.algorithmIdentifierHex(rsa.getPrivate(), "RSASSA-PSS"));
        byte[] auth = Signatures.sign(p256.getPrivate(), OCTETS, "SHA256");
        assertEquals(12, auth[0], "the length octet");
        assertEquals("300a06082a8648ce3d040302", HexFormat.of().formatHex(auth, 1, 13));
    }

    /** PSS parameters are the signer's choice (RFC 7427 §3); a peer using SHA-384 and salt 48 is accepted. */
    @Test
    void pssWithThePeersParameters() throws Exception {
        AlgorithmIdentifier sha384 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha384, DERNull.INSTANCE);
        byte[] algId = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSASSA_PSS, new RSASSAPSSparams(sha384,
                new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, sha384), new ASN1Integer(48),
                RSASSAPSSparams.DEFAULT_TRAILER_FIELD)).getEncoded(ASN1Encoding.DER);
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.initSign(rsa.getPrivate());
        s.setParameter(new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1));
        s.update(OCTETS);
        byte[] auth = IkeKeys.concat(new byte[] {(byte) algId.length}, algId, s.sign());
        assertTrue(Signatures.verify(rsa.getPublic(), Auth.DIGITAL_SIGNATURE, auth, OCTETS));
        // the same signature claimed with salt 32 does not verify
        byte[] wrongSalt = Signatures.sign(rsa.getPrivate(), OCTETS, "RSASSA-PSS");
        byte[] mixed = IkeKeys.concat(Arrays.copyOf(wrongSalt, 1 + wrongSalt[0]), Arrays.copyOfRange(auth,
                1 + algId.length, auth.length));
        assertFalse(Signatures.verify(rsa.getPublic(), Auth.DIGITAL_SIGNATURE, mixed, OCTETS));
    }

    @Test
    void sha1AndMalformedMethod14DataAreRefused() throws Exception {
        byte[] sha1Alg = new AlgorithmIdentifier(PKCSObjectIdentifiers.sha1WithRSAEncryption, DERNull.INSTANCE)
                .getEncoded(ASN1Encoding.DER);
        Signature s = Signature.getInstance("SHA1withRSA");
        s.initSign(rsa.getPrivate());
        s.update(OCTETS);
        byte[] sha1Auth = IkeKeys.concat(new byte[] {(byte) sha1Alg.length}, sha1Alg, s.sign());
        assertFalse(Signatures.verify(rsa.getPublic(), Auth.DIGITAL_SIGNATURE, sha1Auth, OCTETS), "SHA-1");
        for (byte[] bad : new byte[][] {{}, {0}, {(byte) 200, 1, 2}, {3, 0x30, 0x01, 0x05, 9, 9},
                {5, 0x30, 0x03, 0x06, 0x01, 0x00, 1, 2, 3}}) {
            assertFalse(Signatures.verify(p256.getPublic(), Auth.DIGITAL_SIGNATURE, bad, OCTETS));
        }
        assertFalse(Signatures.verify(p256.getPublic(), Auth.DIGITAL_SIGNATURE, null, OCTETS));
    }

    @Test
    void classicEcdsaMethodsUseRawRAndSOnTheirCurve() {
        Object[][] cases = {{p256, Auth.ECDSA_SHA256_P256, 64}, {p384, Auth.ECDSA_SHA384_P384, 96},
            {p521, Auth.ECDSA_SHA512_P521, 132}};
        for (Object[] c : cases) {
            KeyPair kp = (KeyPair) c[0];
            int method = (int) c[1];
            byte[] sig = Signatures.signClassic(kp.getPrivate(), method, OCTETS);
            assertEquals((int) c[2], sig.length, "r | s, RFC 4754 §7");
            assertTrue(Signatures.verify(kp.getPublic(), method, sig, OCTETS));
            byte[] bad = sig.clone();
            bad[0] ^= 1;
            assertFalse(Signatures.verify(kp.getPublic(), method, bad, OCTETS));
        }
        // a P-384 key cannot have made a method-9 (P-256) signature
        byte[] sig = Signatures.signClassic(p256.getPrivate(), Auth.ECDSA_SHA256_P256, OCTETS);
        assertFalse(Signatures.verify(p384.getPublic(), Auth.ECDSA_SHA256_P256, sig, OCTETS));
        assertThrows(IllegalArgumentException.class,
                () -> Signatures.signClassic(p384.getPrivate(), Auth.ECDSA_SHA256_P256, OCTETS));
        assertThrows(IllegalArgumentException.class,
                () -> Signatures.signClassic(rsa.getPrivate(), Auth.RSA_DIGITAL_SIGNATURE, OCTETS));
    }

    @Test
    void classicRsaSha1IsVerifiedForOldPeers() throws Exception {
        Signature s = Signature.getInstance("SHA1withRSA");
        s.initSign(rsa.getPrivate());
        s.update(OCTETS);
        byte[] sig = s.sign();
        assertTrue(Signatures.verify(rsa.getPublic(), Auth.RSA_DIGITAL_SIGNATURE, sig, OCTETS));
        sig[10] ^= 1;
        assertFalse(Signatures.verify(rsa.getPublic(), Auth.RSA_DIGITAL_SIGNATURE, sig, OCTETS));
        assertFalse(Signatures.verify(p256.getPublic(), Auth.RSA_DIGITAL_SIGNATURE, sig, OCTETS));
    }

    @Test
    void signatureHashAlgorithmsNotify() {
        assertArrayEquals(HexFormat.of().parseHex("0002000300040005"), Signatures.hashAlgorithmsNotifyData());
        int[] ours = Signatures.parseHashAlgorithms(Signatures.hashAlgorithmsNotifyData());
        assertArrayEquals(new int[] {2, 3, 4, 5}, ours);
        assertArrayEquals(new int[] {4}, Signatures.parseHashAlgorithms(new byte[] {0, 4, 7}));
        assertEquals(Signatures.SHA256, Signatures.preferredHash(rsa.getPrivate(), new int[] {4, 2}));
        assertEquals(Signatures.SHA512, Signatures.preferredHash(p256.getPrivate(), new int[] {1, 4}));
        assertEquals(Signatures.IDENTITY, Signatures.preferredHash(ed25519.getPrivate(), new int[] {2, 5}));
        assertNull(Signatures.preferredHash(ed25519.getPrivate(), new int[] {2, 3}));
        assertNull(Signatures.preferredHash(rsa.getPrivate(), new int[] {1}));
    }

    @Test
    void unsupportedPreferencesAreProgrammerErrors() {
        assertThrows(IllegalArgumentException.class, () -> Signatures.sign(p256.getPrivate(), OCTETS, "RSASSA-PSS"));
        assertThrows(IllegalArgumentException.class, () -> Signatures.sign(rsa.getPrivate(), OCTETS, "MD5"));
    }
}
