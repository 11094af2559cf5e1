package net.edgegw.dataplane.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two gateways with manual keys carry real traffic between two sites, each in its own network namespace.
 *
 * <pre>
 *  onprem                gw-a                                 gw-b                  cloud
 *  10.244.1.10/24 eth0 - lan 10.244.1.1  wan 192.0.2.1 ===== wan 192.0.2.2  lan 10.96.1.1 - eth0 10.96.1.10/24
 *                        edgegw0 (TUN)     ESP in UDP 4500      edgegw0 (TUN)
 *                        route 10.96.1.0/24                     route 10.244.1.0/24
 * </pre>
 *
 * Each gateway is a child JVM ({@link GatewayMain}) started with {@code ip netns exec}; the test pings and runs
 * iperf3 from onprem to cloud, captures the WAN link in gw-a and lets tshark check that it holds only ESP in
 * UDP 4500 and that the SA keys decrypt it back to the inner packets. Namespace names are random per run;
 * every namespace and process is removed in {@link #tearDown} even when the test fails.
 */
@Tag("netns")
class TwoSiteTunnelTest {
    static final Duration CMD_TIMEOUT = Duration.ofSeconds(20);
    static final String ONPREM_HOST = "10.244.1.10";
    static final String CLOUD_HOST = "10.96.1.10";
    static final int SPI_A_TO_B = 0x0a0b0001;
    static final int SPI_B_TO_A = 0x0b0a0001;

    private final String tag = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24);
    private final String onprem = "eg-onprem-" + tag;
    private final String gwA = "eg-gwa-" + tag;
    private final String gwB = "eg-gwb-" + tag;
    private final String cloud = "eg-cloud-" + tag;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> gatewayLogs = new ArrayList<>();
    private Path dir;
    private String keyAB;
    private String keyBA;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("edgegw-2site");
        for (String ns : List.of(onprem, gwA, gwB, cloud)) {
            sh("ip", "netns", "add", ns);
            namespaces.add(ns);
            in(ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            in(ns, "ip", "link", "set", "lo", "up");
        }
        // veth pairs created inside the namespaces: no interface ever appears in the host namespace
        sh("ip", "-n", onprem, "link", "add", "eth0", "type", "veth", "peer", "name", "lan", "netns", gwA);
        sh("ip", "-n", gwA, "link", "add", "wan", "type", "veth", "peer", "name", "wan", "netns", gwB);
        sh("ip", "-n", cloud, "link", "add", "eth0", "type", "veth", "peer", "name", "lan", "netns", gwB);
        host(onprem, "eth0", ONPREM_HOST + "/24", "10.244.1.1");
        host(cloud, "eth0", CLOUD_HOST + "/24", "10.96.1.1");
        router(gwA, "10.244.1.1/24", "192.0.2.1/24");
        router(gwB, "10.96.1.1/24", "192.0.2.2/24");

        SecureRandom rnd = new SecureRandom();
        byte[] k = new byte[20]; // AES-128 key + 4-byte salt, RFC 4106 §8.1
        rnd.nextBytes(k);
        keyAB = HexFormat.of().formatHex(k);
        rnd.nextBytes(k);
        keyBA = HexFormat.of().formatHex(k);
        startGateway(gwA, "10.255.0.1", "192.0.2.1", "192.0.2.2", "10.244.1.0/24", "10.96.1.0/24", SPI_A_TO_B,
                keyAB, SPI_B_TO_A, keyBA);
        startGateway(gwB, "10.255.0.2", "192.0.2.2", "192.0.2.1", "10.96.1.0/24", "10.244.1.0/24", SPI_B_TO_A,
                keyBA, SPI_A_TO_B, keyAB);
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void pingIperfAndOnlyEspOnTheWire() throws Exception {
        // ping through the tunnel (the first echo may wait for ARP on both LANs)
        String ping = in(onprem, "ping", "-c", "5", "-i", "0.2", "-W", "2", CLOUD_HOST);
        Matcher rtt = Pattern.compile("= ([0-9.]+)/([0-9.]+)/([0-9.]+)").matcher(ping);
        assertTrue(rtt.find(), ping);
        System.out.println("TUNNEL ping rtt min/avg/max ms = " + rtt.group(1) + "/" + rtt.group(2) + "/" + rtt.group(3));

        // capture the WAN link in gw-a while a ping and an iperf3 run go through
        Path pcap = dir.resolve("wan.pcap");
        Path tcpdumpLog = dir.resolve("tcpdump.log");
        Process tcpdump = spawn(tcpdumpLog, "ip", "netns", "exec", gwA, "tcpdump", "-i", "wan", "-n", "-s", "0",
                "-U", "--immediate-mode", "-c", "3000", "-w", pcap.toString());
        waitFor(tcpdumpLog, "listening on", Duration.ofSeconds(10), tcpdump);
        in(onprem, "ping", "-c", "3", "-i", "0.2", "-W", "2", CLOUD_HOST);

        Process server = spawn(dir.resolve("iperf3-server.log"), "ip", "netns", "exec", cloud, "iperf3", "-s", "-1", "--forceflush",
                "-B", CLOUD_HOST);
        waitFor(dir.resolve("iperf3-server.log"), "listening", Duration.ofSeconds(10), server);
        String iperf = in(onprem, "iperf3", "-c", CLOUD_HOST, "-t", "3", "-f", "m");
        Matcher m = Pattern.compile("([0-9.]+) Mbits/sec.*receiver").matcher(iperf);
        assertTrue(m.find(), iperf);
        double mbps = Double.parseDouble(m.group(1));
        System.out.println("TUNNEL iperf3 TCP 3 s: " + mbps + " Mbit/s");
        assertTrue(mbps > 0, iperf);
        server.waitFor(5, TimeUnit.SECONDS);

        Thread.sleep(300);
        tcpdump.destroy(); // SIGTERM: tcpdump writes out what it holds
        assertTrue(tcpdump.waitFor(10, TimeUnit.SECONDS), "tcpdump did not stop");

        // without keys: only ESP in UDP 4500, no inner address in the clear
        assertEquals(0, tsharkCount(pcap, "ip && !(udp.port == 4500)"), "non-ESP IP traffic on the WAN");
        assertEquals(0, tsharkCount(pcap, "ip.addr == 10.244.1.0/24 || ip.addr == 10.96.1.0/24"),
                "inner addresses visible on the WAN without keys");
        int esp = tsharkCount(pcap, "esp");
        assertTrue(esp > 100, "ESP frames captured: " + esp);
        System.out.println("TUNNEL capture: " + esp + " ESP-in-UDP frames, no cleartext");

        // with the SA keys tshark decrypts it back to the inner ICMP and TCP packets
        List<String> keys = List.of(
                "-o", "esp.enable_encryption_decode:TRUE",
                "-o", espSa(SPI_A_TO_B, keyAB),
                "-o", espSa(SPI_B_TO_A, keyBA));
        int icmpOut = tsharkCount(pcap, "icmp.type == 8 && ip.src == " + ONPREM_HOST + " && ip.dst == " + CLOUD_HOST,
                keys);
        int icmpBack = tsharkCount(pcap, "icmp.type == 0 && ip.src == " + CLOUD_HOST + " && ip.dst == " + ONPREM_HOST,
                keys);
        int tcp = tsharkCount(pcap, "tcp.dstport == 5201 && ip.src == " + ONPREM_HOST, keys);
        System.out.println("TUNNEL decrypted: echo requests " + icmpOut + ", replies " + icmpBack + ", TCP to 5201 " + tcp);
        assertTrue(icmpOut >= 3 && icmpBack >= 3 && tcp > 0, "decrypted inner packets missing");

        // MSS clamping: onprem offers 1460 (MTU 1500); the SYN leaves gw-a with 1500 - 65 (SA overhead) - 40
        int clampedSyn = tsharkCount(pcap, "tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.options.mss_val == "
                + (1500 - 65 - 40), keys);
        int unclampedSyn = tsharkCount(pcap, "tcp.flags.syn == 1 && tcp.options.mss_val > " + (1500 - 65 - 40), keys);
        assertTrue(clampedSyn > 0 && unclampedSyn == 0, "clamped SYNs " + clampedSyn + ", unclamped " + unclampedSyn);
    }

    // --- topology ---

    private void host(String ns, String dev, String cidr, String gateway) throws Exception {
        in(ns, "ip", "addr", "add", cidr, "dev", dev);
        in(ns, "ip", "link", "set", dev, "up");
        in(ns, "ip", "route", "add", "default", "via", gateway);
    }

    private void router(String ns, String lanCidr, String wanCidr) throws Exception {
        in(ns, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        in(ns, "ip", "addr", "add", lanCidr, "dev", "lan");
        in(ns, "ip", "link", "set", "lan", "up");
        in(ns, "ip", "addr", "add", wanCidr, "dev", "wan");
        in(ns, "ip", "link", "set", "wan", "up");
    }

    private void startGateway(String ns, String tunAddr, String local, String peer, String localNet,
                              String remoteNet, int outSpi, String outKey, int inSpi, String inKey) throws Exception {
        String sel = " local=" + localNet + " remote=" + remoteNet;
        String cfg = String.join("\n",
                "# " + ns + ": written by TwoSiteTunnelTest",
                "tun.name = edgegw0",
                "tun.address = " + tunAddr + "/32",
                "link.mtu = 1500",
                "local = " + local,
                "port = 4500",
                "ike.port = 500",
                "workers = " + Integer.getInteger("edgegw.test.workers", 2), // 2: SA hand-off between workers
                "status.interval = 2",
                "route = " + remoteNet,
                String.format("sa = out spi=0x%08x suite=aes128gcm16 enc=%s src=%s dst=%s encap=4500:4500%s",
                        outSpi, outKey, local, peer, sel),
                String.format("sa = in spi=0x%08x suite=aes128gcm16 enc=%s src=%s dst=%s encap=4500:4500%s",
                        inSpi, inKey, peer, local, sel),
                String.format("policy = to-peer%s action=protect sa=0x%08x", sel, outSpi),
                "");
        Path file = dir.resolve(ns + ".conf");
        Files.writeString(file, cfg);
        Path log = dir.resolve(ns + ".log");
        gatewayLogs.add(log);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = spawn(log, "ip", "netns", "exec", ns, java, "--enable-native-access=ALL-UNNAMED",
                "-Xms64m", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                GatewayMain.class.getName(), file.toString());
        waitFor(log, " started ", Duration.ofSeconds(30), p);
    }

    // --- processes, all bounded in time and killed by PID ---

    private Process spawn(Path log, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        synchronized (processes) {
            processes.add(p);
        }
        return p;
    }

    private static void waitFor(Path log, String text, Duration timeout, Process p) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String s = Files.exists(log) ? Files.readString(log) : "";
            if (s.contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                fail("process exited (" + p.exitValue() + ") before '" + text + "':\n" + s);
            }
            Thread.sleep(100);
        }
        fail("no '" + text + "' after " + timeout + " in " + log + ":\n" + Files.readString(log));
    }

    private String in(String ns, String... cmd) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        return sh(full.toArray(String[]::new));
    }

    private String sh(String... cmd) throws Exception {
        File out = File.createTempFile("edgegw-2site", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out).start();
            if (!p.waitFor(CMD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                fail(String.join(" ", cmd) + " still running after " + CMD_TIMEOUT);
            }
            String s = Files.readString(out.toPath());
            if (p.exitValue() != 0) {
                fail(String.join(" ", cmd) + ": exit " + p.exitValue() + "\n" + s);
            }
            return s;
        } finally {
            Files.deleteIfExists(out.toPath());
        }
    }

    // --- tshark ---

    /** One {@code uat:esp_sa} record for an AES-GCM-16 SA (tshark 4.0 syntax, 8 fields). */
    private static String espSa(int spi, String keyHex) {
        return String.format("uat:esp_sa:\"IPv4\",\"*\",\"*\",\"0x%08x\",\"AES-GCM with 16 octet ICV [RFC4106]\","
                + "\"0x%s\",\"NULL\",\"\"", spi, keyHex);
    }

    private int tsharkCount(Path pcap, String filter) throws Exception {
        return tsharkCount(pcap, filter, List.of());
    }

    private int tsharkCount(Path pcap, String filter, List<String> options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString()));
        cmd.addAll(options);
        cmd.addAll(List.of("-Y", filter, "-T", "fields", "-e", "frame.number"));
        String out = sh(cmd.toArray(String[]::new));
        return (int) out.lines().filter(l -> l.matches("\\d+")).count();
    }

    @AfterEach
    void tearDown() throws Exception {
        List<Process> all;
        synchronized (processes) {
            all = new ArrayList<>(processes);
        }
        for (Process p : all) {
            p.destroy(); // SIGTERM to that PID: the gateways shut down cleanly
        }
        for (Process p : all) {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
        for (Path log : gatewayLogs) {
            if (Files.exists(log)) {
                String s = Files.readString(log);
                System.out.println("---- " + log.getFileName() + " (last lines)");
                List<String> lines = s.lines().toList();
                lines.subList(Math.max(0, lines.size() - 6), lines.size()).forEach(System.out::println);
            }
        }
        for (String ns : namespaces) {
            try {
                sh("ip", "netns", "del", ns);
            } catch (AssertionError | Exception e) {
                System.err.println("could not delete netns " + ns + ": " + e);
            }
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
