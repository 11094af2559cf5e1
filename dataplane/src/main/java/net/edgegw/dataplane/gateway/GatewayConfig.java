package net.edgegw.dataplane.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.edgegw.dataplane.sa.Direction;
import net.edgegw.dataplane.sa.Mode;
import net.edgegw.dataplane.sa.SaConfig;
import net.edgegw.dataplane.sa.Suite;
import net.edgegw.dataplane.spd.Action;
import net.edgegw.dataplane.spd.TrafficSelector;

/**
 * The gateway's start-up configuration with manually keyed SAs (like {@code ip xfrm state add}), read from a
 * line-oriented text file. One {@code key = value} per line, {@code #} starts a comment, {@code route},
 * {@code tun.address}, {@code sa} and {@code policy} may repeat:
 *
 * <pre>
 * tun.name        = edgegw0            # TUN interface (created; removed on exit)
 * tun.address     = 10.255.0.1/32      # repeatable; first IPv4 / IPv6 one is the source of ICMP errors
 * link.mtu        = 1500               # outer link MTU; TUN MTU = link.mtu - largest SA overhead
 * local           = 192.0.2.1          # outer address the UDP sockets bind to
 * port            = 4500               # NAT-T port (ESP in UDP, RFC 3948)
 * ike.port        = 500                # 0 = no IKE socket
 * workers         = 2                  # default: number of processors
 * mss.clamp       = true               # clamp TCP MSS on SYNs entering the tunnel
 * status.interval = 5                  # seconds between status lines, 0 = none
 * route           = 10.96.1.0/24       # remote cluster CIDR routed into the TUN; repeatable
 * sa     = out spi=0x1001 suite=aes128gcm16 enc=HEX [auth=HEX] src=192.0.2.1 dst=192.0.2.2 encap=4500:4500
 *          local=10.244.1.0/24 remote=10.96.1.0/24 [esn] [window=1024] [mode=tunnel|transport]
 * policy = a-to-b local=10.244.1.0/24 remote=10.96.1.0/24 action=protect sa=0x1001
 * </pre>
 *
 * {@code enc} is the cipher key followed by the salt for AEAD suites (RFC 4106 §8.1); {@code local}/{@code remote}
 * take comma-separated CIDRs (empty = any) from this gateway's point of view. An {@code sa} line is one line.
 * There is no {@code udp.sockets} key any more: each worker owns one NAT-T socket (SO_REUSEPORT, UDP GSO/GRO,
 * README "Batch I/O"), so a file that still sets it is refused with a line saying so rather than silently ignored.
 * Without {@code encap=} an ESP SA is raw ESP (IP protocol 50, sent and received on a raw socket bound to
 * {@code local}; needs CAP_NET_RAW), for peers not behind NAT.
 */
public record GatewayConfig(String tunName, List<String> tunAddresses, int linkMtu, InetAddress local, int port,
                            int ikePort, int workers, boolean mssClamp, int statusInterval,
                            List<String> routes, List<SaConfig> sas, List<PolicyLine> policies) {

    /** A policy line: a PROTECT policy names its outbound SA by SPI. */
    public record PolicyLine(String name, List<TrafficSelector> local, List<TrafficSelector> remote, Action action,
                             int saSpi) {}

    public static GatewayConfig read(Path file) throws IOException {
        return parse(Files.readAllLines(file));
    }

    /** Parses the lines; every problem is reported with its line number, all at once. */
    public static GatewayConfig parse(List<String> lines) {
        Map<String, String> single = new LinkedHashMap<>();
        List<String> tunAddresses = new ArrayList<>();
        List<String> routes = new ArrayList<>();
        List<SaConfig> sas = new ArrayList<>();
        List<PolicyLine> policies = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                problems.add("line " + (i + 1) + ": expected key = value");
                continue;
            }
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            try {
                switch (key) {
                    case "tun.address" -> tunAddresses.add(value);
                    case "route" -> routes.add(value);
                    case "sa" -> sas.add(sa(value));
                    case "policy" -> policies.add(policy(value));
                    case "tun.name", "link.mtu", "local", "port", "ike.port", "workers", "mss.clamp",
                         "status.interval" -> single.put(key, value);
                    case "udp.sockets" -> problems.add("line " + (i + 1) + ": 'udp.sockets' is no longer "
                            + "supported: each worker owns one NAT-T socket (set 'workers'); remove the line");
                    default -> problems.add("line " + (i + 1) + ": unknown key '" + key + "'");
                }
            } catch (RuntimeException e) {
                problems.add("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (!single.containsKey("local")) {
            problems.add("'local' (outer address) is required");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new GatewayConfig(single.getOrDefault("tun.name", "edgegw0"), List.copyOf(tunAddresses),
                Integer.parseInt(single.getOrDefault("link.mtu", "1500")), address(single.get("local")),
                Integer.parseInt(single.getOrDefault("port", "4500")),
                Integer.parseInt(single.getOrDefault("ike.port", "500")),
                Integer.parseInt(single.getOrDefault("workers",
                        Integer.toString(Runtime.getRuntime().availableProcessors()))),
                Boolean.parseBoolean(single.getOrDefault("mss.clamp", "true")),
                Integer.parseInt(single.getOrDefault("status.interval", "5")),
                List.copyOf(routes), List.copyOf(sas), List.copyOf(policies));
    }

    private static Map<String, String> fields(String value, int positional, List<String> first) {
        Map<String, String> m = new LinkedHashMap<>();
        String[] words = value.trim().split("\\s+");
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (i < positional) {
                first.add(w);
                continue;
            }
            int eq = w.indexOf('=');
            m.put(eq < 0 ? w : w.substring(0, eq), eq < 0 ? "" : w.substring(eq + 1));
        }
        return m;
    }

    static SaConfig sa(String value) {
        List<String> pos = new ArrayList<>();
        Map<String, String> f = fields(value, 1, pos);
        SaConfig.Builder b = SaConfig.builder();
        b.direction(switch (pos.get(0)) {
            case "in" -> Direction.INBOUND;
            case "out" -> Direction.OUTBOUND;
            default -> throw new IllegalArgumentException("sa: direction must be 'in' or 'out'");
        });
        b.spi((int) Long.decode(required(f, "spi")).longValue());
        b.suite(Suite.ofKeyword(required(f, "suite")));
        b.encKey(HexFormat.of().parseHex(required(f, "enc")));
        if (f.containsKey("auth")) {
            b.authKey(HexFormat.of().parseHex(f.get("auth")));
        }
        b.src(required(f, "src")).dst(required(f, "dst"));
        if (f.containsKey("encap")) {
            String[] ports = f.get("encap").split(":");
            b.udpEncap(Integer.parseInt(ports[0]), Integer.parseInt(ports[ports.length - 1]));
        }
        b.esn(f.containsKey("esn"));
        if (f.containsKey("window")) {
            b.replayWindow(Integer.parseInt(f.get("window")));
        }
        if (f.containsKey("mode")) {
            b.mode(Mode.valueOf(f.get("mode").toUpperCase()));
        }
        b.localTs(selectors(f.getOrDefault("local", "")));
        b.remoteTs(selectors(f.getOrDefault("remote", "")));
        return b.build();
    }

    static PolicyLine policy(String value) {
        List<String> pos = new ArrayList<>();
        Map<String, String> f = fields(value, 1, pos);
        Action action = Action.valueOf(f.getOrDefault("action", "protect").toUpperCase());
        int spi = f.containsKey("sa") ? (int) Long.decode(f.get("sa")).longValue() : 0;
        if (action == Action.PROTECT && spi == 0) {
            throw new IllegalArgumentException("policy " + pos.get(0) + ": action=protect needs sa=<outbound SPI>");
        }
        return new PolicyLine(pos.get(0), selectors(f.getOrDefault("local", "")),
                selectors(f.getOrDefault("remote", "")), action, spi);
    }

    private static List<TrafficSelector> selectors(String csv) {
        List<TrafficSelector> l = new ArrayList<>();
        for (String c : csv.split(",")) {
            if (!c.isBlank()) {
                l.add(TrafficSelector.cidr(c.trim()));
            }
        }
        return l;
    }

    private static String required(Map<String, String> f, String k) {
        String v = f.get(k);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("missing " + k + "=");
        }
        return v;
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByAddress(TrafficSelector.parseAddress(literal));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
