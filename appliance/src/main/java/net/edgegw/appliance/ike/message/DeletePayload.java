package net.edgegw.appliance.ike.message;

import java.util.ArrayList;
import java.util.List;
import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.codec.WireReader;
import net.edgegw.appliance.ike.codec.WireWriter;

/**
 * The Delete payload: the SAs the sender removes (for IKE: this IKE SA, no SPI; for ESP/AH: the sender's
 * inbound SPIs).
 *
 * <pre>
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Protocol ID   |   SPI Size    |          Num of SPIs          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~               Security Parameter Index(es) (SPI)              ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-3.11">RFC 7296 §3.11</a>
 */
public record DeletePayload(ProtocolId protocol, List<Integer> spis) implements Payload {
    static final int CHILD_SPI_SIZE = 4; // RFC 7296 §3.11: ESP and AH

    public DeletePayload {
        spis = List.copyOf(spis);
    }

    public static DeletePayload ikeSa() {
        return new DeletePayload(ProtocolId.IKE, List.of());
    }

    @Override
    public PayloadType type() {
        return PayloadType.DELETE;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(protocol.value()).u8(protocol == ProtocolId.IKE ? 0 : CHILD_SPI_SIZE).u16(spis.size());
        for (int s : spis) {
            w.i32(s);
        }
    }

    public static DeletePayload decode(WireReader r) throws IkeProtocolException {
        ProtocolId p = ProtocolId.of(r.u8("delete protocol"));
        int spiSize = r.u8("delete spi size");
        int n = r.u16("delete num spis");
        if (p == ProtocolId.IKE ? (spiSize != 0 || n != 0) : (p == ProtocolId.UNKNOWN || p == ProtocolId.NONE
                || spiSize != CHILD_SPI_SIZE)) {
            throw WireReader.syntax("delete of " + p + " with SPI size " + spiSize + " and " + n + " SPIs");
        }
        List<Integer> spis = new ArrayList<>(Math.min(n, r.remaining() / CHILD_SPI_SIZE + 1));
        for (int i = 0; i < n; i++) {
            spis.add(r.i32("delete spi"));
        }
        r.expectEnd("delete payload");
        return new DeletePayload(p, spis);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("D(").append(protocol);
        for (int s : spis) {
            sb.append(String.format(" %08x", s));
        }
        return sb.append(')').toString();
    }
}
