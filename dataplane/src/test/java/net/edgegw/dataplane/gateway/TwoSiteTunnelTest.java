package net.edgegw.dataplane.gateway;

import static net.edgegw.dataplane.gateway.TwoSiteTopology.CLOUD_HOST;
import static net.edgegw.dataplane.gateway.TwoSiteTopology.ONPREM_HOST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.edgegw.dataplane.gateway.TwoSiteTopology.Encap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two gateways with manual keys carry real traffic between two sites ({@link TwoSiteTopology}), once with ESP
 * in UDP 4500 and once with raw ESP (IP protocol 50): ping and iperf3 from onprem to cloud, a capture of the
 * WAN link in gw-a holds only that kind of ESP and no cleartext, and tshark with the SA keys decrypts it back
 * to the inner packets.
 */
@Tag("netns")
class TwoSiteTunnelTest {
    private TwoSiteTopology t;

    @ParameterizedTest
    @EnumSource(Encap.class)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void pingIperfAndOnlyEspOnTheWire(Encap encap) throws Exception {
        t = TwoSiteTopology.start(encap);
        // ping through the tunnel (the first echo may wait for ARP on both LANs)
        System.out.println("TUNNEL " + encap + " ping rtt min/avg/max ms = " + t.ping(5));

        // capture the WAN link in gw-a while a ping and an iperf3 run go through
        Path pcap = t.dir.resolve("wan.pcap");
        Process tcpdump = t.capture(pcap, 3000);
        t.ping(3);
        double mbps = t.iperf(3);
        System.out.println("TUNNEL " + encap + " iperf3 TCP 3 s: " + mbps + " Mbit/s");
        assertTrue(mbps > 0);
        // the offloads were used: TCP super-packets out of gw-a's TUN, coalesced writes into gw-b's, and with UDP
        // encapsulation UDP_SEGMENT sends from gw-a and GRO reads at gw-b
        String a = t.nextStatus(t.gwA);
        String b = t.nextStatus(t.gwB);
        System.out.println("TUNNEL " + encap + " gw-a " + a.substring(a.indexOf("status")));
        System.out.println("TUNNEL " + encap + " gw-b " + b.substring(b.indexOf("status")));
        assertTrue(TwoSiteTopology.counter(a, "gso_reads") > 0, a);
        assertTrue(TwoSiteTopology.counter(b, "gro_writes") > 0, b);
        if (encap == Encap.UDP) {
            assertTrue(TwoSiteTopology.counter(a, "gso_sends") > 0, a);
            assertTrue(TwoSiteTopology.counter(b, "gro_reads") > 0, b);
        }
        TwoSiteTopology.stopCapture(tcpdump);

        // without keys: only ESP of the configured kind, no inner address in the clear
        String notOurs = encap == Encap.UDP ? "ip && !(udp.port == 4500)" : "ip && !(ip.proto == 50)";
        assertEquals(0, t.tsharkCount(pcap, notOurs), "other IP traffic on the WAN: " + notOurs);
        if (encap == Encap.RAW) {
            assertEquals(0, t.tsharkCount(pcap, "udp"), "UDP on the WAN of a raw ESP tunnel");
        }
        assertEquals(0, t.tsharkCount(pcap, "ip.addr == 10.244.1.0/24 || ip.addr == 10.96.1.0/24"),
                "inner addresses visible on the WAN without keys");
        int esp = t.tsharkCount(pcap, "esp");
        assertTrue(esp > 100, "ESP frames captured: " + esp);
        System.out.println("TUNNEL " + encap + " capture: " + esp + " ESP frames"
                + (encap == Encap.UDP ? " in UDP 4500" : " on IP protocol 50") + ", no cleartext");

        // with the SA keys tshark decrypts it back to the inner ICMP and TCP packets
        List<String> keys = t.tsharkKeys();
        int icmpOut = t.tsharkCount(pcap, "icmp.type == 8 && ip.src == " + ONPREM_HOST + " && ip.dst == " + CLOUD_HOST,
                keys);
        int icmpBack = t.tsharkCount(pcap, "icmp.type == 0 && ip.src == " + CLOUD_HOST + " && ip.dst == " + ONPREM_HOST,
                keys);
        int tcp = t.tsharkCount(pcap, "tcp.dstport == 5201 && ip.src == " + ONPREM_HOST, keys);
        System.out.println("TUNNEL " + encap + " decrypted: echo requests " + icmpOut + ", replies " + icmpBack
                + ", TCP to 5201 " + tcp);
        assertTrue(icmpOut >= 3 && icmpBack >= 3 && tcp > 0, "decrypted inner packets missing");

        // MSS clamping: onprem offers 1460 (MTU 1500); the SYN leaves gw-a with 1500 - SA overhead - 40, the
        // overhead of AES-GCM-16 being 65 with UDP encapsulation and 57 without
        int mss = 1500 - (encap == Encap.UDP ? 65 : 57) - 40;
        int clampedSyn = t.tsharkCount(pcap, "tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.options.mss_val == "
                + mss, keys);
        int unclampedSyn = t.tsharkCount(pcap, "tcp.flags.syn == 1 && tcp.options.mss_val > " + mss, keys);
        assertTrue(clampedSyn > 0 && unclampedSyn == 0, "clamped SYNs " + clampedSyn + ", unclamped " + unclampedSyn);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (t != null) {
            t.close();
        }
    }
}
