package net.edgegw.appliance.ike.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.edgegw.appliance.config.CertificateRef;
import net.edgegw.appliance.config.Pki;
import net.edgegw.appliance.interop.InteropScript;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Interop with strongSwan 5.9 (charon + kernel-libipsec) in network namespaces: onprem — gw-a (our gateway,
 * {@code Main ike}) — wan — gw-b (strongSwan) — cloud, run by {@code src/test/resources/interop/ike-strongswan.sh}
 * (topology drawn at its top; configs from the templates beside it). For each proposal, once with us initiating
 * and once with strongSwan initiating: the tunnel comes up, onprem pings cloud through it, strongSwan logs no
 * error, rekeys both ways and the delete work; the key material strongSwan logged must equal our derivation
 * ({@link StrongSwanKatTest#check}) and tshark must read the capture. And a killed charon must be found dead.
 */
@Tag("netns")
class StrongSwanInteropTest {
    static final String PSK = "interop-test-psk-0123456789abcdef"; // as in ike-strongswan.sh

    static Stream<Arguments> cases() {
        String[][] proposals = {
            {"aes128gcm16-prfsha256-x25519", "aes128gcm16"},
            {"aes256gcm16-prfsha384-ecp384", "aes256gcm16"},
            {"chacha20poly1305-prfsha256-x25519", "chacha20poly1305"},
            {"aes256-sha256-modp2048", "aes256-sha256"},
        };
        return Stream.of(proposals).flatMap(p -> Stream.of(Arguments.of("we", p[0], p[1]), Arguments.of("they", p[0], p[1])));
    }

    @ParameterizedTest(name = "{0} initiate {1} / {2}")
    @MethodSource("cases")
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void tunnelUpPingAndKeysAgree(String mode, String ike, String esp) throws Exception {
        Path out = run(mode, ike, esp);
        Map<String, String> v = StrongSwanKeyLog.vector(out.resolve("charon.log"), ike, PSK);
        StringBuilder sb = new StringBuilder();
        v.forEach((k, x) -> sb.append(k).append(" = ").append(x).append('\n'));
        Files.writeString(out.resolve("kat.txt"), sb.toString());
        StrongSwanKatTest.check(v);
        tsharkReadsTheFirstIkeSa(out.resolve("wan.pcap"), v, ike);
    }

    /** charon is killed after the tunnel is up: our liveness check (dpd = 2 s) retransmits, gives up, deletes. */
    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void deadPeerIsDetected() throws Exception {
        Path out = run("dead", "aes128gcm16-prfsha256-x25519", "aes128gcm16");
        String ours = Files.readString(out.resolve("gw-a.log"));
        assertTrue(ours.indexOf("giving up after 3 retransmissions") < ours.lastIndexOf("IKE SA deleted"), ours);
    }

    /**
     * RFC 7383 both ways: fragment sizes of 150 (ours) and 200 (strongSwan's) split IKE_AUTH and strongSwan's
     * CHILD SA rekey into SKF fragments; each side reassembles the other's, the tunnel carries pings.
     */
    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void ikeFragmentsBothWays() throws Exception {
        Path out = run("frag", "aes128gcm16-prfsha256-x25519", "aes128gcm16");
        String ours = Files.readString(out.resolve("gw-a.log"));
        assertTrue(ours.contains("sent as 3 fragments"), ours);
        StrongSwanKatTest.check(StrongSwanKeyLog.vector(out.resolve("charon.log"), "aes128gcm16-prfsha256-x25519", PSK));
    }

    /**
     * Certificate authentication both ways (RFC 7427 signatures, CERT + CERTREQ) with certificates from our built-in
     * CA ({@link Pki}): strongSwan loads them from its swanctl x509/private/x509ca folders, we from PEM files. The
     * tunnel comes up, carries pings, survives the rekeys of the mode and is deleted; strongSwan logs no error.
     */
    @ParameterizedTest(name = "{0} initiate, {1} certificates")
    @CsvSource({"we, ECDSA_P256", "they, ECDSA_P256", "we, RSA_2048", "they, RSA_2048"})
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void certificateAuthentication(String mode, Pki.KeyType keyType) throws Exception {
        String ike = "aes128gcm16-prfsha256-x25519";
        Path out = Path.of("target/interop", mode + "-cert-" + keyType).toAbsolutePath();
        Path certs = writeCertificates(out.resolve("certs"), keyType);
        run(mode, ike, "aes128gcm16", out, Map.of("AUTH", "cert", "CERT_DIR", certs.toString()));
        String charon = Files.readString(out.resolve("charon.log"));
        String ours = Files.readString(out.resolve("gw-a.log"));
        String alg = keyType == Pki.KeyType.RSA_2048 ? "RSA" : "EC";
        assertTrue(ours.contains("peer gw-b.example.test authenticated with " + alg + " certificate CN=gw-b"), ours);
        assertTrue(ours.contains("(DIGITAL_SIGNATURE)"), "RFC 7427 method 14:\n" + ours);
        assertTrue(charon.matches("(?s).*authentication of 'gw-a.example.test' with \\S+ successful.*"), charon);
        assertTrue(charon.contains("using trusted ca certificate \"CN=EdgeGW Interop CA\""), charon);
        tsharkReadsTheFirstIkeSa(out.resolve("wan.pcap"), StrongSwanKeyLog.vector(out.resolve("charon.log"), ike, PSK),
                ike);
    }

    /**
     * gw-a behind a NAT (a namespace with nftables masquerade onto other ports): NAT detection moves IKE to 4500,
     * ESP goes UDP-encapsulated, pings pass, and our NAT-keepalives (0xFF) reach gw-b from the NAT's port.
     */
    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void natBetweenThePeersForcesUdpEncapsulation() throws Exception {
        Path out = run("nat", "aes128gcm16-prfsha256-x25519", "aes128gcm16");
        String ours = Files.readString(out.resolve("gw-a.log"));
        assertTrue(ours.contains("NAT detected (us"), ours);
        // what gw-b saw: IKE and ESP from 192.0.2.1 (the NAT), from a masqueraded port, to 4500
        String wire = tshark(out.resolve("wan.pcap"), List.of(), "ip.src == 192.0.2.1 && udp.dstport == 4500",
                "udp.srcport", "udp.length", "esp.spi");
        long keepalives = wire.lines().filter(l -> l.split("\\|", -1)[1].equals("9")).count();
        long esp = wire.lines().filter(l -> !l.split("\\|", -1)[2].isEmpty()).count();
        assertTrue(keepalives >= 1, "NAT-keepalives (UDP length 9) from the NAT:\n" + wire);
        assertTrue(esp >= 3, "UDP-encapsulated ESP (pings):\n" + wire);
        assertTrue(wire.lines().allMatch(l -> {
            int port = Integer.parseInt(l.split("\\|", -1)[0]);
            return port >= 20000 && port <= 29999;
        }), "every packet from the NAT's masquerade range:\n" + wire);
    }

    /**
     * A 10 s iperf3 TCP run through the tunnel while strongSwan rekeys the CHILD SA and the IKE SA and our timers
     * rekey both (child every 4 s, IKE after 5 s): the run completes with data, strongSwan logs no error.
     */
    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void rekeysFromBothSidesDuringIperf3() throws Exception {
        Path out = run("iperf", "aes128gcm16-prfsha256-x25519", "aes128gcm16");
        String text = Files.readString(out.resolve("run.log"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("IPERF_BYTES (\\d+)").matcher(text);
        assertTrue(m.find(), text);
        assertTrue(Long.parseLong(m.group(1)) > 1_000_000, "iperf3 carried data through the rekeys: " + m.group(1));
        String ours = Files.readString(out.resolve("gw-a.log"));
        assertTrue(ours.split("IKE SA rekeyed", -1).length - 1 >= 2, ours);
    }

    /** ca.pem, gw-a.pem/.key and gw-b.pem/.key from a fresh built-in CA; each certificate names its gateway's FQDN. */
    static Path writeCertificates(Path dir, Pki.KeyType keyType) throws Exception {
        Files.createDirectories(dir);
        Clock now = Clock.systemUTC();
        CertificateRef ca = Pki.createCa("ca", "EdgeGW Interop CA", Duration.ofDays(1), now).value();
        Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
        for (String gw : new String[] {"gw-a", "gw-b"}) {
            CertificateRef c = Pki.issue(ca, gw, gw, List.of(gw + ".example.test"), Duration.ofDays(1), now, keyType)
                    .value();
            Files.writeString(dir.resolve(gw + ".pem"), c.certificatePem());
            Files.writeString(dir.resolve(gw + ".key"), c.privateKeyPem().reveal());
        }
        return dir;
    }

    static Path run(String mode, String ike, String esp) throws Exception {
        return run(mode, ike, esp, Path.of("target/interop", mode + "-" + ike).toAbsolutePath(), Map.of());
    }

    /** Runs the script; fails with its output and our gateway's log unless it passed. */
    static Path run(String mode, String ike, String esp, Path out, Map<String, String> env) throws Exception {
        Files.createDirectories(out);
        Path log = out.resolve("run.log");
        ProcessBuilder pb = InteropScript.builder("ike-strongswan.sh", "egike-", mode, ike, esp, out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroy(); // SIGTERM: the script's trap kills what it started (by PID) and deletes the namespaces
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        String text = Files.readString(log);
        assertEquals(0, p.exitValue(), "ike-strongswan.sh " + mode + " " + ike + " failed:\n" + text
                + "\n--- our gateway ---\n" + readOrEmpty(out.resolve("gw-a.log")));
        assertTrue(text.contains("PASS " + mode), text);
        return out;
    }

    /**
     * A third implementation on what went over the WAN: tshark finds no malformed IKE message and, with the
     * first IKE SA's keys (from strongSwan's log), decrypts both IKE_AUTH messages down to their AUTH payload.
     * tshark 4.0 has no ChaCha20-Poly1305 for IKE: that suite is checked for well-formedness only.
     */
    static void tsharkReadsTheFirstIkeSa(Path pcap, Map<String, String> v, String ike) throws Exception {
        String enc = ike.startsWith("aes128gcm16") ? "AES-GCM-128 with 16 octet ICV [RFC5282]"
                : ike.startsWith("aes256gcm16") ? "AES-GCM-256 with 16 octet ICV [RFC5282]"
                : ike.startsWith("aes256-") ? "AES-CBC-256 [RFC3602]" : null;
        String integ = ike.startsWith("aes256-sha256") ? "HMAC_SHA2_256_128 [RFC4868]" : "NONE [RFC4306]";
        java.util.List<String> options = new java.util.ArrayList<>();
        if (enc != null) {
            // UAT record: hex buffers unquoted, algorithm names quoted
            options.addAll(java.util.List.of("-o", String.format("uat:ikev2_decryption_table:%s,%s,%s,%s,\"%s\",%s,%s,\"%s\"",
                    v.get("spii"), v.get("spir"), v.get("sk_ei"), v.get("sk_er"), enc, v.getOrDefault("sk_ai", ""),
                    v.getOrDefault("sk_ar", ""), integ)));
        }
        String fields = tshark(pcap, options, "isakmp", "isakmp.ispi", "isakmp.exchangetype", "isakmp.auth.method",
                "_ws.malformed");
        String[] rows = fields.split("\n");
        assertTrue(rows.length >= 4, "IKE messages on the wire:\n" + fields);
        int authsDecrypted = 0;
        for (String r : rows) {
            String[] f = r.split("\\|", -1);
            assertTrue(f.length < 4 || f[3].isEmpty(), "tshark: malformed IKE message: " + r);
            if (f[0].equals(v.get("spii")) && f[1].equals("35") && !f[2].isEmpty()) {
                authsDecrypted++;
            }
        }
        if (enc != null) {
            assertEquals(2, authsDecrypted, "IKE_AUTH request and response decrypted by tshark:\n" + fields);
        }
    }

    /** tshark's fields ({@code |}-separated, one line per packet) of the packets {@code filter} selects. */
    static String tshark(Path pcap, List<String> options, String filter, String... fields) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("tshark", "-n", "-r", pcap.toString()));
        cmd.addAll(options);
        cmd.addAll(List.of("-Y", filter, "-T", "fields", "-E", "separator=|"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        Path err = Files.createTempFile("tshark", ".err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + Files.readString(err));
        Files.delete(err);
        return out.strip();
    }

    private static String readOrEmpty(Path p) throws java.io.IOException {
        return Files.exists(p) ? Files.readString(p) : "";
    }
}
