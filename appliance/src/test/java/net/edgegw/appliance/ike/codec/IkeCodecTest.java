package net.edgegw.appliance.ike.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.message.AuthPayload;
import net.edgegw.appliance.ike.message.CertEncoding;
import net.edgegw.appliance.ike.message.CertPayload;
import net.edgegw.appliance.ike.message.CfgType;
import net.edgegw.appliance.ike.message.CpPayload;
import net.edgegw.appliance.ike.message.DeletePayload;
import net.edgegw.appliance.ike.message.ExchangeType;
import net.edgegw.appliance.ike.message.IdPayload;
import net.edgegw.appliance.ike.message.IdType;
import net.edgegw.appliance.ike.message.IkeHeader;
import net.edgegw.appliance.ike.message.IkeMessage;
import net.edgegw.appliance.ike.message.KePayload;
import net.edgegw.appliance.ike.message.NoncePayload;
import net.edgegw.appliance.ike.message.NotifyPayload;
import net.edgegw.appliance.ike.message.NotifyType;
import net.edgegw.appliance.ike.message.Payload;
import net.edgegw.appliance.ike.message.Proposal;
import net.edgegw.appliance.ike.message.ProtocolId;
import net.edgegw.appliance.ike.message.SaPayload;
import net.edgegw.appliance.ike.message.SkPayload;
import net.edgegw.appliance.ike.message.SkfPayload;
import net.edgegw.appliance.ike.message.Transform;
import net.edgegw.appliance.ike.message.TransformType;
import net.edgegw.appliance.ike.message.TsPayload;
import net.edgegw.appliance.ike.message.VendorIdPayload;
import net.edgegw.dataplane.spd.TrafficSelector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

public class IkeCodecTest {
    static final long SPI_I = 0x0102030405060708L;
    static final long SPI_R = 0x1112131415161718L;

    static SaPayload ikeSa() {
        return new SaPayload(List.of(
                new Proposal(1, ProtocolId.IKE, new byte[0], List.of(
                        Transform.of(TransformType.ENCR, Transform.ENCR_AES_GCM_16, 128),
                        Transform.of(TransformType.ENCR, Transform.ENCR_AES_GCM_16, 256),
                        Transform.of(TransformType.PRF, Transform.PRF_HMAC_SHA2_256),
                        Transform.of(TransformType.DH, Transform.CURVE25519))),
                new Proposal(2, ProtocolId.IKE, new byte[0], List.of(
                        Transform.of(TransformType.ENCR, Transform.ENCR_AES_CBC, 256),
                        Transform.of(TransformType.INTEG, Transform.AUTH_HMAC_SHA2_256_128),
                        Transform.of(TransformType.PRF, Transform.PRF_HMAC_SHA2_256),
                        Transform.of(TransformType.DH, Transform.MODP_2048)))));
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i * 7);
        }
        return b;
    }

    /** One example of every payload type the codec knows. */
    public static Stream<Payload> payloads() {
        return Stream.of(
                ikeSa(),
                new SaPayload(List.of(new Proposal(1, ProtocolId.ESP, new byte[] {1, 2, 3, 4}, List.of(
                        Transform.of(TransformType.ENCR, Transform.ENCR_AES_GCM_16, 128),
                        Transform.of(TransformType.ESN, Transform.ESN_NO))))),
                new KePayload(Transform.CURVE25519, bytes(32, 1)),
                IdPayload.parse(true, "gw-a.example.test"),
                IdPayload.parse(false, "192.0.2.2"),
                IdPayload.parse(true, "2001:db8::1"),
                IdPayload.parse(false, "ops@example.test"),
                IdPayload.parse(true, "@#0102ab"),
                new CertPayload(false, CertEncoding.X509_SIGNATURE, bytes(300, 3)),
                new CertPayload(true, CertEncoding.X509_SIGNATURE, bytes(40, 4)),
                new AuthPayload(2, bytes(32, 5)),
                new NoncePayload(bytes(32, 6)),
                NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, bytes(20, 7)),
                new NotifyPayload(3, new byte[] {9, 9, 9, 9}, NotifyType.REKEY_SA.value(), new byte[0]),
                DeletePayload.ikeSa(),
                new DeletePayload(ProtocolId.ESP, List.of(0x11223344, 0xc0000001)),
                new VendorIdPayload("edgegw".getBytes(StandardCharsets.US_ASCII)),
                new TsPayload(true, List.of(TrafficSelector.cidr("10.244.1.0/24"),
                        TrafficSelector.cidr("10.0.0.7", 17, 500, 500))),
                new TsPayload(false, List.of(TrafficSelector.cidr("fd00:1::/64"))),
                new CpPayload(CfgType.REQUEST, List.of(new CpPayload.Attribute(CpPayload.INTERNAL_IP4_ADDRESS, new byte[0]),
                        new CpPayload.Attribute(CpPayload.INTERNAL_IP4_DNS, new byte[] {10, 0, 0, 53}))));
    }

    static IkeMessage message(List<Payload> ps) {
        return new IkeMessage(SPI_I, SPI_R, ExchangeType.IKE_AUTH, IkeHeader.FLAG_INITIATOR, 1, false, ps);
    }

    /** Encoded body bytes of a payload: what round trips compare (records hold arrays). */
    static String wire(Payload p) {
        WireWriter w = new WireWriter();
        p.encodeBody(w);
        return p.type() + ":" + HexFormat.of().formatHex(w.toByteArray());
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void everyPayloadRoundTripsInTheClear(Payload p) throws Exception {
        byte[] m = IkeCodec.encode(message(List.of(p)), null);
        IkeMessage back = IkeCodec.decode(m, null);
        assertEquals(1, back.payloads().size());
        assertEquals(wire(p), wire(back.payloads().get(0)));
        assertEquals(p.toString(), back.payloads().get(0).toString());
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void everyPayloadRoundTripsInsideSk(Payload p) throws Exception {
        FakeSkCipher c = new FakeSkCipher();
        byte[] m = IkeCodec.encode(message(List.of(NotifyPayload.of(NotifyType.INITIAL_CONTACT), p)), c);
        IkeHeader h = IkeCodec.decodeHeader(m);
        assertEquals(46, h.nextPayload()); // SK
        IkeMessage back = IkeCodec.decode(m, c);
        assertTrue(back.encrypted);
        assertEquals(2, back.payloads().size());
        assertEquals(wire(p), wire(back.payloads().get(1)));
    }

    @Test
    void headerFieldsRoundTrip() throws Exception {
        IkeMessage m = new IkeMessage(SPI_I, 0, ExchangeType.IKE_SA_INIT,
                IkeHeader.FLAG_RESPONSE, 0xfffffffe, false, List.of(new NoncePayload(bytes(16, 0))));
        byte[] b = IkeCodec.encode(m, null);
        IkeHeader h = IkeCodec.decodeHeader(b);
        assertEquals(SPI_I, h.spiI());
        assertEquals(0, h.spiR());
        assertEquals(ExchangeType.IKE_SA_INIT, h.exchange());
        assertTrue(h.isResponse());
        assertEquals(0xfffffffeL, h.messageIdUnsigned());
        assertEquals(b.length, h.length());
        assertEquals(2, h.majorVersion());
    }

    @Test
    void knownWireBytesOfANotify() throws Exception {
        // RFC 7296 §3.10: N(COOKIE) with 4 data bytes, no SPI; checked by hand against the diagram
        byte[] m = IkeCodec.encode(message(List.of(NotifyPayload.of(NotifyType.COOKIE, new byte[] {1, 2, 3, 4}))), null);
        assertEquals("29" + "20" + "23" + "08" + "00000001" + "00000028" // 28 + 12
                        + "00" + "00" + "000c" + "00" + "00" + "4006" + "01020304",
                HexFormat.of().formatHex(m, 16, m.length));
    }

    @Test
    void wrongMajorVersionIsReported() {
        byte[] m = IkeCodec.encode(message(List.of()), null);
        m[17] = 0x30;
        IkeProtocolException e = assertThrows(IkeProtocolException.class, () -> IkeCodec.decodeHeader(m));
        assertEquals(IkeProtocolException.INVALID_MAJOR_VERSION, e.notifyType());
    }

    @Test
    void unknownPayloadsAreSkippedUnlessCritical() throws Exception {
        byte[] m = IkeCodec.encode(message(List.of(new VendorIdPayload(new byte[] {1}), new NoncePayload(bytes(16, 1)))), null);
        // turn the vendor ID (43) into type 99 by rewriting the header's next payload
        m[16] = 99;
        IkeMessage back = IkeCodec.decode(m, null);
        assertEquals(1, back.payloads().size());
        assertNotNull(back.get(NoncePayload.class));
        m[IkeHeader.LEN + 1] = (byte) 0x80; // critical bit
        IkeProtocolException e = assertThrows(IkeProtocolException.class, () -> IkeCodec.decode(m, null));
        assertEquals(IkeProtocolException.UNSUPPORTED_CRITICAL_PAYLOAD, e.notifyType());
    }

    @Test
    void criticalBitOnAKnownPayloadIsAccepted() throws Exception {
        byte[] m = IkeCodec.encode(message(List.of(new NoncePayload(bytes(16, 1)))), null);
        m[IkeHeader.LEN + 1] = (byte) 0x80; // RFC 7296 §2.5: the C bit matters only for payloads we don't know
        assertNotNull(IkeCodec.decode(m, null).get(NoncePayload.class));
    }

    @Test
    void proposalNumbersMustStartAtOneAndStepByOne() {
        for (int[] nums : new int[][] {{2}, {1, 3}, {1, 2, 1}}) {
            List<Proposal> ps = new java.util.ArrayList<>();
            for (int n : nums) {
                ps.add(new Proposal(n, ProtocolId.ESP, new byte[4], List.of(Transform.of(TransformType.ENCR, 20, 128))));
            }
            byte[] m = IkeCodec.encode(message(List.of(new SaPayload(ps))), null);
            IkeProtocolException e = assertThrows(IkeProtocolException.class, () -> IkeCodec.decode(m, null));
            assertEquals(IkeProtocolException.INVALID_SYNTAX, e.notifyType());
        }
    }

    @Test
    void keyLengthIsATvAttribute() {
        WireWriter w = new WireWriter();
        new SaPayload(List.of(new Proposal(1, ProtocolId.ESP, new byte[] {0, 0, 1, 0},
                List.of(Transform.of(TransformType.ENCR, 20, 256))))).encodeBody(w);
        // proposal(8) + SPI(4) + transform(8) + attribute 0x800e 0x0100 (RFC 7296 §3.3.5)
        assertEquals("00000018" + "01030401" + "00000100" + "0000000c" + "01000014" + "800e0100",
                HexFormat.of().formatHex(w.toByteArray()));
    }

    @Test
    void unknownTransformAttributeMarksTheTransform() throws Exception {
        byte[] m = IkeCodec.encode(message(List.of(new SaPayload(List.of(new Proposal(1, ProtocolId.ESP, new byte[4],
                List.of(Transform.of(TransformType.ENCR, 20, 256))))))), null);
        m[m.length - 3] = 0x0f; // attribute type 14 -> 15
        Transform t = IkeCodec.decode(m, null).get(SaPayload.class).proposals().get(0).transforms().get(0);
        assertTrue(t.unknownAttribute());
    }

    @Test
    void skMustBeLastAndItsIcvIsCheckedFirst() throws Exception {
        FakeSkCipher c = new FakeSkCipher();
        byte[] m = IkeCodec.encode(message(List.of(new NoncePayload(bytes(16, 1)))), c);
        assertNotNull(IkeCodec.decode(m, null).get(SkPayload.class));
        m[IkeHeader.LEN + 4 + FakeSkCipher.IV] ^= 1; // first ciphertext byte
        IkeProtocolException e = assertThrows(IkeProtocolException.class, () -> IkeCodec.decode(m, c));
        assertEquals(IkeProtocolException.AUTHENTICATION_FAILED, e.notifyType());
    }

    @Test
    void fragmentsRoundTripThroughTheBuffer() throws Exception {
        FakeSkCipher c = new FakeSkCipher();
        IkeMessage big = message(List.of(IdPayload.parse(true, "gw-a"), new CertPayload(false, CertEncoding.X509_SIGNATURE,
                bytes(3000, 9)), new AuthPayload(14, bytes(256, 1))));
        List<byte[]> frags = IkeCodec.encodeFragments(big, c, 1280);
        assertEquals(3, frags.size());
        FragmentBuffer buf = new FragmentBuffer();
        IkeMessage whole = null;
        for (int i = frags.size() - 1; i >= 0; i--) { // out of order
            byte[] f = frags.get(i);
            assertTrue(f.length <= 1280);
            IkeMessage part = IkeCodec.decode(f, c);
            SkfPayload skf = part.get(SkfPayload.class);
            assertEquals(i + 1, skf.fragmentNumber());
            assertNull(whole);
            whole = buf.offer(IkeCodec.decodeHeader(f), skf);
            assertNull(buf.offer(IkeCodec.decodeHeader(f), skf)); // a duplicate changes nothing
        }
        assertNotNull(whole);
        assertEquals(3, whole.payloads().size());
        assertArrayEquals(bytes(3000, 9), whole.get(CertPayload.class).data());
        assertEquals(IdType.FQDN, whole.get(IdPayload.class).idType());
    }

    @Test
    void fragmentNumbersAreChecked() {
        FakeSkCipher c = new FakeSkCipher();
        byte[] f = IkeCodec.encodeFragments(message(List.of(new NoncePayload(bytes(16, 1)))), c, 1280).get(0);
        f[IkeHeader.LEN + 4 + 1] = 2; // fragment 2 of 1
        IkeProtocolException e = assertThrows(IkeProtocolException.class, () -> IkeCodec.decode(f, c));
        assertEquals(IkeProtocolException.INVALID_SYNTAX, e.notifyType());
    }

    /** Every payload in one message, clear and protected: the inputs of the malformed-input tests. */
    static List<byte[]> corpus() {
        List<Payload> all = payloads().toList();
        return List.of(IkeCodec.encode(message(all), null), IkeCodec.encode(message(all), new FakeSkCipher()));
    }

    @Test
    void everyTruncationIsInvalidSyntax() {
        for (byte[] m : corpus()) {
            for (int n = 0; n < m.length; n++) {
                byte[] t = java.util.Arrays.copyOf(m, n);
                try {
                    IkeCodec.decode(t, new FakeSkCipher());
                    fail("truncated to " + n + " bytes but decoded");
                } catch (IkeProtocolException e) {
                    assertEquals(IkeProtocolException.INVALID_SYNTAX, e.notifyType(), "at " + n + ": " + e.getMessage());
                }
            }
            // also with the header length fixed up, so the payload chain itself is truncated
            for (int n = IkeHeader.LEN; n < m.length; n++) {
                byte[] t = java.util.Arrays.copyOf(m, n);
                t[24] = (byte) (n >>> 24);
                t[25] = (byte) (n >>> 16);
                t[26] = (byte) (n >>> 8);
                t[27] = (byte) n;
                decodeNeverThrowsAnythingElse(t);
            }
        }
    }

    @Test
    void everyBitFlipDecodesOrIsAnIkeProtocolException() {
        int rejected = 0;
        int total = 0;
        for (byte[] m : corpus()) {
            for (int i = 0; i < m.length * 8; i++) {
                byte[] t = m.clone();
                t[i / 8] ^= (byte) (1 << (i % 8));
                total++;
                if (!decodeNeverThrowsAnythingElse(t)) {
                    rejected++;
                }
            }
        }
        assertTrue(rejected > total / 2, rejected + " of " + total + " flips rejected");
    }

    @Test
    void randomGarbageNeverThrowsAnythingElse() {
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[IkeHeader.LEN + rnd.nextInt(200)];
            rnd.nextBytes(b);
            b[17] = 0x20;
            b[16] = (byte) (33 + rnd.nextInt(16));
            int n = b.length;
            b[24] = 0;
            b[25] = 0;
            b[26] = (byte) (n >>> 8);
            b[27] = (byte) n;
            decodeNeverThrowsAnythingElse(b);
        }
    }

    /** True when it decoded; false on IkeProtocolException; any other throwable fails the test. */
    static boolean decodeNeverThrowsAnythingElse(byte[] m) {
        try {
            IkeCodec.decode(m, new FakeSkCipher());
            return true;
        } catch (IkeProtocolException e) {
            return false;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("decode threw " + e + " for " + HexFormat.of().formatHex(m), e);
        }
    }
}
