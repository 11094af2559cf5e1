package net.edgegw.dataplane.selfcheck;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Locale;
import net.edgegw.dataplane.ipsec.Inbound;
import net.edgegw.dataplane.ipsec.Outbound;
import net.edgegw.dataplane.packet.Ipv4Header;
import net.edgegw.dataplane.packet.Packet;
import net.edgegw.dataplane.sa.Direction;
import net.edgegw.dataplane.sa.SaConfig;
import net.edgegw.dataplane.sa.Sad;
import net.edgegw.dataplane.sa.SecurityAssociation;
import net.edgegw.dataplane.sa.Suite;
import net.edgegw.dataplane.spd.Spd;
import net.edgegw.dataplane.stats.DropCounters;

/**
 * A start-up check of the data plane on this machine: every suite protects and verifies a packet in memory with
 * fresh random keys, and the AEAD suites report a rough single-core rate. Run at boot and by {@code ./run.sh};
 * the numbers that count come from JMH ({@code bench/esp.sh}).
 */
public final class SelfCheck {
    private SelfCheck() {}

    /** Returns true if every suite round-tripped. */
    public static boolean run(PrintStream out, int packetsPerSuite) {
        out.printf(Locale.ROOT, "data plane self-check on %s %s (%s), %d cores%n", System.getProperty("java.vm.name"),
                Runtime.version(), System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors());
        SecureRandom rnd = new SecureRandom();
        boolean ok = true;
        for (Suite s : Suite.values()) {
            byte[] enc = new byte[s.encKeyLen()];
            byte[] auth = new byte[s.authKeyLen];
            rnd.nextBytes(enc);
            rnd.nextBytes(auth);
            SaConfig.Builder b = SaConfig.builder().spi(0x1000 + s.ordinal()).suite(s).encKey(enc).authKey(auth)
                    .src("192.0.2.1").dst("192.0.2.2").esn(true);
            Sad tx = new Sad();
            Sad rx = new Sad();
            SecurityAssociation out1 = tx.install(b.direction(Direction.OUTBOUND).build());
            rx.install(b.direction(Direction.INBOUND).replayWindow(0).build());
            Outbound ob = new Outbound(new Spd(), new DropCounters());
            Inbound ib = new Inbound(rx, new DropCounters());
            byte[] inner = new byte[1400];
            Ipv4Header.write(inner, 0, inner.length, 17, new byte[] {10, (byte) 244, 1, 5}, new byte[] {10, 96, 1, 7}, 0, true);
            Packet p = Packet.forMtu(1500);
            int n = s.isAead() ? packetsPerSuite : Math.max(1, packetsPerSuite / 10);
            long t0 = System.nanoTime();
            int good = 0;
            for (int i = 0; i < n; i++) {
                p.set(inner, 0, inner.length, Packet.DEFAULT_HEADROOM);
                if (ob.protect(out1, p) == Outbound.Verdict.PROTECTED && ib.fromIp(p) == Inbound.Verdict.FORWARD
                        && p.len == inner.length) {
                    good++;
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            boolean pass = good == n;
            ok &= pass;
            out.printf(Locale.ROOT, "  %-18s %s  encrypt+decrypt 1400 B: %6.2f Gbit/s%n", s.keyword, pass ? "ok  " : "FAIL",
                    n * 1400 * 8 / secs / 1e9);
        }
        return ok;
    }

    public static void main(String[] args) {
        System.exit(run(System.out, args.length > 0 ? Integer.parseInt(args[0]) : 50_000) ? 0 : 1);
    }
}
