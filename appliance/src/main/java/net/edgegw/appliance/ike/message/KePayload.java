package net.edgegw.appliance.ike.message;

import java.util.HexFormat;
import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.codec.WireReader;
import net.edgegw.appliance.ike.codec.WireWriter;

/**
 * The Key Exchange payload: the sender's Diffie-Hellman public value for a group.
 *
 * <pre>
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Diffie-Hellman Group Num    |           RESERVED            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       Key Exchange Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-3.4">RFC 7296 §3.4</a>
 */
public record KePayload(int group, byte[] data) implements Payload {

    @Override
    public PayloadType type() {
        return PayloadType.KE;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u16(group).u16(0).bytes(data);
    }

    public static KePayload decode(WireReader r) throws IkeProtocolException {
        int group = r.u16("KE group");
        r.u16("KE reserved");
        if (r.remaining() == 0) {
            throw WireReader.syntax("KE payload without key exchange data");
        }
        return new KePayload(group, r.rest());
    }

    @Override
    public String toString() {
        return "KE(" + group + ", " + data.length + " B)";
    }
}
