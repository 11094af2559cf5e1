package net.edgegw.mgmt.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The system's {@code ping} (iputils) from a given source address, without a shell: the arguments are checked
 * address literals and numbers, the process is killed when it outlives its deadline, and its output is read in
 * full (bounded) and parsed for the summary.
 */
final class PingCommand {
    static final int MAX_COUNT = 10;
    static final String PING = "/usr/bin/ping";
    /** Each reply is waited for at most 1 s; the whole run gets {@code count + GRACE_SECONDS}. */
    static final int GRACE_SECONDS = 3;
    private static final int MAX_OUTPUT = 64 * 1024;

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]{2,39}(\\.[0-9.]{7,15})?");
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) (packets )?received");
    private static final Pattern RTT = Pattern.compile("= ([\\d.]+)/([\\d.]+)/([\\d.]+)/([\\d.]+) ms");

    record Result(List<String> lines, int sent, int received, double rttMin, double rttAvg, double rttMax,
                  int exitCode, boolean timedOut) {
    }

    private PingCommand() {}

    /** An IPv4 or IPv6 address literal (no host name: nothing is resolved), or empty. */
    static Optional<InetAddress> literal(String s) {
        if (s == null || !(IPV4.matcher(s).matches() || s.contains(":") && IPV6.matcher(s).matches())) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(s)); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code a} lies in {@code cidr} ({@code 10.0.0.0/8}, {@code fd00::/8}); false for a bad CIDR. */
    static boolean inside(InetAddress a, String cidr) {
        int slash = cidr.indexOf('/');
        Optional<InetAddress> net = literal(slash < 0 ? cidr : cidr.substring(0, slash));
        if (net.isEmpty()) {
            return false;
        }
        byte[] n = net.get().getAddress();
        byte[] x = a.getAddress();
        if (n.length != x.length) {
            return false;
        }
        int bits;
        try {
            bits = slash < 0 ? n.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        for (int i = 0; i < n.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : 0xff << (8 - bits) & 0xff;
            if ((n[i] & mask) != (x[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** This host's addresses (every interface that is up), loopback included. */
    static List<InetAddress> hostAddresses() {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nif.isUp()) {
                    out.addAll(Collections.list(nif.getInetAddresses()));
                }
            }
        } catch (SocketException e) {
            return out;
        }
        return out;
    }

    /** The first of this host's addresses of {@code family}'s kind inside one of {@code networks}. */
    static Optional<InetAddress> pickSource(List<String> networks, InetAddress family) {
        for (InetAddress a : hostAddresses()) {
            if (a instanceof Inet4Address == family instanceof Inet4Address && !a.isLinkLocalAddress()
                    && networks.stream().anyMatch(n -> inside(a, n))) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    static Result run(InetAddress source, InetAddress target, int count) throws IOException, InterruptedException {
        List<String> cmd = List.of(PING, "-n", "-c", String.valueOf(count), "-i", "0.2", "-W", "1",
                "-w", String.valueOf(count + 1), "-I", source.getHostAddress(), target.getHostAddress());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        boolean done;
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            done = p.waitFor(count + GRACE_SECONDS, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly(); // by its own handle (PID), never by name
                p.waitFor(2, TimeUnit.SECONDS);
            }
            out = in.readNBytes(MAX_OUTPUT);
        }
        List<String> lines = new String(out, StandardCharsets.UTF_8).lines().toList();
        int sent = 0;
        int received = 0;
        double[] rtt = {-1, -1, -1};
        for (String line : lines) {
            Matcher m = SUMMARY.matcher(line);
            if (m.find()) {
                sent = Integer.parseInt(m.group(1));
                received = Integer.parseInt(m.group(2));
            }
            Matcher r = RTT.matcher(line);
            if (line.startsWith("rtt") && r.find()) {
                rtt = new double[] {Double.parseDouble(r.group(1)), Double.parseDouble(r.group(2)),
                        Double.parseDouble(r.group(3))};
            }
        }
        return new Result(lines, sent, received, rtt[0], rtt[1], rtt[2], done ? p.exitValue() : -1, !done);
    }
}
