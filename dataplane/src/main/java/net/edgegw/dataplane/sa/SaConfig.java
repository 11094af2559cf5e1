package net.edgegw.dataplane.sa;

import java.util.ArrayList;
import java.util.List;
import net.edgegw.dataplane.replay.ReplayWindow;
import net.edgegw.dataplane.spd.TrafficSelector;

/**
 * What the control plane (IKE or manual keying) says about one SA; validated here, then turned into a
 * runtime {@link SecurityAssociation}. Addresses are the outer addresses as they appear on this SA's packets:
 * for an outbound SA {@code src} is ours, for an inbound SA {@code dst} is ours. Traffic selectors are
 * from this gateway's point of view: {@code localTs} covers our side's inner addresses, {@code remoteTs} the
 * peer's; an empty list means any.
 *
 * @param encapSrcPort UDP source port for RFC 3948 encapsulation, 0 = raw ESP/AH
 * @param encapDstPort UDP destination port for RFC 3948 encapsulation, 0 = raw ESP/AH
 * @param initialSeq   the last sequence number already used (outbound; normally 0 so the first packet is 1)
 */
public record SaConfig(int spi, Direction direction, Mode mode, Suite suite, byte[] encKey, byte[] authKey,
                       byte[] src, byte[] dst, int encapSrcPort, int encapDstPort, boolean esn, int replayWindow,
                       Lifetime soft, Lifetime hard, List<TrafficSelector> localTs, List<TrafficSelector> remoteTs,
                       long initialSeq) {

    public SaConfig {
        List<String> problems = new ArrayList<>();
        if (Integer.compareUnsigned(spi, 256) < 0) {
            problems.add("SPI must be >= 256 (RFC 4303 §2.1 reserves 1-255, 0 is never sent)");
        }
        if (direction == null || mode == null || suite == null) {
            problems.add("direction, mode and suite are required");
        } else {
            if (encKey == null ? suite.encKeyLen() != 0 : encKey.length != suite.encKeyLen()) {
                problems.add(suite.keyword + " needs an encryption key (with salt) of " + suite.encKeyLen()
                        + " bytes, got " + (encKey == null ? "none" : encKey.length));
            }
            int authLen = authKey == null ? 0 : authKey.length;
            if (authLen != suite.authKeyLen) {
                problems.add(suite.keyword + " needs an integrity key of " + suite.authKeyLen + " bytes, got " + authLen);
            }
        }
        if (src == null || dst == null || (src.length != 4 && src.length != 16) || src.length != dst.length) {
            problems.add("outer src and dst must both be IPv4 (4 bytes) or both IPv6 (16 bytes)");
        }
        if ((encapSrcPort == 0) != (encapDstPort == 0) || encapSrcPort < 0 || encapSrcPort > 65535
                || encapDstPort < 0 || encapDstPort > 65535) {
            problems.add("UDP encapsulation needs both ports in 1..65535, or neither");
        }
        if (suite != null && suite.isAh() && encapSrcPort != 0) {
            problems.add("AH cannot be UDP-encapsulated (RFC 3948 covers ESP only)");
        }
        if (!ReplayWindow.valid(replayWindow)) {
            problems.add("replay window must be 0 (off) or a multiple of 64 in [" + ReplayWindow.MIN_SIZE + ", "
                    + ReplayWindow.MAX_SIZE + "]");
        }
        soft = soft == null ? Lifetime.NONE : soft;
        hard = hard == null ? Lifetime.NONE : hard;
        localTs = localTs == null ? List.of() : List.copyOf(localTs);
        remoteTs = remoteTs == null ? List.of() : List.copyOf(remoteTs);
        if (initialSeq < 0 || (!esn && initialSeq > 0xffffffffL)) {
            problems.add("initial sequence number out of range");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        encKey = encKey == null ? new byte[0] : encKey.clone(); // AH has no encryption key
        authKey = authKey == null ? new byte[0] : authKey.clone();
        src = src.clone();
        dst = dst.clone();
    }

    /** A copy: keys never leave the SA mutable. */
    @Override
    public byte[] encKey() {
        return encKey.clone();
    }

    /** A copy: keys never leave the SA mutable. */
    @Override
    public byte[] authKey() {
        return authKey.clone();
    }

    public boolean udpEncapsulated() {
        return encapSrcPort != 0;
    }

    public boolean ipv6Outer() {
        return src.length == 16;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Keys never appear in logs. */
    @Override
    public String toString() {
        return String.format("SA spi=0x%08x %s %s %s esn=%s encap=%d/%d", spi, direction, mode, suite.keyword, esn,
                encapSrcPort, encapDstPort);
    }

    /** Fluent construction with the usual defaults (tunnel, window 1024, no ESN, no encapsulation). */
    public static final class Builder {
        private int spi;
        private Direction direction = Direction.OUTBOUND;
        private Mode mode = Mode.TUNNEL;
        private Suite suite = Suite.AES_GCM_16_128;
        private byte[] encKey;
        private byte[] authKey;
        private byte[] src;
        private byte[] dst;
        private int encapSrcPort;
        private int encapDstPort;
        private boolean esn;
        private int replayWindow = ReplayWindow.DEFAULT_SIZE;
        private Lifetime soft = Lifetime.NONE;
        private Lifetime hard = Lifetime.NONE;
        private List<TrafficSelector> localTs = List.of();
        private List<TrafficSelector> remoteTs = List.of();
        private long initialSeq;

        public Builder spi(int v) { spi = v; return this; }
        public Builder direction(Direction v) { direction = v; return this; }
        public Builder mode(Mode v) { mode = v; return this; }
        public Builder suite(Suite v) { suite = v; return this; }
        public Builder encKey(byte[] v) { encKey = v; return this; }
        public Builder authKey(byte[] v) { authKey = v; return this; }
        public Builder src(byte[] v) { src = v; return this; }
        public Builder dst(byte[] v) { dst = v; return this; }
        public Builder src(String v) { src = TrafficSelector.parseAddress(v); return this; }
        public Builder dst(String v) { dst = TrafficSelector.parseAddress(v); return this; }
        public Builder udpEncap(int srcPort, int dstPort) { encapSrcPort = srcPort; encapDstPort = dstPort; return this; }
        public Builder esn(boolean v) { esn = v; return this; }
        public Builder replayWindow(int v) { replayWindow = v; return this; }
        public Builder soft(Lifetime v) { soft = v; return this; }
        public Builder hard(Lifetime v) { hard = v; return this; }
        public Builder localTs(List<TrafficSelector> v) { localTs = v; return this; }
        public Builder remoteTs(List<TrafficSelector> v) { remoteTs = v; return this; }
        public Builder initialSeq(long v) { initialSeq = v; return this; }

        public SaConfig build() {
            return new SaConfig(spi, direction, mode, suite, encKey, authKey, src, dst, encapSrcPort, encapDstPort,
                    esn, replayWindow, soft, hard, localTs, remoteTs, initialSeq);
        }
    }
}
