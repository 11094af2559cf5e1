package net.edgegw.dataplane.testing;

import java.util.List;
import java.util.Random;
import net.edgegw.dataplane.ipsec.Inbound;
import net.edgegw.dataplane.ipsec.Outbound;
import net.edgegw.dataplane.sa.Direction;
import net.edgegw.dataplane.sa.Mode;
import net.edgegw.dataplane.sa.SaConfig;
import net.edgegw.dataplane.sa.Sad;
import net.edgegw.dataplane.sa.SecurityAssociation;
import net.edgegw.dataplane.sa.Suite;
import net.edgegw.dataplane.spd.Spd;
import net.edgegw.dataplane.spd.TrafficSelector;
import net.edgegw.dataplane.stats.DropCounters;

/**
 * Two ends of one SA: the sender's outbound SA and the receiver's inbound SA with the same keys, each in its own
 * SAD, with the processors that use them. Keys come from a seeded random, so failures reproduce.
 */
public final class SaPair {
    public final SecurityAssociation out;
    public final SecurityAssociation in;
    public final Sad senderSad = new Sad();
    public final Sad receiverSad = new Sad();
    public final Outbound outbound = new Outbound(new Spd(), new DropCounters());
    public final Inbound inbound;
    public final SaConfig outConfig;
    public final SaConfig inConfig;

    public SaPair(Suite suite, Mode mode, String outerSrc, String outerDst, boolean udp, boolean esn, long initialSeq,
                  List<TrafficSelector> senderTs, List<TrafficSelector> receiverTs) {
        Random r = new Random(suite.ordinal() * 31L + mode.ordinal());
        byte[] enc = new byte[suite.encKeyLen()];
        byte[] auth = new byte[suite.authKeyLen];
        r.nextBytes(enc);
        r.nextBytes(auth);
        int spi = 0x10000 + r.nextInt(1 << 20);
        SaConfig.Builder b = SaConfig.builder().spi(spi).mode(mode).suite(suite).encKey(enc).authKey(auth)
                .src(outerSrc).dst(outerDst).esn(esn);
        if (udp) {
            b.udpEncap(4500, 4500);
        }
        outConfig = b.direction(Direction.OUTBOUND).initialSeq(initialSeq).localTs(senderTs).remoteTs(receiverTs).build();
        inConfig = b.direction(Direction.INBOUND).initialSeq(0).localTs(receiverTs).remoteTs(senderTs).build();
        out = senderSad.install(outConfig);
        in = receiverSad.install(inConfig);
        inbound = new Inbound(receiverSad, new DropCounters());
    }

    public SaPair(Suite suite, Mode mode, String outerSrc, String outerDst, boolean udp, boolean esn) {
        this(suite, mode, outerSrc, outerDst, udp, esn, 0, List.of(), List.of());
    }
}
