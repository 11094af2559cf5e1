package net.edgegw.appliance.ike.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.edgegw.appliance.ike.crypto.Auth;
import net.edgegw.appliance.ike.crypto.IkeKeys;
import net.edgegw.appliance.ike.crypto.Prf;
import net.edgegw.appliance.ike.message.Proposal;
import net.edgegw.appliance.ike.message.TransformType;
import net.edgegw.appliance.ike.sa.Proposals;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Known answers from strongSwan: key material charon logged ({@code ike = 4}) while it negotiated with our
 * gateway (see the header of each vector file), checked against our derivation of SKEYSEED/SK_* (RFC 7296
 * §2.14), the AUTH octets (§2.15) and the PSK AUTH values.
 */
class StrongSwanKatTest {

    @ParameterizedTest
    @ValueSource(strings = {"ike-strongswan-aes128gcm16-prfsha256-x25519.txt",
            "ike-strongswan-aes256gcm16-prfsha384-ecp384.txt", "ike-strongswan-chacha20poly1305-prfsha256-x25519.txt",
            "ike-strongswan-aes256-sha256-modp2048.txt"})
    void ourDerivationMatchesStrongSwan(String file) throws IOException {
        check(read(file));
    }

    static Map<String, String> read(String file) throws IOException {
        try (InputStream in = StrongSwanKatTest.class.getResourceAsStream("/vectors/" + file)) {
            assertTrue(in != null, "no vector file " + file);
            Map<String, String> v = new LinkedHashMap<>();
            for (String l : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (l.isBlank() || l.startsWith("#")) {
                    continue;
                }
                int eq = l.indexOf('=');
                v.put(l.substring(0, eq).trim(), l.substring(eq + 1).trim());
            }
            return v;
        }
    }

    /** Every check a vector allows; also run by the interop test on the log of the exchange it just made. */
    static void check(Map<String, String> v) {
        HexFormat hex = HexFormat.of();
        Proposal p = Proposals.parseIke(v.get("proposal")).get(0);
        byte[] ni = hex.parseHex(v.get("ni"));
        byte[] nr = hex.parseHex(v.get("nr"));
        IkeKeys k = IkeInit.keys(p, hex.parseHex(v.get("gir")), ni, nr, Long.parseUnsignedLong(v.get("spii"), 16),
                Long.parseUnsignedLong(v.get("spir"), 16));
        assertEquals(v.get("sk_d"), hex.formatHex(k.skD()), "SK_d");
        assertEquals(v.get("sk_ei"), hex.formatHex(k.skEi()), "SK_ei");
        assertEquals(v.get("sk_er"), hex.formatHex(k.skEr()), "SK_er");
        assertEquals(v.get("sk_pi"), hex.formatHex(k.skPi()), "SK_pi");
        assertEquals(v.get("sk_pr"), hex.formatHex(k.skPr()), "SK_pr");
        if (p.first(TransformType.INTEG) != null) {
            assertEquals(v.get("sk_ai"), hex.formatHex(k.skAi()), "SK_ai");
            assertEquals(v.get("sk_ar"), hex.formatHex(k.skAr()), "SK_ar");
        } else {
            assertFalse(v.containsKey("sk_ai"), "AEAD: strongSwan derived no SK_ai");
        }
        Prf prf = Prf.of(Proposals.id(p, TransformType.PRF, -1));
        byte[] psk = hex.parseHex(v.get("psk"));
        for (String side : List.of("i", "r")) {
            byte[] octets = hex.parseHex(v.get("octets_" + side));
            byte[] ours = Auth.signedOctets(StrongSwanKeyLog.message(octets), side.equals("i") ? nr : ni, prf,
                    side.equals("i") ? k.skPi() : k.skPr(), hex.parseHex(v.get("id_" + side)));
            assertArrayEquals(octets, ours, "signed octets " + side);
            assertEquals(v.get("auth_" + side), hex.formatHex(Auth.psk(prf, psk, octets)), "AUTH " + side);
        }
    }
}
