package net.edgegw.appliance.ike.message;

import java.util.ArrayList;
import java.util.List;
import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.codec.WireReader;
import net.edgegw.appliance.ike.codec.WireWriter;

/**
 * The Configuration payload: requests and replies for internal addresses, DNS servers, subnets.
 *
 * <pre>
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   CFG Type    |                    RESERVED                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                   Configuration Attributes                    ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Configuration Attribute:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |R|         Attribute Type      |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                             Value                             ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-3.15">RFC 7296 §3.15</a>
 */
public record CpPayload(CfgType cfgType, List<Attribute> attributes) implements Payload {
    public static final int INTERNAL_IP4_ADDRESS = 1; // RFC 7296 §3.15.1
    public static final int INTERNAL_IP4_DNS = 3;
    public static final int INTERNAL_IP6_ADDRESS = 8;
    public static final int INTERNAL_IP6_DNS = 10;

    /** One configuration attribute; an empty value in a request asks for one. */
    public record Attribute(int type, byte[] value) {
        public Attribute {
            if (type < 0 || type > 0x7fff) {
                throw new IllegalArgumentException("attribute type is 15 bits");
            }
            }

        @Override
        public byte[] value() {
            return value.clone();
        }
    }

    public CpPayload {
        attributes = List.copyOf(attributes);
    }

    @Override
    public PayloadType type() {
        return PayloadType.CP;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(cfgType.value()).zeros(3);
        for (Attribute a : attributes) {
            w.u16(a.type).u16(a.value.length).bytes(a.value);
        }
    }

    public static CpPayload decode(WireReader r) throws IkeProtocolException {
        CfgType t = CfgType.of(r.u8("CFG type"));
        r.skip(3, "CP reserved");
        List<Attribute> l = new ArrayList<>();
        while (r.remaining() > 0) {
            int type = r.u16("attribute type") & 0x7fff; // R bit: ignored on receipt (RFC 7296 §3.15.1)
            l.add(new Attribute(type, r.bytes(r.u16("attribute length"), "attribute value")));
        }
        return new CpPayload(t, l);
    }

    @Override
    public String toString() {
        return "CP(" + cfgType + ", " + attributes.size() + " attributes)";
    }
}
