package net.edgegw.appliance.ike.message;

import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.codec.WireReader;
import net.edgegw.appliance.ike.codec.WireWriter;

/**
 * One transform of a proposal, with its only defined attribute, the Key Length (a TV attribute, RFC 7296 §3.3.5).
 *
 * <pre>
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Last Substruc |   RESERVED    |        Transform Length       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Transform Type |   RESERVED    |          Transform ID         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                      Transform Attributes                     ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Data Attributes:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |A|       Attribute Type        |    AF=0  Attribute Length     |
 * |F|                             |    AF=1  Attribute Value      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   AF=0  Attribute Value                       |
 * |                   AF=1  Not Transmitted                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param keyLength        key length in bits, 0 when the attribute is absent
 * @param unknownAttribute the peer sent an attribute we do not know: the transform is unusable (§3.3.6)
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-3.3.2">RFC 7296 §3.3.2, §3.3.5</a>
 */
public record Transform(TransformType type, int id, int keyLength, boolean unknownAttribute) {
    // RFC 7296 §3.3.2 / IANA "Transform Type 1 - Encryption Algorithm Transform IDs"
    public static final int ENCR_AES_CBC = 12;
    public static final int ENCR_AES_GCM_16 = 20;
    public static final int ENCR_CHACHA20_POLY1305 = 28;
    // Transform Type 2 - Pseudorandom Function Transform IDs
    public static final int PRF_HMAC_SHA2_256 = 5;
    public static final int PRF_HMAC_SHA2_384 = 6;
    public static final int PRF_HMAC_SHA2_512 = 7;
    // Transform Type 3 - Integrity Algorithm Transform IDs
    public static final int AUTH_NONE = 0;
    public static final int AUTH_HMAC_SHA2_256_128 = 12;
    public static final int AUTH_HMAC_SHA2_384_192 = 13;
    public static final int AUTH_HMAC_SHA2_512_256 = 14;
    // Transform Type 4 - Key Exchange Method Transform IDs (RFC 3526, RFC 5903, RFC 8031)
    public static final int MODP_2048 = 14;
    public static final int MODP_3072 = 15;
    public static final int MODP_4096 = 16;
    public static final int ECP_256 = 19;
    public static final int ECP_384 = 20;
    public static final int ECP_521 = 21;
    public static final int CURVE25519 = 31;
    // Transform Type 5 - Extended Sequence Numbers Transform IDs
    public static final int ESN_NO = 0;
    public static final int ESN_YES = 1;

    static final int LAST = 0;                 // RFC 7296 §3.3.2 Last Substruc
    static final int MORE = 3;
    static final int HEADER_LEN = 8;
    static final int ATTR_KEY_LENGTH = 14;     // RFC 7296 §3.3.5
    static final int ATTR_FORMAT_TV = 0x8000;  // AF bit

    public static Transform of(TransformType type, int id) {
        return new Transform(type, id, 0, false);
    }

    public static Transform of(TransformType type, int id, int keyLength) {
        return new Transform(type, id, keyLength, false);
    }

    /** Same type, ID and key length (what proposal selection compares). */
    public boolean sameAs(Transform o) {
        return type == o.type && id == o.id && keyLength == o.keyLength;
    }

    void encode(WireWriter w, boolean last) {
        int start = w.position();
        w.u8(last ? LAST : MORE).u8(0).u16(0).u8(type.value()).u8(0).u16(id);
        if (keyLength != 0) {
            w.u16(ATTR_FORMAT_TV | ATTR_KEY_LENGTH).u16(keyLength);
        }
        w.patch16(start + 2, w.position() - start);
    }

    /** Reads one transform substructure; {@code last} receives the Last Substruc value. */
    static Transform decode(WireReader r, int[] last) throws IkeProtocolException {
        last[0] = r.u8("transform last substruc");
        r.u8("transform reserved");
        int len = r.u16("transform length");
        if (len < HEADER_LEN) {
            throw WireReader.syntax("transform length " + len);
        }
        WireReader t = r.slice(len - 4, "transform");
        int type = t.u8("transform type");
        t.u8("transform reserved");
        int id = t.u16("transform id");
        int keyLength = 0;
        boolean unknown = false;
        while (t.remaining() > 0) {
            int at = t.u16("attribute type");
            if ((at & ATTR_FORMAT_TV) != 0) {
                int v = t.u16("attribute value");
                if ((at & ~ATTR_FORMAT_TV) == ATTR_KEY_LENGTH) {
                    keyLength = v;
                } else {
                    unknown = true;
                }
            } else {
                t.skip(t.u16("attribute length"), "attribute value");
                unknown = true; // no TLV attribute is defined for IKEv2
            }
        }
        return new Transform(TransformType.of(type), id, keyLength, unknown);
    }

    @Override
    public String toString() {
        return type + "/" + id + (keyLength != 0 ? "/" + keyLength : "") + (unknownAttribute ? "/?" : "");
    }
}
