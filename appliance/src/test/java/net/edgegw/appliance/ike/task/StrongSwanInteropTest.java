package net.edgegw.appliance.ike.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
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

    /** Runs the script; fails with its output and our gateway's log unless it passed. */
    static Path run(String mode, String ike, String esp) throws Exception {
        Path script = Path.of("src/test/resources/interop/ike-strongswan.sh").toAbsolutePath();
        Path out = Path.of("target/interop", mode + "-" + ike).toAbsolutePath();
        Files.createDirectories(out);
        Path log = out.resolve("run.log");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), mode, ike, esp, out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("EDGEGW_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().put("EDGEGW_CLASSPATH", System.getProperty("java.class.path"));
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
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("tshark", "-n", "-r", pcap.toString()));
        if (enc != null) {
            // UAT record: hex buffers unquoted, algorithm names quoted
            cmd.addAll(java.util.List.of("-o", String.format("uat:ikev2_decryption_table:%s,%s,%s,%s,\"%s\",%s,%s,\"%s\"",
                    v.get("spii"), v.get("spir"), v.get("sk_ei"), v.get("sk_er"), enc, v.getOrDefault("sk_ai", ""),
                    v.getOrDefault("sk_ar", ""), integ)));
        }
        cmd.addAll(java.util.List.of("-Y", "isakmp", "-T", "fields", "-E", "separator=|", "-e", "isakmp.ispi",
                "-e", "isakmp.exchangetype", "-e", "isakmp.auth.method", "-e", "_ws.malformed"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String fields = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + err);
        String[] rows = fields.strip().split("\n");
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
            assertEquals(2, authsDecrypted, "IKE_AUTH request and response decrypted by tshark:\n" + fields + err);
        }
    }

    private static String readOrEmpty(Path p) throws java.io.IOException {
        return Files.exists(p) ? Files.readString(p) : "";
    }
}
