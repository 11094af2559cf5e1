package net.edgegw.appliance.ike.message;

import net.edgegw.appliance.ike.codec.WireWriter;

/**
 * The Encrypted and Authenticated payload, always the last one of a message: the other payloads, encrypted
 * and integrity protected. The codec seals and opens it with the IKE SA's SkCipher; this class is its raw form
 * (the codec hands the opened inner payloads to the exchanges, never this one).
 *
 * <pre>
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Initialization Vector                     |
 * |         (length is block size for encryption algorithm)       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                    Encrypted IKE Payloads                     ~
 * +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               |             Padding (0-255 octets)            |
 * +-+-+-+-+-+-+-+-+                               +-+-+-+-+-+-+-+-+
 * |                                               |  Pad Length   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                    Integrity Checksum Data                    ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param firstInner the Next Payload field of SK: type of the first encrypted payload
 * @param sealed     {@code IV | ciphertext | ICV}
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-3.14">RFC 7296 §3.14</a>
 */
public record SkPayload(int firstInner, byte[] sealed) implements Payload {

    @Override
    public PayloadType type() {
        return PayloadType.SK;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.bytes(sealed);
    }

    @Override
    public String toString() {
        return "SK(" + sealed.length + " B)";
    }
}
