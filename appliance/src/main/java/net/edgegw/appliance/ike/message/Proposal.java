package net.edgegw.appliance.ike.message;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.codec.WireReader;
import net.edgegw.appliance.ike.codec.WireWriter;

/**
 * One proposal of an SA payload: a protocol, its SPI and the transforms offered (all combinations of them).
 *
 * <pre>
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Last Substruc |   RESERVED    |         Proposal Length       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Proposal Num  |  Protocol ID  |    SPI Size   |Num  Transforms|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        SPI (variable)                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        <Transforms>                           ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param spi empty for an initial IKE SA, 8 bytes for an IKE SA rekey, 4 bytes for ESP/AH
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-3.3.1">RFC 7296 §3.3.1</a>
 */
public record Proposal(int number, ProtocolId protocol, byte[] spi, List<Transform> transforms) {
    static final int LAST = 0;     // RFC 7296 §3.3.1 Last Substruc
    static final int MORE = 2;
    static final int HEADER_LEN = 8;

    public Proposal {
        transforms = List.copyOf(transforms);
    }

    /** The transforms of one type, in the order offered. */
    public List<Transform> of(TransformType t) {
        List<Transform> l = new ArrayList<>();
        for (Transform x : transforms) {
            if (x.type() == t) {
                l.add(x);
            }
        }
        return l;
    }

    /** The first transform of a type, or null. */
    public Transform first(TransformType t) {
        for (Transform x : transforms) {
            if (x.type() == t) {
                return x;
            }
        }
        return null;
    }

    /** The ESP/AH SPI as an int (4-byte SPI). */
    public int spi32() {
        return spi32(spi);
    }

    /** A 4-byte SPI as an int, 0 for any other length. */
    public static int spi32(byte[] spi) {
        return spi.length == 4 ? (spi[0] & 0xff) << 24 | (spi[1] & 0xff) << 16 | (spi[2] & 0xff) << 8 | (spi[3] & 0xff) : 0;
    }

    void encode(WireWriter w, boolean last) {
        int start = w.position();
        w.u8(last ? LAST : MORE).u8(0).u16(0).u8(number).u8(protocol.value()).u8(spi.length).u8(transforms.size());
        w.bytes(spi);
        for (int i = 0; i < transforms.size(); i++) {
            transforms.get(i).encode(w, i == transforms.size() - 1);
        }
        w.patch16(start + 2, w.position() - start);
    }

    static Proposal decode(WireReader r, int[] last) throws IkeProtocolException {
        last[0] = r.u8("proposal last substruc");
        r.u8("proposal reserved");
        int len = r.u16("proposal length");
        if (len < HEADER_LEN) {
            throw WireReader.syntax("proposal length " + len);
        }
        WireReader p = r.slice(len - 4, "proposal");
        int num = p.u8("proposal num");
        ProtocolId proto = ProtocolId.of(p.u8("protocol id"));
        int spiSize = p.u8("spi size");
        int n = p.u8("num transforms");
        if ((proto == ProtocolId.IKE && spiSize != 0 && spiSize != 8)
                || ((proto == ProtocolId.ESP || proto == ProtocolId.AH) && spiSize != 4)) {
            throw WireReader.syntax("SPI size " + spiSize + " for " + proto);
        }
        byte[] spi = p.bytes(spiSize, "proposal spi");
        List<Transform> ts = new ArrayList<>(n);
        int[] tl = new int[1];
        for (int i = 0; i < n; i++) {
            ts.add(Transform.decode(p, tl));
            if (tl[0] != (i == n - 1 ? Transform.LAST : Transform.MORE)) {
                throw WireReader.syntax("transform last substruc " + tl[0] + " at " + (i + 1) + " of " + n);
            }
        }
        p.expectEnd("proposal");
        return new Proposal(num, proto, spi, ts);
    }

    @Override
    public String toString() {
        return "#" + number + " " + protocol + (spi.length > 0 ? " spi " + HexFormat.of().formatHex(spi) : "")
                + " " + transforms;
    }
}
