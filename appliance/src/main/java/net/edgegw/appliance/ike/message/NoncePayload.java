package net.edgegw.appliance.ike.message;

import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.codec.WireReader;
import net.edgegw.appliance.ike.codec.WireWriter;

/**
 * The Nonce payload: Ni or Nr, fresh random data of 16 to 256 octets.
 *
 * <pre>
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                            Nonce Data                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-3.9">RFC 7296 §3.9</a>
 */
public record NoncePayload(byte[] data) implements Payload {
    public static final int MIN_LEN = 16;   // RFC 7296 §3.9
    public static final int MAX_LEN = 256;  // RFC 7296 §3.9

    @Override
    public PayloadType type() {
        return PayloadType.NONCE;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.bytes(data);
    }

    public static NoncePayload decode(WireReader r) throws IkeProtocolException {
        if (r.remaining() < MIN_LEN || r.remaining() > MAX_LEN) {
            throw WireReader.syntax("nonce of " + r.remaining() + " bytes");
        }
        return new NoncePayload(r.rest());
    }

    @Override
    public String toString() {
        return "No(" + data.length + " B)";
    }
}
