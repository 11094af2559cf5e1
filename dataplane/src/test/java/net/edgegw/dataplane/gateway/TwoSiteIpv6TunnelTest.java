package net.edgegw.dataplane.gateway;

import static net.edgegw.dataplane.gateway.TwoSiteTopology.CLOUD_HOST6;
import static net.edgegw.dataplane.gateway.TwoSiteTopology.ONPREM_HOST6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import net.edgegw.dataplane.gateway.TwoSiteTopology.Encap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inner IPv6 end to end: onprem fd00:244:1::10 and cloud fd00:96:1::10 talk through the two gateways over ESP in
 * UDP 4500 ({@link TwoSiteTopology} with {@code ipv6Inner}), once on the IPv4 WAN (6-in-4) and once on an IPv6 WAN
 * (6-in-6). ping6, an iperf3 -6 run, and a 24 MiB TCP copy whose SHA-256 at the receiver must equal the sender's
 * file; the capture of gw-a's WAN holds only ESP in UDP 4500 (and, on the IPv6 WAN, neighbour discovery and MLD), no
 * inner address in the clear, and tshark with the SA keys finds the inner ICMPv6 echoes and TCP segments.
 */
@Tag("netns")
class TwoSiteIpv6TunnelTest {
    private static final int COPY_BYTES = 24 << 20;
    private static final int COPY_PORT = 5202;
    /** Receives one TCP connection on [host]:port and prints "bytes sha256hex" (python3, bounded by timeout). */
    private static final String SINK = "import hashlib, socket, sys\n"
            + "s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)\n"
            + "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
            + "s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(1); print('listening', flush=True)\n"
            + "c, _ = s.accept(); h = hashlib.sha256(); n = 0\n"
            + "while True:\n"
            + "    d = c.recv(1 << 16)\n"
            + "    if not d: break\n"
            + "    h.update(d); n += len(d)\n"
            + "print('received', n, h.hexdigest(), flush=True)\n";
    /** Connects to [host]:port and sends the file. */
    private static final String SOURCE = "import socket, sys\n"
            + "s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=20)\n"
            + "s.sendfile(open(sys.argv[3], 'rb')); s.close()\n";

    private TwoSiteTopology t;

    @ParameterizedTest(name = "ipv6 outer {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void ping6Iperf6AndChecksummedCopyOnlyEspOnTheWire(boolean ipv6Outer) throws Exception {
        t = TwoSiteTopology.start(Encap.UDP, true, ipv6Outer);
        System.out.println("TUNNEL6 outer " + (ipv6Outer ? "IPv6" : "IPv4") + ", ping6 rtt min/avg/max ms = " + t.ping(5, CLOUD_HOST6));

        Path pcap = t.dir.resolve("wan6.pcap");
        Process tcpdump = t.capture(pcap, 3000);
        t.ping(3, CLOUD_HOST6);
        double mbps = t.iperf(2, CLOUD_HOST6);
        System.out.println("TUNNEL6 iperf3 -6 TCP 2 s: " + mbps + " Mbit/s");
        assertTrue(mbps > 0);
        TwoSiteTopology.stopCapture(tcpdump);

        // a TCP copy with a checksum of the bytes: what arrives at cloud is what left onprem
        byte[] data = new byte[COPY_BYTES];
        ThreadLocalRandom.current().nextBytes(data);
        Path file = t.dir.resolve("copy6.bin");
        Files.write(file, data);
        String sent = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        Path sinkLog = t.dir.resolve("sink6.log");
        Process sink = t.spawn(sinkLog, "ip", "netns", "exec", t.cloud, "timeout", "60", "python3", "-c", SINK,
                CLOUD_HOST6, Integer.toString(COPY_PORT));
        TwoSiteTopology.waitFor(sinkLog, "listening", Duration.ofSeconds(30), sink);
        // the copy takes about a second; its own timeout (60 s) bounds it on a loaded machine, not the 20 s of a
        // short command
        TwoSiteTopology.sh(Duration.ofSeconds(70), "ip", "netns", "exec", t.onprem, "timeout", "60", "python3", "-c",
                SOURCE, CLOUD_HOST6, Integer.toString(COPY_PORT), file.toString());
        assertTrue(sink.waitFor(30, TimeUnit.SECONDS), "receiver did not finish");
        String received = Files.readString(sinkLog);
        System.out.println("TUNNEL6 copy: sent " + COPY_BYTES + " " + sent + ", " + received.trim());
        assertTrue(received.contains("received " + COPY_BYTES + " " + sent), received);

        // both gateways carried IPv6 through the offload paths (TSO reads at gw-a, coalesced writes at gw-b)
        String a = t.nextStatus(t.gwA);
        String b = t.nextStatus(t.gwB);
        System.out.println("TUNNEL6 gw-a " + a.substring(a.indexOf("status")));
        System.out.println("TUNNEL6 gw-b " + b.substring(b.indexOf("status")));
        assertTrue(TwoSiteTopology.counter(a, "gso_reads") > 0, a);
        assertTrue(TwoSiteTopology.counter(b, "gro_writes") > 0, b);

        // without keys: only ESP in UDP 4500 (plus neighbour discovery and MLD on an IPv6 WAN), no inner address
        String other = ipv6Outer ? "!(udp.port == 4500) && !(icmpv6.type >= 130 && icmpv6.type <= 137) && !(icmpv6.type == 143)"
                : "!(udp.port == 4500)";
        assertEquals(0, t.tsharkCount(pcap, other), "other traffic on the WAN: " + other);
        assertEquals(0, t.tsharkCount(pcap, ipv6Outer ? "ip" : "ipv6"), "the other outer family on the WAN");
        assertEquals(0, t.tsharkCount(pcap, "ipv6.addr == " + TwoSiteTopology.ONPREM_NET6 + " || ipv6.addr == "
                + TwoSiteTopology.CLOUD_NET6), "inner addresses visible on the WAN without keys");
        assertTrue(t.tsharkCount(pcap, ipv6Outer ? "ipv6.dst == " + TwoSiteTopology.GW_B_WAN6 + " && esp"
                : "ip.dst == " + TwoSiteTopology.GW_B_WAN + " && esp") > 100, "ESP to gw-b's WAN address");
        int esp = t.tsharkCount(pcap, "esp");
        assertTrue(esp > 100, "ESP frames captured: " + esp);

        // with the SA keys: the inner ICMPv6 echoes and the iperf3 TCP segments
        List<String> keys = t.tsharkKeys();
        int echo = t.tsharkCount(pcap, "icmpv6.type == 128 && ipv6.src == " + ONPREM_HOST6 + " && ipv6.dst == "
                + CLOUD_HOST6, keys);
        int reply = t.tsharkCount(pcap, "icmpv6.type == 129 && ipv6.src == " + CLOUD_HOST6 + " && ipv6.dst == "
                + ONPREM_HOST6, keys);
        int tcp = t.tsharkCount(pcap, "tcp.dstport == 5201 && ipv6.src == " + ONPREM_HOST6, keys);
        System.out.println("TUNNEL6 capture: " + esp + " ESP frames in UDP 4500; decrypted: echo requests " + echo
                + ", replies " + reply + ", TCP to 5201 " + tcp);
        assertTrue(echo >= 3 && reply >= 3 && tcp > 0, "decrypted inner IPv6 packets missing");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (t != null) {
            t.close();
        }
    }
}
