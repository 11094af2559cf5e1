package net.edgegw.appliance.ike.message;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import javax.security.auth.x500.X500Principal;
import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.codec.WireReader;
import net.edgegw.appliance.ike.codec.WireWriter;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * The Identification payload, IDi (sent by the initiator) or IDr: who the sender claims to be.
 *
 * <pre>
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   ID Type     |                 RESERVED                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                   Identification Data                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param initiator true for IDi, false for IDr
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-3.5">RFC 7296 §3.5</a>
 */
public record IdPayload(boolean initiator, IdType idType, byte[] data) implements Payload {

    /**
     * Parses an identity as strongSwan writes it: an IP literal (ID_IPV4_ADDR / ID_IPV6_ADDR), {@code user@host}
     * (ID_RFC822_ADDR), {@code @#hex} (ID_KEY_ID), a distinguished name such as {@code C=CH, O=Org, CN=gw}
     * (ID_DER_ASN1_DN, RDNs in the order written, as strongSwan encodes them), else an FQDN (a leading '@' is
     * dropped). A type prefix forces the type: {@code ipv4:}, {@code ipv6:}, {@code fqdn:}, {@code email:}
     * (RFC 822), {@code asn1dn:} and {@code keyid:} (hex).
     *
     * @throws IllegalArgumentException for a value that is not of the forced type
     */
    public static IdPayload parse(boolean initiator, String id) {
        int colon = id.indexOf(':');
        String prefix = colon > 0 ? id.substring(0, colon) : "";
        String v = id.substring(colon + 1);
        switch (prefix) {
            case "ipv4", "ipv6" -> {
                byte[] a = net.edgegw.dataplane.spd.TrafficSelector.parseAddress(v);
                if (a.length != (prefix.equals("ipv4") ? 4 : 16)) {
                    throw new IllegalArgumentException(id + " is not an " + prefix + " address");
                }
                return new IdPayload(initiator, a.length == 4 ? IdType.IPV4_ADDR : IdType.IPV6_ADDR, a);
            }
            case "fqdn" -> {
                return new IdPayload(initiator, IdType.FQDN, v.getBytes(StandardCharsets.US_ASCII));
            }
            case "email", "rfc822" -> {
                return new IdPayload(initiator, IdType.RFC822_ADDR, v.getBytes(StandardCharsets.US_ASCII));
            }
            case "asn1dn", "dn" -> {
                return new IdPayload(initiator, IdType.DER_ASN1_DN, dn(v));
            }
            case "keyid" -> {
                return new IdPayload(initiator, IdType.KEY_ID, HexFormat.of().parseHex(v));
            }
            default -> { }
        }
        if (id.startsWith("@#")) {
            return new IdPayload(initiator, IdType.KEY_ID, HexFormat.of().parseHex(id.substring(2)));
        }
        if (id.startsWith("@")) {
            return new IdPayload(initiator, IdType.FQDN, id.substring(1).getBytes(StandardCharsets.US_ASCII));
        }
        if (id.indexOf('=') > 0) {
            return new IdPayload(initiator, IdType.DER_ASN1_DN, dn(id));
        }
        if (id.indexOf('@') > 0) {
            return new IdPayload(initiator, IdType.RFC822_ADDR, id.getBytes(StandardCharsets.US_ASCII));
        }
        try {
            byte[] a = net.edgegw.dataplane.spd.TrafficSelector.parseAddress(id);
            return new IdPayload(initiator, a.length == 4 ? IdType.IPV4_ADDR : IdType.IPV6_ADDR, a);
        } catch (IllegalArgumentException notAnAddress) {
            return new IdPayload(initiator, IdType.FQDN, id.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** DER of a DN written {@code C=CH, O=Org, CN=gw}, RDNs in the written order (Bouncy Castle's X500Name). */
    private static byte[] dn(String text) {
        try {
            return new X500Name(text).getEncoded(ASN1Encoding.DER);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("distinguished name " + text, e);
        }
    }

    @Override
    public PayloadType type() {
        return initiator ? PayloadType.IDI : PayloadType.IDR;
    }

    /** The body without the generic header (ID type, reserved, data): what AUTH covers, RFC 7296 §2.15. */
    public byte[] body() {
        WireWriter w = new WireWriter();
        encodeBody(w);
        return w.toByteArray();
    }

    /** Same type and data (the side does not matter); DNs compare as RFC 5280 §7.1 names, not as octets. */
    public boolean sameIdentity(IdPayload o) {
        if (idType != o.idType) {
            return false;
        }
        if (idType == IdType.DER_ASN1_DN) {
            try {
                return new X500Principal(data).equals(new X500Principal(o.data));
            } catch (IllegalArgumentException malformed) {
                return false;
            }
        }
        return Arrays.equals(data, o.data);
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(idType.value()).zeros(3).bytes(data);
    }

    public static IdPayload decode(boolean initiator, WireReader r) throws IkeProtocolException {
        int t = r.u8("ID type");
        r.skip(3, "ID reserved");
        IdType type = IdType.of(t);
        byte[] d = r.rest();
        if ((type == IdType.IPV4_ADDR && d.length != 4) || (type == IdType.IPV6_ADDR && d.length != 16)) {
            throw WireReader.syntax("ID " + type + " of " + d.length + " bytes");
        }
        if (type == IdType.UNKNOWN) {
            throw WireReader.syntax("unknown ID type " + t);
        }
        return new IdPayload(initiator, type, d);
    }

    /** The identity as text (for logs and configuration matching). */
    public String text() {
        switch (idType) {
            case FQDN:
            case RFC822_ADDR:
                return new String(data, StandardCharsets.US_ASCII);
            case IPV4_ADDR:
            case IPV6_ADDR:
                try {
                    return InetAddress.getByAddress(data).getHostAddress();
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e); // lengths are checked on construction paths
                }
            case DER_ASN1_DN:
                try {
                    return X500Name.getInstance(data).toString();
                } catch (RuntimeException malformed) { // peer input: BC reports bad DER this way
                    return "asn1dn:#" + HexFormat.of().formatHex(data);
                }
            default:
                return "@#" + HexFormat.of().formatHex(data);
        }
    }

    @Override
    public String toString() {
        return (initiator ? "IDi(" : "IDr(") + idType + " " + text() + ")";
    }
}
