package net.edgegw.appliance.ike.message;

import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.codec.WireReader;
import net.edgegw.appliance.ike.codec.WireWriter;

/**
 * The Authentication payload: proof that the sender knows the secret behind its identity, over the octets of
 * RFC 7296 §2.15.
 *
 * <pre>
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Auth Method   |                RESERVED                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                      Authentication Data                      ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param method raw Auth Method (see {@link AuthMethod#of})
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-3.8">RFC 7296 §3.8</a>
 */
public record AuthPayload(int method, byte[] data) implements Payload {

    public AuthMethod authMethod() {
        return AuthMethod.of(method);
    }

    @Override
    public PayloadType type() {
        return PayloadType.AUTH;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(method).zeros(3).bytes(data);
    }

    public static AuthPayload decode(WireReader r) throws IkeProtocolException {
        int m = r.u8("auth method");
        r.skip(3, "auth reserved");
        return new AuthPayload(m, r.rest());
    }

    @Override
    public String toString() {
        return "AUTH(" + authMethod() + ")";
    }
}
