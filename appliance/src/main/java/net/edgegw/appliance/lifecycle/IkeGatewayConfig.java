package net.edgegw.appliance.lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.edgegw.appliance.config.Pki;
import net.edgegw.appliance.config.Secret;
import net.edgegw.appliance.ike.message.IdPayload;
import net.edgegw.appliance.ike.sa.CertCredentials;
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
 * local.id      = gw-a.example.test         # IP literal, user@fqdn, fqdn, @#hex (key ID), C=..,CN=.. (DN),
 *                                           #   or typed: ipv4: ipv6: fqdn: email: asn1dn: keyid:
 * remote.id     = gw-b.example.test
 * psk           = a-long-shared-secret      # or psk.hex = 0011...
 * local.cert    = /etc/edgegw/gw-a.pem      # certificates instead of psk: our certificate (PEM; more PEM
 *                                           #   certificates after the first are sent as intermediates),
 * local.key     = /etc/edgegw/gw-a.key      # its private key (PEM, PKCS#8 or OpenSSL; ECDSA, RSA or Ed25519)
 * ca.cert       = /etc/edgegw/ca.pem        # comma-separated CA files the peer's chain must end at (PKIX)
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
 * nat.keepalive = 20                        # seconds between NAT-keepalives when we are behind a NAT, 0 = off
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
                    "child.rekey", "ike.fragment.size", "local.cert", "local.key", "ca.cert", "nat.keepalive").contains(k)) {
                problems.add("unknown key '" + k + "'");
            }
        }
        for (String k : List.of("local", "remote", "local.id", "remote.id", "local.ts", "remote.ts")) {
            if (!kv.containsKey(k)) {
                problems.add("'" + k + "' is required");
            }
        }
        boolean certAuth = kv.containsKey("local.cert");
        if (!certAuth && !kv.containsKey("psk") && !kv.containsKey("psk.hex")) {
            problems.add("'psk', 'psk.hex' or 'local.cert' is required");
        }
        if (certAuth && (!kv.containsKey("local.key") || !kv.containsKey("ca.cert"))) {
            problems.add("'local.cert' needs 'local.key' and 'ca.cert'");
        }
        for (String k : List.of("local.id", "remote.id")) {
            try {
                if (kv.containsKey(k)) {
                    IdPayload.parse(true, kv.get(k));
                }
            } catch (IllegalArgumentException e) {
                problems.add("'" + k + "': " + e.getMessage());
            }
        }
        CertCredentials certs = null;
        if (certAuth && problems.isEmpty()) {
            certs = certificates(kv.get("local.cert"), kv.get("local.key"), kv.get("ca.cert"), problems);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        try {
            InetAddress local = literal(kv.get("local"));
            InetAddress remote = literal(kv.get("remote"));
            byte[] psk = kv.containsKey("psk.hex") ? HexFormat.of().parseHex(kv.get("psk.hex"))
                    : kv.containsKey("psk") ? kv.get("psk").getBytes(StandardCharsets.UTF_8) : null;
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
                    Integer.parseInt(kv.getOrDefault("ike.fragment.size", Integer.toString(IkeConfig.DEFAULT_FRAGMENT_SIZE))),
                    certs, Integer.parseInt(kv.getOrDefault("nat.keepalive",
                            Integer.toString(IkeConfig.DEFAULT_NAT_KEEPALIVE_SECONDS))));
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

    /** Our certificate (+ intermediates), key and CAs from PEM files; every problem goes to {@code problems}. */
    private static CertCredentials certificates(String certFile, String keyFile, String caFiles, List<String> problems) {
        List<X509Certificate> mine = pemCertificates(certFile, "local.cert", problems);
        PrivateKey key = null;
        try {
            key = Pki.parsePrivateKey(Secret.of(Files.readString(Path.of(keyFile), StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            problems.add("'local.key': cannot read " + keyFile + ": " + e.getMessage());
            return null;
        }
        if (key == null) {
            problems.add("'local.key': " + keyFile + " holds no PEM private key");
        }
        List<X509Certificate> cas = new ArrayList<>();
        for (String f : caFiles.split(",")) {
            cas.addAll(pemCertificates(f.trim(), "ca.cert", problems));
        }
        if (mine.isEmpty() || key == null || cas.isEmpty()) {
            return null;
        }
        if (!Pki.keyMatches(mine.get(0), key)) {
            problems.add("'local.key' does not belong to the certificate in " + certFile);
            return null;
        }
        return new CertCredentials(mine.get(0), key, mine.subList(1, mine.size()), cas, Clock.systemUTC());
    }

    private static List<X509Certificate> pemCertificates(String file, String key, List<String> problems) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            List<X509Certificate> out = new ArrayList<>();
            for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                problems.add("'" + key + "': no certificate in " + file);
            }
            return out;
        } catch (IOException | GeneralSecurityException e) {
            problems.add("'" + key + "': cannot read " + file + ": " + e.getMessage());
            return List.of();
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
