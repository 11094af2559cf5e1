package net.edgegw.dataplane.esp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.edgegw.dataplane.ipsec.Inbound;
import net.edgegw.dataplane.packet.Packet;
import net.edgegw.dataplane.sa.Direction;
import net.edgegw.dataplane.sa.SaConfig;
import net.edgegw.dataplane.sa.Sad;
import net.edgegw.dataplane.sa.SecurityAssociation;
import net.edgegw.dataplane.sa.Suite;
import net.edgegw.dataplane.stats.DropCounters;
import net.edgegw.dataplane.testing.Vectors;
import net.edgegw.dataplane.testing.Vectors.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Known answers from public vectors: draft-mcgrew-gcm-test-01 (ESP AES-GCM and AES-GMAC packets, with and without
 * ESN) and RFC 7634 Appendix A (ESP ChaCha20-Poly1305, through the whole inbound path).
 */
class EspVectorTest {
    static List<Block> mcgrew() {
        return Vectors.load("esp-aes-gcm-mcgrew.txt");
    }

    private static SecurityAssociation inboundSa(Suite suite, Block v) {
        byte[] key = v.hex("key");
        byte[] salt = v.hex("salt");
        byte[] encKey = Arrays.copyOf(key, key.length + salt.length);
        System.arraycopy(salt, 0, encKey, key.length, salt.length);
        SaConfig c = SaConfig.builder().direction(Direction.INBOUND).suite(suite)
                // The transform reads the SPI from the packet; the config's SPI only has to be valid (one
                // vector uses SPI 0, which RFC 4303 §2.1 forbids on the wire and SaConfig refuses).
                .spi(0x1000).encKey(encKey)
                .src("192.0.2.1").dst("192.0.2.2").esn(Boolean.parseBoolean(v.get("esn"))).build();
        return new Sad().install(c);
    }

    private static Suite suiteFor(Block v) {
        int keyLen = v.hex("key").length;
        boolean gmac = v.get("mode").equals("gmac");
        if (gmac) {
            return keyLen == 16 ? Suite.AES_GMAC_128 : Suite.AES_GMAC_256;
        }
        return keyLen == 16 ? Suite.AES_GCM_16_128 : keyLen == 24 ? Suite.AES_GCM_16_192 : Suite.AES_GCM_16_256;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mcgrew")
    void mcgrewPacketVerifiesAndDecrypts(Block v) {
        SecurityAssociation sa = inboundSa(suiteFor(v), v);
        byte[] pkt = v.hex("packet");
        long seq = Long.parseUnsignedLong(v.get("seq"), 16);
        byte[] b = new byte[pkt.length + 64];
        int espOff = 24;
        System.arraycopy(pkt, 0, b, espOff, pkt.length);
        int ctLen = pkt.length - 8 - 8 - 16;

        assertTrue(sa.esp.open(b, espOff, ctLen, seq), "ICV must verify");
        byte[] expected = v.get("mode").equals("gmac")
                ? Arrays.copyOfRange(pkt, 16, 16 + ctLen) // GMAC: payload travels in clear, unchanged
                : v.hex("plaintext");
        assertArrayEquals(expected, Arrays.copyOfRange(b, espOff + 16, espOff + 16 + ctLen));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mcgrew")
    void mcgrewPacketWithFlippedBitFailsIcv(Block v) {
        SecurityAssociation sa = inboundSa(suiteFor(v), v);
        byte[] pkt = v.hex("packet");
        long seq = Long.parseUnsignedLong(v.get("seq"), 16);
        int ctLen = pkt.length - 8 - 8 - 16;
        for (int at : new int[] {0, 9, 16, pkt.length - 1}) { // SPI, IV, first payload byte, ICV
            byte[] b = pkt.clone();
            b[at] ^= 0x01;
            assertFalse(sa.esp.open(b, 0, ctLen, seq), "flipped byte " + at + " must fail the ICV");
        }
        if (sa.esn) {
            // The right bytes with the wrong ESN high half must fail too (the high bits are in the AAD).
            assertFalse(sa.esp.open(pkt.clone(), 0, ctLen, seq ^ (1L << 40)));
        }
    }

    @Test
    void rfc7634ChaChaPacketThroughInboundPath() {
        Block v = Vectors.load("esp-chacha20poly1305-rfc7634.txt").get(0);
        byte[] encKey = Arrays.copyOf(v.hex("key"), 36);
        System.arraycopy(v.hex("salt"), 0, encKey, 32, 4);
        Sad sad = new Sad();
        sad.install(SaConfig.builder().direction(Direction.INBOUND).suite(Suite.CHACHA20_POLY1305)
                .spi(0x01020304).encKey(encKey).src("203.0.113.153").dst("203.0.113.5").build());
        Inbound in = new Inbound(sad, new DropCounters());
        byte[] ip = v.hex("ip_packet");
        Packet p = Packet.forMtu(1500).set(ip, 0, ip.length, Packet.DEFAULT_HEADROOM);

        assertSame(Inbound.Verdict.FORWARD, in.fromIp(p), () -> "dropped: " + in.lastDrop());
        assertArrayEquals(v.hex("inner_packet"), p.toArray());
        assertEquals(5, sad.inbound(0x01020304).replay.top());

        // The same packet again is a replay.
        Packet again = Packet.forMtu(1500).set(ip, 0, ip.length, Packet.DEFAULT_HEADROOM);
        assertSame(Inbound.Verdict.DROP, in.fromIp(again));
        assertEquals(net.edgegw.dataplane.stats.Drop.REPLAY, in.lastDrop());
    }
}
