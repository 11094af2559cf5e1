package net.edgegw.appliance.ike.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 7296 §2.15 shared-key AUTH against ike-keys.txt (computed by ike-keys.py with Python's hmac). */
class AuthTest {

    static List<VectorFile> psk() {
        return VectorFile.load("ike-keys.txt", "psk");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("psk")
    void sharedKeyMic(VectorFile v) {
        Prf prf = Prf.of(v.integer("prf"));
        byte[] octets = Auth.signedOctets(v.hex("message"), v.hex("nonce"), prf, v.hex("sk_p"), v.hex("id_body"));
        assertArrayEquals(v.hex("signed_octets"), octets);
        byte[] auth = Auth.psk(prf, v.hex("shared_key"), octets);
        assertArrayEquals(v.hex("auth"), auth);
        assertTrue(Auth.verifyPsk(prf, v.hex("shared_key"), octets, v.hex("auth")));

        byte[] wrongKey = v.hex("shared_key");
        wrongKey[0] ^= 1;
        assertFalse(Auth.verifyPsk(prf, wrongKey, octets, auth));
        byte[] tampered = auth.clone();
        tampered[tampered.length - 1] ^= 1;
        assertFalse(Auth.verifyPsk(prf, v.hex("shared_key"), octets, tampered));
        assertFalse(Auth.verifyPsk(prf, v.hex("shared_key"), octets, Arrays.copyOf(auth, auth.length - 1)));
        assertFalse(Auth.verifyPsk(prf, v.hex("shared_key"), octets, null));
    }
}
