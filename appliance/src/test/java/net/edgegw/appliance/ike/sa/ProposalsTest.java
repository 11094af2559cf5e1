package net.edgegw.appliance.ike.sa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.edgegw.appliance.ike.message.Proposal;
import net.edgegw.appliance.ike.message.ProtocolId;
import net.edgegw.appliance.ike.message.Transform;
import net.edgegw.appliance.ike.message.TransformType;
import net.edgegw.dataplane.sa.Suite;
import org.junit.jupiter.api.Test;

class ProposalsTest {

    @Test
    void strongSwanKeywordsBecomeTransforms() {
        Proposal p = Proposals.parseIke("aes256-sha256-modp2048").get(0);
        assertEquals(List.of(Transform.of(TransformType.ENCR, Transform.ENCR_AES_CBC, 256),
                Transform.of(TransformType.INTEG, Transform.AUTH_HMAC_SHA2_256_128),
                Transform.of(TransformType.DH, Transform.MODP_2048),
                Transform.of(TransformType.PRF, Transform.PRF_HMAC_SHA2_256)), p.transforms(), "prf implied by sha256");
        Proposal esp = Proposals.parseEsp("chacha20poly1305").get(0);
        assertEquals(0, esp.first(TransformType.ENCR).keyLength(), "RFC 7634: no key length attribute");
        assertEquals(Transform.ESN_NO, esp.first(TransformType.ESN).id());
        assertEquals(2, Proposals.parseIke("aes128gcm16-prfsha256-x25519, aes256gcm16-prfsha384-ecp384").size());
        assertThrows(IllegalArgumentException.class, () -> Proposals.parseIke("aes128gcm16-x25519"));
        assertThrows(IllegalArgumentException.class, () -> Proposals.parseEsp("aes128gcm16-blowfish"));
    }

    @Test
    void selectionFollowsOurOrderAndPicksOneTransformPerType() {
        List<Proposal> ours = Proposals.parseIke("aes256gcm16-prfsha384-ecp384,aes128gcm16-prfsha256-x25519");
        List<Proposal> offered = List.of(new Proposal(1, ProtocolId.IKE, new byte[0], List.of(
                Transform.of(TransformType.ENCR, Transform.ENCR_AES_GCM_16, 128),
                Transform.of(TransformType.ENCR, Transform.ENCR_AES_GCM_16, 256),
                Transform.of(TransformType.PRF, Transform.PRF_HMAC_SHA2_256),
                Transform.of(TransformType.PRF, Transform.PRF_HMAC_SHA2_384),
                Transform.of(TransformType.DH, Transform.CURVE25519),
                Transform.of(TransformType.DH, Transform.ECP_384))));
        Proposal chosen = Proposals.select(ours, offered);
        assertEquals(256, chosen.first(TransformType.ENCR).keyLength());
        assertEquals(Transform.ECP_384, chosen.first(TransformType.DH).id());
        assertEquals(3, chosen.transforms().size());
        assertTrue(Proposals.acceptable(ours, chosen));
        assertFalse(Proposals.acceptable(ours, offered.get(0)), "an answer must have one transform per type");
    }

    @Test
    void unknownTransformTypesAndAttributesMakeAProposalUnacceptable() {
        List<Proposal> ours = Proposals.parseEsp("aes128gcm16");
        Proposal unknownType = new Proposal(1, ProtocolId.ESP, new byte[4], List.of(
                Transform.of(TransformType.ENCR, Transform.ENCR_AES_GCM_16, 128), Transform.of(TransformType.ESN, 0),
                new Transform(TransformType.UNKNOWN, 1, 0, false)));
        assertNull(Proposals.select(ours, List.of(unknownType)));
        Proposal unknownAttr = new Proposal(1, ProtocolId.ESP, new byte[4], List.of(
                new Transform(TransformType.ENCR, Transform.ENCR_AES_GCM_16, 128, true), Transform.of(TransformType.ESN, 0)));
        assertNull(Proposals.select(ours, List.of(unknownAttr)));
        Proposal integNone = new Proposal(1, ProtocolId.ESP, new byte[4], List.of(
                Transform.of(TransformType.ENCR, Transform.ENCR_AES_GCM_16, 128), Transform.of(TransformType.INTEG, 0),
                Transform.of(TransformType.ESN, 0)));
        assertEquals(Suite.AES_GCM_16_128, ChildSa.suiteOf(Proposals.select(ours, List.of(integNone))),
                "AEAD with INTEG NONE offered (RFC 5282 §8)");
    }

    @Test
    void espProposalsMapToDataPlaneSuites() {
        assertEquals(Suite.AES_GCM_16_256, ChildSa.suiteOf(Proposals.parseEsp("aes256gcm16").get(0)));
        assertEquals(Suite.CHACHA20_POLY1305, ChildSa.suiteOf(Proposals.parseEsp("chacha20poly1305").get(0)));
        assertEquals(Suite.AES_CBC_128_HMAC_SHA512, ChildSa.suiteOf(Proposals.parseEsp("aes128-sha512").get(0)));
        assertNull(ChildSa.suiteOf(Proposals.parseEsp("aes192-sha256").get(0)), "no AES-192-CBC suite in the data plane");
    }
}
