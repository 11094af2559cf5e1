package net.edgegw.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.edgegw.appliance.config.Proposal.DhGroup;
import net.edgegw.appliance.config.Proposal.Encryption;
import net.edgegw.appliance.config.Proposal.Esn;
import net.edgegw.appliance.config.Proposal.Integrity;
import net.edgegw.appliance.config.Proposal.Kind;
import net.edgegw.appliance.config.Proposal.Prf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProposalTest {

    @Test
    void aeadIkeProposal() {
        Proposal p = Proposal.parse("aes128gcm16-prfsha256-x25519", Kind.IKE).proposal();
        assertEquals(List.of(Encryption.AES_GCM_16_128), p.encryption());
        assertEquals(List.of(), p.integrity());
        assertEquals(List.of(Prf.HMAC_SHA2_256), p.prf());
        assertEquals(List.of(DhGroup.CURVE25519), p.dhGroups());
        assertEquals(20, p.encryption().get(0).transformId);  // IANA ENCR_AES_GCM_16
        assertEquals(31, p.dhGroups().get(0).transformId);
        assertEquals("aes128gcm16-prfsha256-x25519", p.toString());
    }

    @Test
    void aeadIkeIntegrityTokenMeansPrf() {
        Proposal p = Proposal.parse("aes256gcm16-sha384-ecp384", Kind.IKE).proposal();
        assertEquals(List.of(), p.integrity());
        assertEquals(List.of(Prf.HMAC_SHA2_384), p.prf());
    }

    @Test
    void cbcIkeProposalTakesPrfFromIntegrity() {
        Proposal p = Proposal.parse("aes256-sha256-modp2048", Kind.IKE).proposal();
        assertEquals(List.of(Encryption.AES_CBC_256), p.encryption());
        assertEquals(List.of(Integrity.HMAC_SHA2_256_128), p.integrity());
        assertEquals(List.of(Prf.HMAC_SHA2_256), p.prf());
        assertEquals(List.of(DhGroup.MODP_2048), p.dhGroups());
        assertEquals(14, p.dhGroups().get(0).transformId);
    }

    @Test
    void severalAlgorithmsPerKindKeepTheirOrder() {
        Proposal p = Proposal.parse("aes256gcm16-aes128gcm16-prfsha512-prfsha256-x25519-ecp256-modp3072", Kind.IKE)
                .proposal();
        assertEquals(List.of(Encryption.AES_GCM_16_256, Encryption.AES_GCM_16_128), p.encryption());
        assertEquals(List.of(DhGroup.CURVE25519, DhGroup.ECP_256, DhGroup.MODP_3072), p.dhGroups());
    }

    @Test
    void espAndAh() {
        assertEquals(List.of(Encryption.AES_GCM_16_128), Proposal.parse("aes128gcm16", Kind.ESP).proposal().encryption());
        Proposal cc = Proposal.parse("chacha20poly1305-x25519-esn", Kind.ESP).proposal();
        assertEquals(List.of(Encryption.CHACHA20_POLY1305), cc.encryption());
        assertEquals(List.of(DhGroup.CURVE25519), cc.dhGroups()); // PFS group
        assertEquals(List.of(Esn.ESN), cc.esn());
        Proposal cbc = Proposal.parse("aes128-sha512-noesn", Kind.ESP).proposal();
        assertEquals(List.of(Integrity.HMAC_SHA2_512_256), cbc.integrity());
        assertEquals(List.of(), cbc.prf());
        assertEquals(List.of(Integrity.HMAC_SHA2_384_192), Proposal.parse("sha384", Kind.AH).proposal().integrity());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "IKE | aes128ccm8-prfsha256-x25519 | unknown algorithm 'aes128ccm8'",
        "IKE | aes128gcm16-prfsha256-modp1024 | unknown algorithm 'modp1024'",
        "IKE | aes128gcm16-prfsha256 | a key exchange method (DH group) is required",
        "IKE | aes128gcm16-x25519 | needs a PRF",
        "IKE | aes256-modp2048 | an integrity algorithm is required",
        "IKE | aes128gcm16-aes256-sha256-x25519 | cannot be mixed",
        "IKE | aes128gcm16-prfsha256-x25519-esn | ESP and AH proposals only",
        "IKE | aes128gcm16-aes128gcm16-prfsha256-x25519 | listed twice",
        "IKE | aes128gcm16--x25519 | unknown algorithm ''",
        "ESP | aes128gcm16-sha256 | no separate integrity",
        "ESP | aes128 | an integrity algorithm is required",
        "ESP | aes128gcm16-prfsha256 | IKE proposals only",
        "ESP | sha256 | an encryption algorithm is required",
        "AH  | aes128-sha256 | AH does not encrypt",
        "AH  | x25519 | an integrity algorithm is required",
    })
    void badProposalsSayWhy(String kind, String text, String expected) {
        Proposal.Parsed p = Proposal.parse(text, Kind.valueOf(kind.trim()));
        assertFalse(p.ok(), text);
        assertNull(p.proposal());
        assertTrue(p.problem().contains(expected), p.problem());
    }

    @Test
    void emptyAndNullAreProblemsNotExceptions() {
        assertEquals("empty proposal", Proposal.parse("", Kind.IKE).problem());
        assertEquals("empty proposal", Proposal.parse(null, Kind.ESP).problem());
    }
}
