package net.edgegw.appliance.ike.sa;

import java.util.List;
import net.edgegw.appliance.ike.crypto.ChildKeys;
import net.edgegw.appliance.ike.message.Proposal;
import net.edgegw.appliance.ike.message.Transform;
import net.edgegw.appliance.ike.message.TransformType;
import net.edgegw.dataplane.sa.Suite;
import net.edgegw.dataplane.spd.TrafficSelector;

/**
 * A negotiated CHILD SA (RFC 7296 §1.3): the ESP SA pair, its suite, keys and traffic selectors from our point
 * of view. The keys are in and out for this gateway; which of KEYMAT's "i" and "r" halves that is depends on
 * who initiated the exchange that created it (§2.17).
 */
public final class ChildSa {
    public final int spiIn;
    public final int spiOut;
    public final Suite suite;
    public final boolean esn;
    public final byte[] encIn;
    public final byte[] integIn;
    public final byte[] encOut;
    public final byte[] integOut;
    public final List<TrafficSelector> localTs;
    public final List<TrafficSelector> remoteTs;
    /** When it was negotiated (the IKE SA's clock), for the rekey timer. */
    public long createdAt;
    /** A rekey of this CHILD SA is queued or done: the timer fires once. */
    public boolean rekeyQueued;
    /** The data plane reported its soft lifetime or sequence-number limit reached: rekey it (table thread). */
    public boolean softExpired;
    /** The data plane reported its hard lifetime reached: delete it (table thread). */
    public boolean hardExpired;
    /** This CHILD SA's share of the rekey jitter, drawn once (nanoseconds before the configured time), -1 = not yet. */
    public long rekeyJitterNanos = -1;
    /** We sent a CREATE_CHILD_SA with N(REKEY_SA) for this CHILD SA and have no answer yet. */
    public boolean rekeyInitiated;
    /**
     * §2.8.1 collision: while our rekey of this CHILD SA was outstanding the peer rekeyed it too; the lowest
     * nonce of the peer's exchange (its Ni, our Nr), compared with ours when our answer arrives.
     */
    public byte[] collisionLowestNonce;
    /** A successor of it was installed (a rekey, either side starting it): counted once. */
    public boolean replaced;
    /** Set by the installer once the SAs and policies are in the data plane. */
    public volatile boolean installed;

    public ChildSa(int spiIn, int spiOut, Suite suite, boolean esn, ChildKeys keys, boolean weInitiated,
                   List<TrafficSelector> localTs, List<TrafficSelector> remoteTs) {
        this.spiIn = spiIn;
        this.spiOut = spiOut;
        this.suite = suite;
        this.esn = esn;
        this.encOut = weInitiated ? keys.encI() : keys.encR();
        this.integOut = weInitiated ? keys.integI() : keys.integR();
        this.encIn = weInitiated ? keys.encR() : keys.encI();
        this.integIn = weInitiated ? keys.integR() : keys.integI();
        this.localTs = List.copyOf(localTs);
        this.remoteTs = List.copyOf(remoteTs);
    }

    /** The lower of two nonces as unsigned octet strings (RFC 7296 §2.8.1 "the lowest of the four nonces"). */
    public static byte[] lowest(byte[] a, byte[] b) {
        return java.util.Arrays.compareUnsigned(a, b) <= 0 ? a : b;
    }

    /** The data-plane suite for a chosen ESP proposal, or null if the data plane has none. */
    public static Suite suiteOf(Proposal chosen) {
        Transform enc = chosen.first(TransformType.ENCR);
        Transform integ = chosen.first(TransformType.INTEG);
        if (enc == null) {
            return null;
        }
        int bits = enc.id() == Transform.ENCR_CHACHA20_POLY1305 && enc.keyLength() == 0 ? 256 : enc.keyLength();
        for (Suite s : Suite.values()) {
            if (s.isAh() || s.ikeTransformId != enc.id() || s.cipherKeyLen * 8 != bits) {
                continue;
            }
            if (s.kind == Suite.Kind.CBC_HMAC) {
                int want = switch (s.authKeyLen) {
                    case 32 -> Transform.AUTH_HMAC_SHA2_256_128;
                    case 48 -> Transform.AUTH_HMAC_SHA2_384_192;
                    default -> Transform.AUTH_HMAC_SHA2_512_256;
                };
                if (integ == null || integ.id() != want) {
                    continue;
                }
            } else if (integ != null && integ.id() != Transform.AUTH_NONE) {
                continue;
            }
            return s;
        }
        return null;
    }

    @Override
    public String toString() {
        return String.format("CHILD_SA in %08x out %08x %s %s === %s", spiIn, spiOut, suite.keyword, localTs, remoteTs);
    }
}
