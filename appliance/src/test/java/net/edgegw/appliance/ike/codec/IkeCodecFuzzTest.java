package net.edgegw.appliance.ike.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.crypto.SkCipher;
import net.edgegw.appliance.ike.message.IkeHeader;
import net.edgegw.appliance.ike.message.IkeMessage;
import net.edgegw.appliance.ike.message.SkfPayload;

/**
 * Coverage-guided fuzzing of the IKE message decoder (Jazzer): whatever the bytes, decoding either yields a
 * message or throws {@link IkeProtocolException} (which carries the RFC 7296 notify), never another exception;
 * a decoded message encodes again and decodes to the same header. The SK payload is opened with a cipher
 * without IV and ICV so the fuzzer reaches the inner payloads; SKF fragments go through a reassembly buffer.
 *
 * <p>Without {@code JAZZER_FUZZ=1} each target replays its corpus in
 * {@code src/test/resources/net/edgegw/appliance/ike/codec/IkeCodecFuzzTestInputs/<method>/} as a plain test.
 */
class IkeCodecFuzzTest {
    /** SK "protection" that hides nothing: plaintext | pad length 0, no IV, no ICV. */
    static final class PlainSkCipher implements SkCipher {
        @Override
        public int sealedLength(int plaintextLen) {
            return plaintextLen + 1;
        }

        @Override
        public int maxPlaintext(int sealedLen) {
            return sealedLen - 1;
        }

        @Override
        public byte[] seal(byte[] aad, byte[] plaintext) {
            return Arrays.copyOf(plaintext, plaintext.length + 1);
        }

        @Override
        public byte[] open(byte[] aad, byte[] sealed, int off, int len) throws IkeProtocolException {
            if (len < 1 || (sealed[off + len - 1] & 0xff) + 1 > len) {
                throw new IkeProtocolException(IkeProtocolException.INVALID_SYNTAX, "pad");
            }
            return Arrays.copyOfRange(sealed, off, off + len - 1 - (sealed[off + len - 1] & 0xff));
        }
    }

    private final SkCipher plain = new PlainSkCipher();

    @FuzzTest(maxDuration = "3m")
    void decode(byte[] msg) {
        IkeHeader h;
        try {
            h = IkeCodec.decodeHeader(msg);
        } catch (IkeProtocolException e) {
            assertTrue(e.notifyType() > 0, "notify type");
            return;
        }
        IkeMessage m;
        try {
            m = IkeCodec.decode(msg, plain);
        } catch (IkeProtocolException e) {
            assertTrue(e.notifyType() > 0, "notify type");
            return;
        }
        if (m.get(SkfPayload.class) != null) {
            return; // a fragment is reassembled, never written back as it came (see reassemble)
        }
        // what we decoded we can write again, and it reads back with the same header fields
        byte[] again = IkeCodec.encode(m, m.encrypted ? plain : null);
        IkeHeader h2;
        try {
            h2 = IkeCodec.decodeHeader(again);
            IkeCodec.decode(again, plain);
        } catch (IkeProtocolException e) {
            throw new AssertionError("re-encoded message does not decode: " + e.getMessage(), e);
        }
        assertEquals(h.spiI(), h2.spiI());
        assertEquals(h.spiR(), h2.spiR());
        assertEquals(h.exchange(), h2.exchange());
        assertEquals(h.messageId(), h2.messageId());
    }

    @FuzzTest(maxDuration = "3m")
    void reassemble(byte[] data) {
        // the input is a sequence of datagrams, each prefixed by a 2-byte length
        FragmentBuffer buf = new FragmentBuffer();
        int at = 0;
        while (at + 2 <= data.length) {
            int len = Math.min((data[at] & 0xff) << 8 | (data[at + 1] & 0xff), data.length - at - 2);
            byte[] msg = Arrays.copyOfRange(data, at + 2, at + 2 + len);
            at += 2 + len;
            try {
                IkeHeader h = IkeCodec.decodeHeader(msg);
                IkeMessage m = IkeCodec.decode(msg, plain);
                SkfPayload f = m.get(SkfPayload.class);
                if (f != null) {
                    buf.offer(h, f);
                }
            } catch (IkeProtocolException e) {
                assertTrue(e.notifyType() > 0, "notify type");
            }
        }
    }
}
