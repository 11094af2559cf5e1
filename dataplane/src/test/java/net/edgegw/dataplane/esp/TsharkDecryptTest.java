package net.edgegw.dataplane.esp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.edgegw.dataplane.ah.Ah;
import net.edgegw.dataplane.packet.Packet;
import net.edgegw.dataplane.packet.PcapFile;
import net.edgegw.dataplane.packet.TestPackets;
import net.edgegw.dataplane.sa.Direction;
import net.edgegw.dataplane.sa.Mode;
import net.edgegw.dataplane.sa.SaConfig;
import net.edgegw.dataplane.sa.Sad;
import net.edgegw.dataplane.sa.SecurityAssociation;
import net.edgegw.dataplane.sa.Suite;
import net.edgegw.dataplane.stats.Drop;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The external-decoder proof: packets protected by our ESP/AH data plane are written to a pcap and decoded by
 * tools that share no code with us. tshark 4.0 decrypts and verifies AES-GCM and AES-CBC + HMAC-SHA-2 ESP and
 * dissects AH; a small python3-cryptography decoder ({@code decoders/ipsec_decode.py}) verifies every packet,
 * including what tshark 4.0 cannot do: ChaCha20-Poly1305, AES-GMAC, extended sequence numbers and the AH ICV.
 * Both tools must be installed (CI installs the Debian packages tshark and python3-cryptography): a missing tool
 * fails the test, it never skips it.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4303">RFC 4303</a>, <a href="https://www.rfc-editor.org/rfc/rfc4302">RFC 4302</a>
 */
@Tag("tshark")
class TsharkDecryptTest {
    static final long TOOL_TIMEOUT_SECONDS = 60;
    static final String PYTHON = "/usr/bin/python3"; // Debian's, where python3-cryptography is installed
    static final int NAT_T_PORT = 4500; // RFC 3948 §2
    static final long ESN_START = 0xFFFF_FFF0L; // last sequence number used before the first ESN packet
    static final int ESN_PACKETS = 18; // 0xFFFFFFF1 .. 0x1_00000002: crosses 2^32

    // Outer (SA) and inner addresses, all from documentation ranges.
    static final String OUT4_SRC = "192.0.2.1";
    static final String OUT4_DST = "192.0.2.2";
    static final String OUT6_SRC = "2001:db8:ffff::1";
    static final String OUT6_DST = "2001:db8:ffff::2";
    static final String IN4_SRC = "198.51.100.10";
    static final String IN4_DST = "203.0.113.20";
    static final String IN6_SRC = "2001:db8:1::10";
    static final String IN6_DST = "2001:db8:2::20";

    /** What a flow carries inside. */
    enum Inner {
        ICMP4(4), UDP4(4), ICMP6(6), UDP6(6);

        final int family;

        Inner(int family) {
            this.family = family;
        }

        boolean icmp() {
            return this == ICMP4 || this == ICMP6;
        }
    }

    /** One outbound SA of the capture and the packets sent through it. */
    static final class Flow {
        final String name;
        final SaConfig config;
        final SecurityAssociation sa;
        final Inner inner;
        final int count;

        Flow(String name, SaConfig config, SecurityAssociation sa, Inner inner, int count) {
            this.name = name;
            this.config = config;
            this.sa = sa;
            this.inner = inner;
            this.count = count;
        }

        boolean tunnel() {
            return config.mode() == Mode.TUNNEL;
        }

        boolean ah() {
            return config.suite().isAh();
        }

        boolean outer6() {
            return config.ipv6Outer();
        }
    }

    /** One packet: the inner packet we built, its ESP/AH payload, the sequence number it went out with. */
    record Sent(int frame, Flow flow, byte[] inner, byte[] payload, byte[] data, long seq, byte[] wire) {}

    @TempDir
    static Path dir;

    static final List<Flow> flows = new ArrayList<>();
    static final List<Sent> frames = new ArrayList<>();
    static Path pcap;
    static Map<Integer, Map<String, String>> tshark;
    static Map<Integer, String[]> python;

    @BeforeAll
    static void captureAndDecode() throws Exception {
        Sad sad = new Sad();
        int spi = 0x0000_1100;
        // ESP suites tshark 4.0 decrypts and verifies: AES-GCM-16 and AES-CBC + HMAC-SHA-256/384/512.
        add(sad, "aes128gcm16 tunnel 4in4 udp4500", ++spi, Suite.AES_GCM_16_128, Mode.TUNNEL, 4, true, Inner.ICMP4, false);
        add(sad, "aes256gcm16 tunnel 6in4", ++spi, Suite.AES_GCM_16_256, Mode.TUNNEL, 4, false, Inner.UDP6, false);
        add(sad, "aes128gcm16 tunnel 4in6 udp4500", ++spi, Suite.AES_GCM_16_128, Mode.TUNNEL, 6, true, Inner.UDP4, false);
        add(sad, "aes256gcm16 tunnel 6in6", ++spi, Suite.AES_GCM_16_256, Mode.TUNNEL, 6, false, Inner.ICMP6, false);
        add(sad, "aes128gcm16 transport v6 udp4500", ++spi, Suite.AES_GCM_16_128, Mode.TRANSPORT, 6, true, Inner.ICMP6, false);
        add(sad, "aes256gcm16 transport v4", ++spi, Suite.AES_GCM_16_256, Mode.TRANSPORT, 4, false, Inner.UDP4, false);
        add(sad, "aes128-sha256 tunnel 4in6", ++spi, Suite.AES_CBC_128_HMAC_SHA256, Mode.TUNNEL, 6, false, Inner.UDP4, false);
        add(sad, "aes256-sha256 tunnel 6in6 udp4500", ++spi, Suite.AES_CBC_256_HMAC_SHA256, Mode.TUNNEL, 6, true, Inner.ICMP6, false);
        add(sad, "aes128-sha384 transport v4 udp4500", ++spi, Suite.AES_CBC_128_HMAC_SHA384, Mode.TRANSPORT, 4, true, Inner.ICMP4, false);
        add(sad, "aes256-sha384 tunnel 4in4", ++spi, Suite.AES_CBC_256_HMAC_SHA384, Mode.TUNNEL, 4, false, Inner.UDP4, false);
        add(sad, "aes128-sha512 transport v6", ++spi, Suite.AES_CBC_128_HMAC_SHA512, Mode.TRANSPORT, 6, false, Inner.UDP6, false);
        add(sad, "aes256-sha512 tunnel 6in4 udp4500", ++spi, Suite.AES_CBC_256_HMAC_SHA512, Mode.TUNNEL, 4, true, Inner.ICMP6, false);
        // tshark 4.0 has no ChaCha20-Poly1305, no ENCR_NULL_AUTH_AES_GMAC and no ESN: the python decoder's.
        add(sad, "chacha20poly1305 tunnel 4in4 udp4500", ++spi, Suite.CHACHA20_POLY1305, Mode.TUNNEL, 4, true, Inner.UDP4, false);
        add(sad, "chacha20poly1305 transport v6", ++spi, Suite.CHACHA20_POLY1305, Mode.TRANSPORT, 6, false, Inner.ICMP6, false);
        add(sad, "aes128gmac tunnel 6in6", ++spi, Suite.AES_GMAC_128, Mode.TUNNEL, 6, false, Inner.UDP6, false);
        add(sad, "aes256gmac transport v4 udp4500", ++spi, Suite.AES_GMAC_256, Mode.TRANSPORT, 4, true, Inner.ICMP4, false);
        add(sad, "aes128gcm16 esn tunnel 4in4 udp4500", ++spi, Suite.AES_GCM_16_128, Mode.TUNNEL, 4, true, Inner.ICMP4, true);
        add(sad, "aes256gcm16 esn transport v6", ++spi, Suite.AES_GCM_16_256, Mode.TRANSPORT, 6, false, Inner.UDP6, true);
        add(sad, "aes256-sha512 esn tunnel 6in4 udp4500", ++spi, Suite.AES_CBC_256_HMAC_SHA512, Mode.TUNNEL, 4, true, Inner.ICMP6, true);
        add(sad, "chacha20poly1305 esn tunnel 4in6", ++spi, Suite.CHACHA20_POLY1305, Mode.TUNNEL, 6, false, Inner.UDP4, true);
        add(sad, "aes128gmac esn transport v4", ++spi, Suite.AES_GMAC_128, Mode.TRANSPORT, 4, false, Inner.UDP4, true);
        // AH: tshark dissects it (it has no AH key table), the python decoder verifies the ICV.
        add(sad, "ah-sha256 tunnel 4in4", ++spi, Suite.AH_HMAC_SHA256_128, Mode.TUNNEL, 4, false, Inner.ICMP4, false);
        add(sad, "ah-sha384 transport v6", ++spi, Suite.AH_HMAC_SHA384_192, Mode.TRANSPORT, 6, false, Inner.UDP6, false);
        add(sad, "ah-sha512 tunnel 6in6", ++spi, Suite.AH_HMAC_SHA512_256, Mode.TUNNEL, 6, false, Inner.ICMP6, false);
        add(sad, "ah-sha256 transport v4", ++spi, Suite.AH_HMAC_SHA256_128, Mode.TRANSPORT, 4, false, Inner.UDP4, false);
        add(sad, "ah-sha384 esn tunnel 6in4", ++spi, Suite.AH_HMAC_SHA384_192, Mode.TUNNEL, 4, false, Inner.ICMP6, true);

        for (Flow f : flows) {
            for (int i = 1; i <= f.count; i++) {
                frames.add(protect(f, i, frames.size() + 1));
            }
        }
        pcap = dir.resolve("edgegw-esp.pcap");
        PcapFile.write(pcap, frames.stream().map(Sent::wire).toList());
        tshark = runTshark();
        python = runPython();
    }

    private static void add(Sad sad, String name, int spi, Suite suite, Mode mode, int outerFamily, boolean udp,
                            Inner inner, boolean esn) {
        Random r = new Random(spi);
        byte[] enc = new byte[suite.encKeyLen()];
        byte[] auth = new byte[suite.authKeyLen];
        r.nextBytes(enc);
        r.nextBytes(auth);
        SaConfig.Builder b = SaConfig.builder().spi(spi).direction(Direction.OUTBOUND).mode(mode).suite(suite)
                .encKey(enc).authKey(auth.length == 0 ? null : auth)
                .src(outerFamily == 6 ? OUT6_SRC : OUT4_SRC).dst(outerFamily == 6 ? OUT6_DST : OUT4_DST)
                .esn(esn).initialSeq(esn ? ESN_START : 0);
        if (udp) {
            b.udpEncap(NAT_T_PORT, NAT_T_PORT);
        }
        SaConfig c = b.build();
        flows.add(new Flow(name, c, sad.install(c), inner, esn ? ESN_PACKETS : 3));
    }

    /** Builds packet {@code i} of flow {@code f} and runs it through the data plane. */
    private static Sent protect(Flow f, int i, int frame) {
        int flowNo = flows.indexOf(f);
        // Lengths vary by flow and packet so the padding length varies; every third packet is a large one.
        int n = i % 3 == 0 ? 1100 + flowNo : 11 + 7 * i + flowNo;
        byte[] data = new byte[n];
        byte[] tag = String.format("edgegw flow %02d packet %02d %s | ", flowNo, i, f.name).getBytes(StandardCharsets.US_ASCII);
        for (int k = 0; k < n; k++) {
            data[k] = tag[k % tag.length];
        }
        boolean transport = f.config.mode() == Mode.TRANSPORT;
        boolean v6 = f.inner.family == 6;
        String src = transport ? (v6 ? OUT6_SRC : OUT4_SRC) : (v6 ? IN6_SRC : IN4_SRC);
        String dst = transport ? (v6 ? OUT6_DST : OUT4_DST) : (v6 ? IN6_DST : IN4_DST);
        byte[] inner = f.inner.icmp()
                ? TestPackets.echoRequest(src, dst, 0x4700 + flowNo, i, data)
                : TestPackets.udp(src, dst, 40000 + flowNo, 5000 + i, data);
        int ihl = v6 ? 40 : 20;
        byte[] payload = transport ? Arrays.copyOfRange(inner, ihl, inner.length) : inner;

        Packet p = Packet.forMtu(1500);
        p.set(inner, 0, inner.length, Packet.DEFAULT_HEADROOM);
        Drop d = f.ah() ? Ah.encapsulate(f.sa, p) : Esp.encapsulate(f.sa, p);
        assertNull(d, f.name + " packet " + i + " dropped");
        return new Sent(frame, f, inner, payload, data, f.sa.seq(), p.toArray());
    }

    // ---------------------------------------------------------------- tshark

    static final String[] FIELDS = {
        "frame.number", "frame.protocols",
        "esp.spi", "esp.sequence", "esp.icv_good", "esp.icv_bad", "esp.decrypted_data", "esp.pad_len", "esp.protocol",
        "ah.spi", "ah.sequence", "ah.next_header", "ah.length", "ah.icv",
        "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "ip.checksum.status",
        "udp.srcport", "udp.dstport", "udp.payload", "udp.checksum.status",
        "icmp.checksum.status", "icmpv6.checksum.status", "icmp.ident", "icmp.seq",
        "icmpv6.echo.identifier", "icmpv6.echo.sequence_number", "data.data",
    };

    /** tshark's name for a suite's cipher and integrity algorithm in the esp_sa table, or null if it has none. */
    static String[] tsharkAlgorithms(Suite s) {
        return switch (s) {
            case AES_GCM_16_128, AES_GCM_16_256 -> new String[] {"AES-GCM with 16 octet ICV [RFC4106]", "NULL"};
            case AES_CBC_128_HMAC_SHA256, AES_CBC_256_HMAC_SHA256 -> new String[] {"AES-CBC [RFC3602]", "HMAC-SHA-256-128 [RFC4868]"};
            case AES_CBC_128_HMAC_SHA384, AES_CBC_256_HMAC_SHA384 -> new String[] {"AES-CBC [RFC3602]", "HMAC-SHA-384-192 [RFC4868]"};
            case AES_CBC_128_HMAC_SHA512, AES_CBC_256_HMAC_SHA512 -> new String[] {"AES-CBC [RFC3602]", "HMAC-SHA-512-256 [RFC4868]"};
            default -> null; // ChaCha20-Poly1305, GMAC: not in tshark 4.0; AH: no key table
        };
    }

    /** True if tshark is given the keys of this flow and must decrypt and verify it. */
    static boolean tsharkDecrypts(Flow f) {
        return !f.config.esn() && tsharkAlgorithms(f.config.suite()) != null;
    }

    private static Map<Integer, Map<String, String>> runTshark() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(),
                "-o", "esp.enable_encryption_decode:TRUE",
                "-o", "esp.enable_authentication_check:TRUE",
                "-o", "ip.check_checksum:TRUE",
                "-o", "udp.check_checksum:TRUE"));
        for (Flow f : flows) {
            if (!tsharkDecrypts(f)) {
                continue;
            }
            String[] alg = tsharkAlgorithms(f.config.suite());
            byte[] auth = f.config.authKey();
            cmd.add("-o");
            cmd.add(String.format("uat:esp_sa:\"%s\",\"*\",\"*\",\"0x%08x\",\"%s\",\"0x%s\",\"%s\",\"%s\"",
                    f.outer6() ? "IPv6" : "IPv4", f.config.spi(), alg[0], hex(f.config.encKey()), alg[1],
                    auth.length == 0 ? "" : "0x" + hex(auth)));
        }
        cmd.addAll(List.of("-T", "fields", "-E", "header=n", "-E", "separator=/t", "-E", "occurrence=a",
                "-E", "aggregator=,"));
        for (String field : FIELDS) {
            cmd.add("-e");
            cmd.add(field);
        }
        List<String> lines = run("tshark", cmd);
        Map<Integer, Map<String, String>> rows = new LinkedHashMap<>();
        for (String line : lines) {
            String[] v = line.split("\t", -1);
            assertEquals(FIELDS.length, v.length, "tshark output line: " + line);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < FIELDS.length; i++) {
                row.put(FIELDS[i], v[i]);
            }
            rows.put(Integer.parseInt(v[0]), row);
        }
        return rows;
    }

    // ---------------------------------------------------------------- python3-cryptography

    /** The python decoder's name for a suite. */
    static String pythonSuite(Suite s) {
        return switch (s.kind) {
            case AEAD_GCM -> "gcm";
            case AEAD_CHACHA -> "chacha20poly1305";
            case GMAC -> "gmac";
            case CBC_HMAC -> "cbc-" + s.macAlgorithm.substring(4).toLowerCase();
            case AH_HMAC -> "ah-" + s.macAlgorithm.substring(4).toLowerCase();
        };
    }

    private static Map<Integer, String[]> runPython() throws IOException, InterruptedException, URISyntaxException {
        StringBuilder table = new StringBuilder();
        for (Flow f : flows) {
            SaConfig c = f.config;
            table.append(String.format("%08x %s %d %d %s %s%n", c.spi(), pythonSuite(c.suite()), c.esn() ? 1 : 0,
                    c.initialSeq(), c.encKey().length == 0 ? "-" : hex(c.encKey()),
                    c.authKey().length == 0 ? "-" : hex(c.authKey())));
        }
        Path sas = dir.resolve("sa-table.txt");
        Files.writeString(sas, table);
        Path script = Path.of(TsharkDecryptTest.class.getResource("/decoders/ipsec_decode.py").toURI());
        List<String> lines = run("python3-cryptography decoder", List.of(PYTHON, script.toString(), pcap.toString(), sas.toString()));
        Map<Integer, String[]> rows = new LinkedHashMap<>();
        for (String line : lines) {
            String[] v = line.split("\t", -1);
            assertEquals(8, v.length, "decoder output line: " + line);
            rows.put(Integer.parseInt(v[0]), v);
        }
        return rows;
    }

    /** Runs an external tool, bounded by {@link #TOOL_TIMEOUT_SECONDS}; fails (never skips) if it is missing or fails. */
    private static List<String> run(String what, List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        } catch (IOException e) {
            fail(what + " is not installed (" + cmd.get(0) + "): CI installs the Debian packages tshark and "
                    + "python3-cryptography; run apt-get install -y tshark python3-cryptography", e);
            throw e;
        }
        if (!p.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly(); // this process only, by its PID
            fail(what + " (pid " + p.pid() + ") did not finish within " + TOOL_TIMEOUT_SECONDS + " s; killed");
        }
        String stderr = Files.readString(err);
        assertEquals(0, p.exitValue(), what + " failed: " + String.join(" ", cmd) + "\n" + stderr);
        List<String> lines = Files.readAllLines(out);
        assertEquals(frames.size(), lines.size(), what + " printed a line per frame?\n" + stderr);
        return lines;
    }

    // ---------------------------------------------------------------- the checks

    @Test
    void tsharkDecryptsAndVerifiesEveryGcmAndCbcPacket() {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Sent s : frames) {
            Flow f = s.flow();
            if (f.ah() || !tsharkDecrypts(f)) {
                continue;
            }
            checked++;
            Map<String, String> t = tshark.get(s.frame());
            Check c = new Check(problems, s, "tshark");
            c.eq("frame.protocols", expectedProtocols(f, true), t.get("frame.protocols"));
            c.eq("esp.spi", String.format("0x%08x", f.config.spi()), t.get("esp.spi"));
            c.eq("esp.sequence", Long.toString(s.seq()), t.get("esp.sequence"));
            c.eq("esp.icv_good", "1", t.get("esp.icv_good"));
            c.eq("esp.icv_bad", "0", t.get("esp.icv_bad"));
            c.eq("esp.protocol", expectedNextHeader(f), num(t.get("esp.protocol")));
            // The whole plaintext: our payload, then padding 1, 2, 3, ..., Pad Length, Next Header (RFC 4303 §2.4).
            int pad = num(t.get("esp.pad_len")) == null ? 0 : num(t.get("esp.pad_len"));
            c.eq("esp.decrypted_data", hex(plaintext(s.payload(), pad, expectedNextHeader(f))),
                    t.get("esp.decrypted_data"));
            c.eq("payload + trailer aligned", 0, (s.payload().length + pad + 2) % alignment(f.config.suite()));
            checkOuterAndInner(c, f, s, t);
        }
        assertEquals(12 * 3, checked, "tshark-decryptable ESP packets in the capture");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void tsharkDissectsAhHeadersAndTheProtectedPacket() {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Sent s : frames) {
            Flow f = s.flow();
            if (!f.ah()) {
                continue;
            }
            checked++;
            Map<String, String> t = tshark.get(s.frame());
            Check c = new Check(problems, s, "tshark");
            c.eq("frame.protocols", expectedProtocols(f, true), t.get("frame.protocols"));
            c.eq("ah.spi", String.format("0x%08x", f.config.spi()), t.get("ah.spi"));
            c.eq("ah.sequence", Long.toString(s.seq() & 0xFFFF_FFFFL), t.get("ah.sequence"));
            c.eq("ah.next_header", expectedNextHeader(f), num(t.get("ah.next_header")));
            int ahLen = ahHeaderLength(f);
            c.eq("ah.length", ahLen / 4 - 2, num(t.get("ah.length"))); // RFC 4302 §2.2
            int ahOff = s.wire().length - s.payload().length - ahLen;
            c.eq("ah.icv", hex(s.wire(), ahOff + 12, ahLen - 12), t.get("ah.icv"));
            checkOuterAndInner(c, f, s, t);
        }
        assertEquals(4 * 3 + ESN_PACKETS, checked, "AH packets in the capture");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** Even where tshark has no key (ChaCha20-Poly1305, GMAC, ESN SAs) it must parse SPI and sequence number. */
    @Test
    void tsharkReadsSpiAndLowSequenceNumberOfEveryEspPacket() {
        List<String> problems = new ArrayList<>();
        for (Sent s : frames) {
            Flow f = s.flow();
            if (f.ah()) {
                continue;
            }
            Map<String, String> t = tshark.get(s.frame());
            Check c = new Check(problems, s, "tshark");
            if (!tsharkDecrypts(f)) {
                c.eq("frame.protocols", expectedProtocols(f, false), t.get("frame.protocols"));
            }
            c.eq("esp.spi", String.format("0x%08x", f.config.spi()), t.get("esp.spi"));
            // RFC 4303 §2.2.1: only the low 32 bits of an extended sequence number go on the wire.
            c.eq("esp.sequence", Long.toString(s.seq() & 0xFFFF_FFFFL), t.get("esp.sequence"));
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /**
     * The python3-cryptography decoder verifies and decrypts every ESP packet and verifies every AH ICV, with the
     * full 64-bit sequence number in the AAD/ICV for ESN SAs (inferred as a receiver would, RFC 4303 App. A).
     */
    @Test
    void pythonDecoderVerifiesEveryPacketIncludingChachaGmacEsnAndAh() {
        List<String> problems = new ArrayList<>();
        int pastTwoToThe32 = 0;
        for (Sent s : frames) {
            Flow f = s.flow();
            String[] v = python.get(s.frame());
            Check c = new Check(problems, s, "python");
            c.eq("kind", f.ah() ? "ah" : "esp", v[1]);
            c.eq("spi", String.format("%08x", f.config.spi()), v[2]);
            c.eq("status", "ok", v[4]);
            c.eq("sequence number (64 bit)", Long.toString(s.seq()), v[3]);
            c.eq("next header", Integer.toString(expectedNextHeader(f)), v[5]);
            c.eq("payload", hex(s.payload()), v[7]);
            if (!f.ah()) {
                c.eq("payload + trailer aligned", 0,
                        (s.payload().length + (num(v[6]) == null ? 0 : num(v[6])) + 2) % alignment(f.config.suite()));
            }
            if (s.seq() > 0xFFFF_FFFFL) {
                pastTwoToThe32++;
            }
        }
        assertEquals(6 * 3, pastTwoToThe32, "ESN packets at or past 2^32 (6 ESN SAs, 3 each)");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** The outer headers around ESP/AH and the protected packet as tshark dissected it. */
    private static void checkOuterAndInner(Check c, Flow f, Sent s, Map<String, String> t) {
        // Every IPv4 header, outer and inner, with a good checksum (ip.check_checksum is on).
        for (String st : t.get("ip.checksum.status").split(",")) {
            if (!st.isEmpty()) {
                c.eq("ip.checksum.status", "1", st);
            }
        }
        if (f.config.udpEncapsulated()) {
            c.eq("outer udp.srcport", Integer.toString(NAT_T_PORT), first(t, "udp.srcport"));
            c.eq("outer udp.dstport", Integer.toString(NAT_T_PORT), first(t, "udp.dstport"));
            // RFC 3948 §2.1: zero UDP checksum over IPv4 (tshark: 3 = not present); RFC 8200 §8.1: over IPv6 a real one.
            c.eq("outer udp.checksum.status", f.outer6() ? "1" : "3", first(t, "udp.checksum.status"));
        }
        boolean v6 = f.inner.family == 6;
        byte[] in = s.inner();
        int a = v6 ? 8 : 12;
        int alen = v6 ? 16 : 4;
        c.eq("inner src", hex(in, a, alen), addressHex(last(t, v6 ? "ipv6.src" : "ip.src")));
        c.eq("inner dst", hex(in, a + alen, alen), addressHex(last(t, v6 ? "ipv6.dst" : "ip.dst")));
        String data = hex(s.data());
        int l4 = v6 ? 40 : 20;
        if (f.inner.icmp()) {
            c.eq("icmp checksum status", "1", t.get(v6 ? "icmpv6.checksum.status" : "icmp.checksum.status"));
            c.eq("icmp id", u16(in, l4 + 4), num(t.get(v6 ? "icmpv6.echo.identifier" : "icmp.ident")));
            c.eq("icmp seq", u16(in, l4 + 6), num(t.get(v6 ? "icmpv6.echo.sequence_number" : "icmp.seq")));
            c.eq("icmp data", data, last(t, "data.data"));
        } else {
            c.eq("inner udp.srcport", u16(in, l4), num(last(t, "udp.srcport")));
            c.eq("inner udp.dstport", u16(in, l4 + 2), num(last(t, "udp.dstport")));
            c.eq("inner udp.checksum.status", "1", last(t, "udp.checksum.status"));
            c.eq("inner udp.payload", data, last(t, "udp.payload"));
        }
    }

    // ---------------------------------------------------------------- expectations, from the RFCs

    /** tshark's protocol chain for a frame of flow {@code f}; {@code inner}: whether tshark can see inside. */
    static String expectedProtocols(Flow f, boolean inner) {
        StringBuilder b = new StringBuilder("raw:").append(f.outer6() ? "ipv6" : "ip");
        if (f.config.udpEncapsulated()) {
            b.append(":udp:udpencap");
        }
        b.append(f.ah() ? ":ah" : ":esp");
        if (inner) {
            if (f.tunnel()) {
                b.append(f.inner.family == 6 ? ":ipv6" : ":ip");
            }
            b.append(switch (f.inner) {
                case ICMP4 -> ":icmp";
                case ICMP6 -> ":icmpv6";
                case UDP4, UDP6 -> ":udp";
            }).append(":data");
        }
        return b.toString();
    }

    /** ESP/AH Next Header: IP-in-IP (4) or IPv6 (41) in tunnel mode, the upper protocol in transport mode. */
    static int expectedNextHeader(Flow f) {
        if (f.tunnel()) {
            return f.inner.family == 6 ? 41 : 4;
        }
        return switch (f.inner) {
            case ICMP4 -> TestPackets.PROTO_ICMP;
            case ICMP6 -> TestPackets.PROTO_ICMPV6;
            case UDP4, UDP6 -> TestPackets.PROTO_UDP;
        };
    }

    /** What payload + padding + trailer must be a multiple of: the AES block for CBC (RFC 3602 §2.4), else 4 (RFC 4303 §2.4). */
    static int alignment(Suite s) {
        return s.kind == Suite.Kind.CBC_HMAC ? 16 : 4;
    }

    /** AH header length with ICV and padding: 32-bit aligned over IPv4, 64-bit over IPv6 (RFC 4302 §2.6, RFC 4868 §2.3). */
    static int ahHeaderLength(Flow f) {
        int icv = switch (f.config.suite()) {
            case AH_HMAC_SHA256_128 -> 16;
            case AH_HMAC_SHA384_192 -> 24;
            case AH_HMAC_SHA512_256 -> 32;
            default -> throw new IllegalArgumentException(f.name);
        };
        int align = f.outer6() ? 8 : 4;
        return (12 + icv + align - 1) / align * align;
    }

    static byte[] plaintext(byte[] payload, int pad, int nextHeader) {
        byte[] p = Arrays.copyOf(payload, payload.length + pad + 2);
        for (int i = 1; i <= pad; i++) {
            p[payload.length + i - 1] = (byte) i;
        }
        p[p.length - 2] = (byte) pad;
        p[p.length - 1] = (byte) nextHeader;
        return p;
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static String hex(byte[] b, int off, int len) {
        return HexFormat.of().formatHex(b, off, off + len);
    }

    /** An address as tshark prints it, as hex bytes; what tshark printed if it is no address. */
    static String addressHex(String literal) {
        try {
            return hex(TestPackets.address(literal));
        } catch (IllegalArgumentException e) {
            return "'" + literal + "'";
        }
    }

    /** A decimal or 0x-hex number as tshark prints it, or null (a mismatch, not an exception). */
    static Integer num(String v) {
        try {
            return Integer.decode(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    static String first(Map<String, String> row, String field) {
        String[] v = row.get(field).split(",", -1);
        return v[0];
    }

    static String last(Map<String, String> row, String field) {
        String[] v = row.get(field).split(",", -1);
        return v[v.length - 1];
    }

    /** Collects every mismatch, so one run reports all of them. */
    record Check(List<String> problems, Sent s, String decoder) {
        void eq(String what, Object expected, Object actual) {
            if (!String.valueOf(expected).equals(String.valueOf(actual))) {
                problems.add(String.format("frame %d (%s, seq %d) %s %s: expected <%s> but was <%s>", s.frame(),
                        s.flow().name, s.seq(), decoder, what, abbreviate(expected), abbreviate(actual)));
            }
        }

        private static String abbreviate(Object o) {
            String v = String.valueOf(o);
            return v.length() > 200 ? v.substring(0, 200) + "...(" + v.length() + " chars)" : v;
        }
    }
}
