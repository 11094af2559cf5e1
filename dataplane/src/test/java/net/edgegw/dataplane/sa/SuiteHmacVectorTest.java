package net.edgegw.dataplane.sa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.edgegw.dataplane.testing.Vectors;
import net.edgegw.dataplane.testing.Vectors.Block;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 4868 §2.7 vectors against the HMAC algorithm, key length and ICV truncation our suites declare, so a wrong
 * truncation length or algorithm name in {@link Suite} fails here.
 */
class SuiteHmacVectorTest {
    static List<Block> rfc4868() {
        return Vectors.load("hmac-sha2-rfc4868.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfc4868")
    void vector(Block v) throws Exception {
        String alg = switch (v.get("alg")) {
            case "sha256" -> "HmacSHA256";
            case "sha384" -> "HmacSHA384";
            case "sha512" -> "HmacSHA512";
            default -> throw new IllegalArgumentException(v.get("alg"));
        };
        int truncate = Integer.parseInt(v.get("truncate_bytes"));
        Mac mac = Mac.getInstance(alg);
        mac.init(new SecretKeySpec(v.hex("key"), alg));
        byte[] full = mac.doFinal(v.hex("data"));
        assertArrayEquals(v.hex("mac"), Arrays.copyOf(full, truncate));

        if (v.get("name").startsWith("AUTH")) {
            // The authenticator cases are exactly what our AH/ESP-CBC suites compute.
            for (Suite s : Suite.values()) {
                if (alg.equals(s.macAlgorithm)) {
                    assertEquals(truncate, s.icvLen, s + " ICV length (RFC 4868 §2.3)");
                    assertEquals(full.length, s.authKeyLen, s + " key length (RFC 4868 §2.1.2)");
                }
            }
        }
    }
}
