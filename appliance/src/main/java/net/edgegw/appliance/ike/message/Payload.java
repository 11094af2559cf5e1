package net.edgegw.appliance.ike.message;

import net.edgegw.appliance.ike.codec.WireWriter;

/**
 * One IKE payload. The generic payload header (next payload, critical bit, length) is written and read by the
 * codec, which chains payloads; a payload writes and reads only its body.
 *
 * <pre>
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-3.2">RFC 7296 §3.2</a>
 */
public interface Payload {
    /** Length of the generic payload header, RFC 7296 §3.2. */
    int GENERIC_HEADER_LEN = 4;

    PayloadType type();

    /** Writes the body: everything after the generic payload header. */
    void encodeBody(WireWriter w);
}
