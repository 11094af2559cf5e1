package net.edgegw.appliance.ike.message;

import net.edgegw.appliance.ike.codec.WireWriter;

/**
 * The Encrypted Fragment payload: one protected piece of a message too big for a datagram. The first fragment
 * carries the type of the first inner payload, the others 0; each fragment is sealed on its own.
 *
 * <pre>
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Fragment Number        |        Total Fragments        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Initialization Vector                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                      Encrypted content                        ~
 * +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               |             Padding (0-255 octets)            |
 * +-+-+-+-+-+-+-+-+                               +-+-+-+-+-+-+-+-+
 * |                                               |  Pad Length   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                    Integrity Checksum Data                    ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param firstInner the Next Payload field: first inner payload type in fragment 1, else 0
 * @param content    after {@link net.edgegw.appliance.ike.codec.IkeCodec} opened it: the fragment's plaintext;
 *                   when encoding: {@code IV | ciphertext | ICV}
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7383#section-2.5">RFC 7383 §2.5</a>
 */
public record SkfPayload(int fragmentNumber, int totalFragments, int firstInner, byte[] content) implements Payload {
    public static final int FIELDS_LEN = 4; // Fragment Number + Total Fragments, RFC 7383 §2.5

    @Override
    public PayloadType type() {
        return PayloadType.SKF;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u16(fragmentNumber).u16(totalFragments).bytes(content);
    }

    @Override
    public String toString() {
        return "SKF(" + fragmentNumber + "/" + totalFragments + ", " + content.length + " B)";
    }
}
