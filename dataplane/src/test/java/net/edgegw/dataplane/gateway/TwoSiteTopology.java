package net.edgegw.dataplane.gateway;

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

/**
 * Two sites joined by two gateways with manual keys, each in its own network namespace, for the end-to-end
 * tests. {@link #close} removes every process (by PID) and namespace, also after a failure.
 *
 * <pre>
 *  onprem                gw-a                                 gw-b                  cloud
 *  10.244.1.10/24 eth0 - lan 10.244.1.1  wan 192.0.2.1 ===== wan 192.0.2.2  lan 10.96.1.1 - eth0 10.96.1.10/24
 *                        edgegw0 (TUN)     ESP in UDP 4500      edgegw0 (TUN)
 *                        route 10.96.1.0/24  or raw ESP (50)    route 10.244.1.0/24
 * </pre>
 *
 * Each gateway is a child JVM ({@link GatewayMain}) started with {@code ip netns exec}. Namespace names are
 * random per run; no interface ever appears in the host namespace.
 *
 * <p>With {@code ipv6Inner} both sites are dual-stack: onprem fd00:244:1::10/64 and cloud fd00:96:1::10/64 behind
 * gw-a fd00:244:1::1 and gw-b fd00:96:1::1, the same SAs carry both families (their selectors list both nets), the
 * TUNs get fd00:255::1/128 and fd00:255::2/128 and a route to the other site's /64. The WAN stays IPv4 only (IPv6
 * disabled on it, so it carries nothing but the tunnel) unless {@code ipv6Outer}: then the gateways talk over
 * fd00:192:2::1 and fd00:192:2::2 on the WAN (and IPv4 is not used there at all).
 */
final class TwoSiteTopology implements AutoCloseable {
    /** How the gateways carry ESP on the WAN. */
    enum Encap {
        /** ESP in UDP 4500 (RFC 3948). */
        UDP("encap=4500:4500 "),
        /** ESP straight on IP, protocol 50 (RFC 4303). */
        RAW("");

        final String saOption;

        Encap(String saOption) {
            this.saOption = saOption;
        }
    }

    static final Duration CMD_TIMEOUT = Duration.ofSeconds(20);
    /** A gateway JVM's start (child JVM, TUN, sockets): ~1 s on a quiet machine. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** The next periodic status line (status.interval = 2 s). */
    static final Duration STATUS_TIMEOUT = Duration.ofSeconds(30);
    static final String ONPREM_HOST = "10.244.1.10";
    static final String CLOUD_HOST = "10.96.1.10";
    static final String GW_A_WAN = "192.0.2.1";
    static final String GW_B_WAN = "192.0.2.2";
    static final String GW_A_WAN6 = "fd00:192:2::1";
    static final String GW_B_WAN6 = "fd00:192:2::2";
    static final String ONPREM_HOST6 = "fd00:244:1::10";
    static final String CLOUD_HOST6 = "fd00:96:1::10";
    static final String ONPREM_NET6 = "fd00:244:1::/64";
    static final String CLOUD_NET6 = "fd00:96:1::/64";
    static final int SPI_A_TO_B = 0x0a0b0001;
    static final int SPI_B_TO_A = 0x0b0a0001;

    private final boolean ipv6Inner;
    final boolean ipv6Outer;
    private final String tag = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24);
    final String onprem = "eg-onprem-" + tag;
    final String gwA = "eg-gwa-" + tag;
    final String gwB = "eg-gwb-" + tag;
    final String cloud = "eg-cloud-" + tag;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> gatewayLogs = new ArrayList<>();
    private final java.util.Map<String, Process> gateways = new java.util.HashMap<>();
    final Path dir;
    final String keyAB;
    final String keyBA;
    private boolean closed;

    private TwoSiteTopology(boolean ipv6Inner, boolean ipv6Outer) throws Exception {
        this.ipv6Inner = ipv6Inner;
        this.ipv6Outer = ipv6Outer;
        dir = Files.createTempDirectory("edgegw-2site");
        SecureRandom rnd = new SecureRandom();
        byte[] k = new byte[20]; // AES-128 key + 4-byte salt, RFC 4106 §8.1
        rnd.nextBytes(k);
        keyAB = HexFormat.of().formatHex(k);
        rnd.nextBytes(k);
        keyBA = HexFormat.of().formatHex(k);
    }

    /** Builds the namespaces and starts both gateways; on failure removes what was built and rethrows. */
    static TwoSiteTopology start(Encap encap) throws Exception {
        return start(encap, false);
    }

    /** As {@link #start(Encap)}; with {@code ipv6Inner} both sites also speak IPv6 through the tunnel. */
    static TwoSiteTopology start(Encap encap, boolean ipv6Inner) throws Exception {
        return start(encap, ipv6Inner, false);
    }

    /** As {@link #start(Encap, boolean)}; with {@code ipv6Outer} the WAN and the SAs' outer addresses are IPv6. */
    static TwoSiteTopology start(Encap encap, boolean ipv6Inner, boolean ipv6Outer) throws Exception {
        TwoSiteTopology t = new TwoSiteTopology(ipv6Inner, ipv6Outer);
        try {
            t.build(encap);
        } catch (Exception | Error e) {
            t.close();
            throw e;
        }
        return t;
    }

    private void build(Encap encap) throws Exception {
        for (String ns : List.of(onprem, gwA, gwB, cloud)) {
            sh("ip", "netns", "add", ns);
            namespaces.add(ns);
            if (!ipv6Inner && !ipv6Outer) {
                in(ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            }
            in(ns, "ip", "link", "set", "lo", "up");
        }
        // veth pairs created inside the namespaces: no interface ever appears in the host namespace
        sh("ip", "-n", onprem, "link", "add", "eth0", "type", "veth", "peer", "name", "lan", "netns", gwA);
        sh("ip", "-n", gwA, "link", "add", "wan", "type", "veth", "peer", "name", "wan", "netns", gwB);
        sh("ip", "-n", cloud, "link", "add", "eth0", "type", "veth", "peer", "name", "lan", "netns", gwB);
        host(onprem, "eth0", ONPREM_HOST + "/24", "10.244.1.1");
        host(cloud, "eth0", CLOUD_HOST + "/24", "10.96.1.1");
        router(gwA, "10.244.1.1/24", GW_A_WAN + "/24");
        router(gwB, "10.96.1.1/24", GW_B_WAN + "/24");
        String netA = "10.244.1.0/24";
        String netB = "10.96.1.0/24";
        if (ipv6Inner) {
            // static addresses without duplicate address detection (usable at once); no IPv6 on the WAN
            for (String gw : List.of(gwA, gwB)) {
                in(gw, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1",
                        "net.ipv6.conf.wan.disable_ipv6=" + (ipv6Outer ? "0" : "1"));
            }
            host6(onprem, ONPREM_HOST6, "fd00:244:1::1");
            host6(cloud, CLOUD_HOST6, "fd00:96:1::1");
            in(gwA, "ip", "-6", "addr", "add", "fd00:244:1::1/64", "dev", "lan", "nodad");
            in(gwB, "ip", "-6", "addr", "add", "fd00:96:1::1/64", "dev", "lan", "nodad");
            netA += "," + ONPREM_NET6;
            netB += "," + CLOUD_NET6;
        }

        String wanA = GW_A_WAN;
        String wanB = GW_B_WAN;
        if (ipv6Outer) {
            in(gwA, "ip", "-6", "addr", "add", GW_A_WAN6 + "/64", "dev", "wan", "nodad");
            in(gwB, "ip", "-6", "addr", "add", GW_B_WAN6 + "/64", "dev", "wan", "nodad");
            wanA = GW_A_WAN6;
            wanB = GW_B_WAN6;
        }

        startGateway(gwA, encap, "10.255.0.1", wanA, wanB, netA, netB, SPI_A_TO_B, keyAB, SPI_B_TO_A, keyBA);
        startGateway(gwB, encap, "10.255.0.2", wanB, wanA, netB, netA, SPI_B_TO_A, keyBA, SPI_A_TO_B, keyAB);
    }

    private void host6(String ns, String address, String gateway) throws Exception {
        in(ns, "ip", "-6", "addr", "add", address + "/64", "dev", "eth0", "nodad");
        in(ns, "ip", "-6", "route", "add", "default", "via", gateway);
    }

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

    private void startGateway(String ns, Encap encap, String tunAddr, String local, String peer, String localNet,
                              String remoteNet, int outSpi, String outKey, int inSpi, String inKey) throws Exception {
        String sel = " local=" + localNet + " remote=" + remoteNet;
        String cfg = String.join("\n",
                "# " + ns + ": written by TwoSiteTopology",
                "tun.name = edgegw0",
                "tun.address = " + tunAddr + "/32",
                ipv6Inner ? "tun.address = fd00:255::" + tunAddr.substring(tunAddr.lastIndexOf('.') + 1) + "/128" : "",
                "link.mtu = 1500",
                "local = " + local,
                "port = 4500",
                "ike.port = 500",
                "workers = " + Integer.getInteger("edgegw.test.workers", 2), // 2: SA hand-off between workers
                "status.interval = 2",
                "route = " + remoteNet.replace(",", "\nroute = "),
                String.format("sa = out spi=0x%08x suite=aes128gcm16 enc=%s src=%s dst=%s %s%s",
                        outSpi, outKey, local, peer, encap.saOption, sel),
                String.format("sa = in spi=0x%08x suite=aes128gcm16 enc=%s src=%s dst=%s %s%s",
                        inSpi, inKey, peer, local, encap.saOption, sel),
                String.format("policy = to-peer%s action=protect sa=0x%08x", sel, outSpi),
                "");
        Path file = dir.resolve(ns + ".conf");
        Files.writeString(file, cfg);
        Path log = gatewayLog(ns);
        gatewayLogs.add(log);
        Process p = spawn(log, "ip", "netns", "exec", ns, java(), "--enable-native-access=ALL-UNNAMED",
                "-Xms64m", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                GatewayMain.class.getName(), file.toString());
        gateways.put(ns, p);
        waitFor(log, " started ", START_TIMEOUT, p);
    }

    /** The gateway process in namespace {@code ns} (its {@code ip netns exec} parent, same PID via exec). */
    Process gateway(String ns) {
        return gateways.get(ns);
    }

    /**
     * Waits for the next periodic status line of the gateway in {@code ns} (every 2 s) and returns it. Only whole
     * lines count (the gateway may be writing one while it is read); 30 s allow for a loaded machine.
     */
    String nextStatus(String ns) throws Exception {
        Path log = gatewayLog(ns);
        long before = statusLines(log).size();
        long deadline = System.nanoTime() + STATUS_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = statusLines(log);
            if (lines.size() > before) {
                return lines.get(lines.size() - 1);
            }
            Thread.sleep(100);
        }
        fail("no status line from " + ns + " within " + STATUS_TIMEOUT);
        return null;
    }

    /** The complete (newline-terminated) status lines of a gateway log. */
    private static List<String> statusLines(Path log) throws Exception {
        String s = Files.readString(log);
        return s.substring(0, s.lastIndexOf('\n') + 1).lines().filter(l -> l.contains(" status ")).toList();
    }

    /** The value of {@code name=N} in a status line. */
    static long counter(String statusLine, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=(\\d+)").matcher(statusLine);
        assertTrue(m.find(), name + " in " + statusLine);
        return Long.parseLong(m.group(1));
    }

    /** The {@code drops={NO_SA=1, RUNT=2}} map of a status line. */
    static java.util.Map<String, Long> drops(String statusLine) {
        java.util.Map<String, Long> m = new java.util.TreeMap<>();
        Matcher d = Pattern.compile("drops=\\{([^}]*)}").matcher(statusLine);
        assertTrue(d.find(), statusLine);
        Matcher kv = Pattern.compile("([A-Z_]+)=(\\d+)").matcher(d.group(1));
        while (kv.find()) {
            m.put(kv.group(1), Long.parseLong(kv.group(2)));
        }
        return m;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    Path gatewayLog(String ns) {
        return dir.resolve(ns + ".log");
    }

    // --- traffic ---

    /** Pings cloud from onprem; returns "min/avg/max" ms. */
    String ping(int count) throws Exception {
        return ping(count, CLOUD_HOST);
    }

    /** Pings {@code host} (cloud's IPv4 or IPv6 address) from onprem; returns "min/avg/max" ms. */
    String ping(int count, String host) throws Exception {
        String out = in(onprem, "ping", "-c", Integer.toString(count), "-i", "0.2", "-W", "2", host);
        Matcher rtt = Pattern.compile("= ([0-9.]+)/([0-9.]+)/([0-9.]+)").matcher(out);
        assertTrue(rtt.find(), out);
        return rtt.group(1) + "/" + rtt.group(2) + "/" + rtt.group(3);
    }

    /** One iperf3 TCP run from onprem to cloud; returns the receiver's Mbit/s. */
    double iperf(int seconds) throws Exception {
        return iperf(seconds, CLOUD_HOST);
    }

    /** One iperf3 TCP run from onprem to {@code host} (cloud's IPv4 or IPv6 address); the receiver's Mbit/s. */
    double iperf(int seconds, String host) throws Exception {
        Path serverLog = dir.resolve("iperf3-server-" + System.nanoTime() + ".log");
        Process server = spawn(serverLog, "ip", "netns", "exec", cloud, "iperf3", "-s", "-1", "--forceflush",
                "-B", host);
        waitFor(serverLog, "listening", Duration.ofSeconds(30), server);
        // the run, its connection set-up and the exchange of results at its end, with room for a loaded machine
        String out = sh(Duration.ofSeconds(seconds + 30L), "ip", "netns", "exec", onprem, "iperf3", "-c", host, "-t",
                Integer.toString(seconds), "-f", "m");
        Matcher m = Pattern.compile("([0-9.]+) Mbits/sec.*receiver").matcher(out);
        assertTrue(m.find(), out);
        server.waitFor(5, TimeUnit.SECONDS);
        return Double.parseDouble(m.group(1));
    }

    /** Starts tcpdump on gw-a's WAN link writing {@code pcap}; stop it with {@link #stopCapture}. */
    Process capture(Path pcap, int maxPackets) throws Exception {
        Path log = dir.resolve(pcap.getFileName() + ".log");
        Process tcpdump = spawn(log, "ip", "netns", "exec", gwA, "tcpdump", "-i", "wan", "-n", "-s", "0",
                "-U", "--immediate-mode", "-c", Integer.toString(maxPackets), "-w", pcap.toString());
        waitFor(log, "listening on", Duration.ofSeconds(30), tcpdump);
        return tcpdump;
    }

    static void stopCapture(Process tcpdump) throws Exception {
        Thread.sleep(300);
        tcpdump.destroy(); // SIGTERM: tcpdump writes out what it holds
        assertTrue(tcpdump.waitFor(10, TimeUnit.SECONDS), "tcpdump did not stop");
    }

    // --- tshark ---

    /** The tshark options that give it both SAs' keys. */
    List<String> tsharkKeys() {
        String family = ipv6Outer ? "IPv6" : "IPv4";
        return List.of("-o", "esp.enable_encryption_decode:TRUE", "-o", espSa(family, SPI_A_TO_B, keyAB),
                "-o", espSa(family, SPI_B_TO_A, keyBA));
    }

    /** One {@code uat:esp_sa} record for an AES-GCM-16 SA (tshark 4.0 syntax, 8 fields). */
    private static String espSa(String family, int spi, String keyHex) {
        return String.format("uat:esp_sa:\"" + family + "\",\"*\",\"*\",\"0x%08x\",\"AES-GCM with 16 octet ICV [RFC4106]\","
                + "\"0x%s\",\"NULL\",\"\"", spi, keyHex);
    }

    int tsharkCount(Path pcap, String filter) throws Exception {
        return tsharkCount(pcap, filter, List.of());
    }

    int tsharkCount(Path pcap, String filter, List<String> options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString()));
        cmd.addAll(options);
        cmd.addAll(List.of("-Y", filter, "-T", "fields", "-e", "frame.number"));
        // tshark's start alone (dissectors, decryption tables) is a second of CPU: 60 s, as for the other tshark runs
        String out = sh(Duration.ofSeconds(60), cmd.toArray(String[]::new));
        return (int) out.lines().filter(l -> l.matches("\\d+")).count();
    }

    // --- processes, all bounded in time and killed by PID ---

    Process spawn(Path log, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        synchronized (processes) {
            processes.add(p);
        }
        return p;
    }

    static void waitFor(Path log, String text, Duration timeout, Process p) throws Exception {
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

    String in(String ns, String... cmd) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        return sh(full.toArray(String[]::new));
    }

    static String sh(String... cmd) throws Exception {
        return sh(CMD_TIMEOUT, cmd);
    }

    /** Runs {@code cmd}, killed (by PID) after {@code timeout}; fails unless it exits 0; returns its output. */
    static String sh(Duration timeout, String... cmd) throws Exception {
        File out = File.createTempFile("edgegw-2site", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                fail(String.join(" ", cmd) + " still running after " + timeout);
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

    /** Stops every process (SIGTERM, then SIGKILL, by PID), prints the gateways' last lines, deletes all. */
    @Override
    public void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        List<Process> all;
        synchronized (processes) {
            all = new ArrayList<>(processes);
        }
        for (Process p : all) {
            p.destroy(); // SIGTERM to that PID: the gateways shut down cleanly and log their final status
        }
        for (Process p : all) {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
        for (Path log : gatewayLogs) {
            if (Files.exists(log)) {
                System.out.println("---- " + log.getFileName() + " (last lines)");
                List<String> lines = Files.readString(log).lines().toList();
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
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
