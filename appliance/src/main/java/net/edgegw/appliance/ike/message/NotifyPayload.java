package net.edgegw.appliance.ike.message;

import java.util.HexFormat;
import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.codec.WireReader;
import net.edgegw.appliance.ike.codec.WireWriter;

/**
 * The Notify payload: an error or status, optionally about one SA (protocol + SPI), with type-specific data.
 *
 * <pre>
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Protocol ID  |   SPI Size    |      Notify Message Type      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                Security Parameter Index (SPI)                 ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       Notification Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param protocol   raw Protocol ID (0 when not about an SA)
 * @param notifyType raw Notify Message Type (see {@link NotifyType#of}); unknown errors must still be seen
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-3.10">RFC 7296 §3.10</a>
 */
public record NotifyPayload(int protocol, byte[] spi, int notifyType, byte[] data) implements Payload {

    /** A notify about no SA. */
    public static NotifyPayload of(NotifyType t, byte[] data) {
        return new NotifyPayload(0, new byte[0], t.value(), data);
    }

    public static NotifyPayload of(NotifyType t) {
        return of(t, new byte[0]);
    }

    /** An error notify with the type an {@link IkeProtocolException} carries. */
    public static NotifyPayload error(int type) {
        return new NotifyPayload(0, new byte[0], type, new byte[0]);
    }

    public NotifyType kind() {
        return NotifyType.of(notifyType);
    }

    @Override
    public PayloadType type() {
        return PayloadType.NOTIFY;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(protocol).u8(spi.length).u16(notifyType).bytes(spi).bytes(data);
    }

    public static NotifyPayload decode(WireReader r) throws IkeProtocolException {
        int proto = r.u8("notify protocol");
        int spiSize = r.u8("notify spi size");
        int type = r.u16("notify type");
        byte[] spi = r.bytes(spiSize, "notify spi");
        return new NotifyPayload(proto, spi, type, r.rest());
    }

    @Override
    public String toString() {
        NotifyType k = kind();
        return "N(" + (k == NotifyType.UNKNOWN ? Integer.toString(notifyType) : k.name())
                + (spi.length > 0 ? " spi " + HexFormat.of().formatHex(spi) : "") + ")";
    }
}
