package net.edgegw.appliance.lifecycle;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.edgegw.appliance.ike.sa.IkeConfig;
import net.edgegw.appliance.ike.sa.Proposals;
import net.edgegw.dataplane.gateway.GatewayConfig;
import net.edgegw.dataplane.spd.TrafficSelector;

/**
 * The configuration of {@code Main ike <file>}: one IKEv2 peer with PSK and one CHILD SA, and the data plane
 * around it. A thin stand-in until the configuration store exists. One {@code key = value} per line, {@code #}
 * starts a comment:
 *
 * <pre>
 * name          = gw-a                      # connection name (logs)
 * local         = 192.0.2.1                 # our outer address: IKE on 500 and 4500, ESP in UDP on 4500
 * remote        = 192.0.2.2                 # the peer
 * local.id      = gw-a.example.test         # IP literal, user@fqdn, fqdn, or @#hex (key ID)
 * remote.id     = gw-b.example.test
 * psk           = a-long-shared-secret      # or psk.hex = 0011...
 * ike.proposals = aes128gcm16-prfsha256-x25519          # strongSwan keywords, comma-separated
 * esp.proposals = aes128gcm16                           # add -x25519 etc. for PFS on CREATE_CHILD_SA
 * local.ts      = 10.244.1.0/24             # comma-separated CIDRs: our side
 * remote.ts     = 10.96.1.0/24              # the peer's side; routed into the TUN device
 * start         = initiate                  # initiate | wait
 * tun.name      = edgegw0
 * tun.address   = 10.255.0.1/32
 * workers       = 1
 * dpd           = 30                        # seconds of silence before a liveness check, 0 = off
 * ike.rekey     = 14400                     # seconds until we rekey the IKE SA, 0 = never
 * child.rekey   = 3600                      # seconds until we rekey a CHILD SA, 0 = never
 * ike.fragment.size = 1228                 # IKE fragmentation (RFC 7383): largest unfragmented message, 0 = off
 * retransmit.timeout = 1.0                  # seconds; then x retransmit.base each try
 * retransmit.base    = 1.8
 * retransmit.tries   = 5
 * status.interval    = 5
 * </pre>
 * ESP always goes in UDP on 4500 (we announce a NAT, as strongSwan's {@code encap = yes}): the gateway's data
 * plane receives ESP on the NAT-T socket.
 */
public record IkeGatewayConfig(IkeConfig ike, GatewayConfig dataplane, boolean initiate, int statusInterval) {

    public static IkeGatewayConfig read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    public static IkeGatewayConfig parse(List<String> lines) {
        Map<String, String> kv = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            int hash = l.indexOf('#');
            l = (hash >= 0 ? l.substring(0, hash) : l).trim();
            if (l.isEmpty()) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq <= 0) {
                problems.add("line " + (i + 1) + ": expected key = value");
                continue;
            }
            kv.put(l.substring(0, eq).trim(), l.substring(eq + 1).trim());
        }
        for (String k : kv.keySet()) {
            if (!List.of("name", "local", "remote", "local.id", "remote.id", "psk", "psk.hex", "ike.proposals",
                    "esp.proposals", "local.ts", "remote.ts", "start", "tun.name", "tun.address", "workers", "dpd",
                    "retransmit.timeout", "retransmit.base", "retransmit.tries", "status.interval", "ike.rekey",
                    "child.rekey", "ike.fragment.size").contains(k)) {
                problems.add("unknown key '" + k + "'");
            }
        }
        for (String k : List.of("local", "remote", "local.id", "remote.id", "local.ts", "remote.ts")) {
            if (!kv.containsKey(k)) {
                problems.add("'" + k + "' is required");
            }
        }
        if (!kv.containsKey("psk") && !kv.containsKey("psk.hex")) {
            problems.add("'psk' or 'psk.hex' is required");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        try {
            InetAddress local = literal(kv.get("local"));
            InetAddress remote = literal(kv.get("remote"));
            byte[] psk = kv.containsKey("psk.hex") ? HexFormat.of().parseHex(kv.get("psk.hex"))
                    : kv.get("psk").getBytes(StandardCharsets.UTF_8);
            List<TrafficSelector> localTs = selectors(kv.get("local.ts"));
            List<TrafficSelector> remoteTs = selectors(kv.get("remote.ts"));
            IkeConfig ike = new IkeConfig(kv.getOrDefault("name", "peer"),
                    new InetSocketAddress(local, IkeConfig.IKE_PORT), new InetSocketAddress(remote, IkeConfig.IKE_PORT),
                    kv.get("local.id"), kv.get("remote.id"), psk,
                    Proposals.parseIke(kv.getOrDefault("ike.proposals", "aes128gcm16-prfsha256-x25519")),
                    Proposals.parseEsp(kv.getOrDefault("esp.proposals", "aes128gcm16")), localTs, remoteTs, true,
                    (long) (Double.parseDouble(kv.getOrDefault("retransmit.timeout", "4.0")) * 1000),
                    Double.parseDouble(kv.getOrDefault("retransmit.base", "1.8")),
                    Integer.parseInt(kv.getOrDefault("retransmit.tries", "5")),
                    Integer.parseInt(kv.getOrDefault("dpd", "30")),
                    Integer.parseInt(kv.getOrDefault("ike.rekey", "14400")),
                    Integer.parseInt(kv.getOrDefault("child.rekey", "3600")),
                    Integer.parseInt(kv.getOrDefault("ike.fragment.size", Integer.toString(IkeConfig.DEFAULT_FRAGMENT_SIZE))));
            List<String> dp = new ArrayList<>();
            dp.add("tun.name = " + kv.getOrDefault("tun.name", "edgegw0"));
            if (kv.containsKey("tun.address")) {
                dp.add("tun.address = " + kv.get("tun.address"));
            }
            dp.add("local = " + kv.get("local"));
            dp.add("port = " + IkeConfig.NAT_T_PORT);
            dp.add("ike.port = " + IkeConfig.IKE_PORT);
            dp.add("status.interval = 0"); // the IKE gateway logs its own status line
            if (kv.containsKey("workers")) {
                dp.add("workers = " + kv.get("workers"));
            }
            for (String cidr : kv.get("remote.ts").split(",")) {
                dp.add("route = " + cidr.trim());
            }
            String start = kv.getOrDefault("start", "initiate");
            if (!start.equals("initiate") && !start.equals("wait")) {
                throw new IllegalArgumentException("start must be initiate or wait");
            }
            return new IkeGatewayConfig(ike, GatewayConfig.parse(dp), start.equals("initiate"),
                    Integer.parseInt(kv.getOrDefault("status.interval", "5")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + e.getMessage(), e);
        }
    }

    private static List<TrafficSelector> selectors(String csv) {
        List<TrafficSelector> l = new ArrayList<>();
        for (String c : csv.split(",")) {
            l.add(TrafficSelector.cidr(c.trim()));
        }
        return l;
    }

    private static InetAddress literal(String s) {
        try {
            return InetAddress.getByAddress(TrafficSelector.parseAddress(s)); // never a name lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
