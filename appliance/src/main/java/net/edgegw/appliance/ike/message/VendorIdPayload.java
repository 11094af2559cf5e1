package net.edgegw.appliance.ike.message;

import net.edgegw.appliance.ike.codec.WireReader;
import net.edgegw.appliance.ike.codec.WireWriter;

/**
 * The Vendor ID payload: an opaque constant naming an implementation or capability.
 *
 * <pre>
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        Vendor ID (VID)                        ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-3.12">RFC 7296 §3.12</a>
 */
public record VendorIdPayload(byte[] data) implements Payload {

    @Override
    public PayloadType type() {
        return PayloadType.VENDOR_ID;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.bytes(data);
    }

    public static VendorIdPayload decode(WireReader r) {
        return new VendorIdPayload(r.rest());
    }

    @Override
    public String toString() {
        return "V(" + data.length + " B)";
    }
}
