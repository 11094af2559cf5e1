package net.edgegw.appliance.ike.message;

import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.codec.WireReader;
import net.edgegw.appliance.ike.codec.WireWriter;

/**
 * The Certificate payload (CERT: a certificate, CRL, ... for the sender's authentication) and the Certificate
 * Request payload (CERTREQ: the trust anchors the sender accepts; for X.509 the SHA-1 hashes of their public
 * keys, RFC 7296 §3.7), which share one layout.
 *
 * <pre>
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Cert Encoding |                                               |
 * +-+-+-+-+-+-+-+-+                                               |
 * ~            Certificate Data / Certification Authority         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param request true for CERTREQ, false for CERT
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-3.6">RFC 7296 §3.6, §3.7</a>
 */
public record CertPayload(boolean request, CertEncoding encoding, byte[] data) implements Payload {

    @Override
    public PayloadType type() {
        return request ? PayloadType.CERTREQ : PayloadType.CERT;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(encoding.value()).bytes(data);
    }

    public static CertPayload decode(boolean request, WireReader r) throws IkeProtocolException {
        CertEncoding e = CertEncoding.of(r.u8("cert encoding"));
        return new CertPayload(request, e, r.rest());
    }

    @Override
    public String toString() {
        return (request ? "CERTREQ(" : "CERT(") + encoding + ", " + data.length + " B)";
    }
}
