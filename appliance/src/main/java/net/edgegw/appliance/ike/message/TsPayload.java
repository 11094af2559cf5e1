package net.edgegw.appliance.ike.message;

import java.util.ArrayList;
import java.util.List;
import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.codec.WireReader;
import net.edgegw.appliance.ike.codec.WireWriter;
import net.edgegw.dataplane.spd.TrafficSelector;

/**
 * The Traffic Selector payload, TSi (the initiator's side of the traffic) or TSr: address ranges with protocol
 * and port ranges. Selectors are the data plane's {@link TrafficSelector}, so what IKE agrees on is what the SPD
 * enforces.
 *
 * <pre>
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Number of TSs |                 RESERVED                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       <Traffic Selectors>                     ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Traffic Selector:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   TS Type     |IP Protocol ID*|       Selector Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Start Port*         |           End Port*           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                         Starting Address*                     ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                         Ending Address*                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Deviation: a selector whose start is above its end (e.g. the OPAQUE port range 65535-0) is refused as
 * INVALID_SYNTAX; the data plane has no way to express it.
 *
 * @param initiator true for TSi, false for TSr
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-3.13">RFC 7296 §3.13</a>
 */
public record TsPayload(boolean initiator, List<TrafficSelector> selectors) implements Payload {
    static final int V4_LEN = 16; // RFC 7296 §3.13.1, TS_IPV4_ADDR_RANGE
    static final int V6_LEN = 40; // TS_IPV6_ADDR_RANGE

    public TsPayload {
        selectors = List.copyOf(selectors);
    }

    @Override
    public PayloadType type() {
        return initiator ? PayloadType.TSI : PayloadType.TSR;
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(selectors.size()).zeros(3);
        for (TrafficSelector ts : selectors) {
            boolean v4 = ts.family() == 4;
            w.u8(v4 ? TsType.IPV4_ADDR_RANGE.value() : TsType.IPV6_ADDR_RANGE.value()).u8(ts.protocol())
                    .u16(v4 ? V4_LEN : V6_LEN).u16(ts.startPort()).u16(ts.endPort())
                    .bytes(ts.startAddress()).bytes(ts.endAddress());
        }
    }

    public static TsPayload decode(boolean initiator, WireReader r) throws IkeProtocolException {
        int n = r.u8("number of TSs");
        r.skip(3, "TS reserved");
        if (n == 0) {
            throw WireReader.syntax("TS payload without selectors");
        }
        List<TrafficSelector> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TsType t = TsType.of(r.u8("TS type"));
            int proto = r.u8("TS protocol");
            int len = r.u16("selector length");
            int expected = t == TsType.IPV4_ADDR_RANGE ? V4_LEN : t == TsType.IPV6_ADDR_RANGE ? V6_LEN : -1;
            if (len != expected) {
                throw WireReader.syntax("selector of type " + t + " with length " + len);
            }
            int sp = r.u16("start port");
            int ep = r.u16("end port");
            int alen = t == TsType.IPV4_ADDR_RANGE ? 4 : 16;
            long[] s = toLongs(r.bytes(alen, "start address"));
            long[] e = toLongs(r.bytes(alen, "end address"));
            if (sp > ep || Long.compareUnsigned(s[0], e[0]) > 0
                    || (s[0] == e[0] && Long.compareUnsigned(s[1], e[1]) > 0)) {
                throw WireReader.syntax("selector range with start after end");
            }
            l.add(new TrafficSelector(alen == 4 ? 4 : 6, s[0], s[1], e[0], e[1], proto, sp, ep));
        }
        r.expectEnd("TS payload");
        return new TsPayload(initiator, l);
    }

    private static long[] toLongs(byte[] a) {
        long hi = 0;
        long lo = 0;
        if (a.length == 4) {
            for (byte x : a) {
                lo = lo << 8 | (x & 0xff);
            }
        } else {
            for (int i = 0; i < 8; i++) {
                hi = hi << 8 | (a[i] & 0xff);
                lo = lo << 8 | (a[i + 8] & 0xff);
            }
        }
        return new long[] {hi, lo};
    }

    @Override
    public String toString() {
        return (initiator ? "TSi" : "TSr") + selectors;
    }
}
