package net.edgegw.dataplane.packet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes IP packets to a classic libpcap file with link type RAW, so tshark and other decoders can read what
 * the data plane put on the wire.
 *
 * <pre>
 * global header: magic a1b2c3d4 | version 2.4 | thiszone | sigfigs | snaplen | linktype
 * per packet:    ts_sec | ts_usec | incl_len | orig_len | packet bytes
 * </pre>
 *
 * @see <a href="https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html">draft-ietf-opsawg-pcap</a>
 */
public final class PcapFile {
    static final int MAGIC = 0xa1b2c3d4; // microsecond timestamps, written in our (little-endian) byte order
    static final int LINKTYPE_RAW = 101; // raw IPv4/IPv6, version from the first nibble
    static final int SNAPLEN = 65535;

    private PcapFile() {}

    /** Writes {@code packets} as frames 1..n, one millisecond apart. */
    public static void write(Path file, List<byte[]> packets) throws IOException {
        int size = 24;
        for (byte[] p : packets) {
            size += 16 + p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(SNAPLEN).putInt(LINKTYPE_RAW);
        long usec = 1_700_000_000_000_000L;
        for (byte[] p : packets) {
            b.putInt((int) (usec / 1_000_000)).putInt((int) (usec % 1_000_000)).putInt(p.length).putInt(p.length).put(p);
            usec += 1000;
        }
        Files.write(file, b.array());
    }
}
