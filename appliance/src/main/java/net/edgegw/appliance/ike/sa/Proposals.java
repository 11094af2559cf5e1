package net.edgegw.appliance.ike.sa;

import java.util.ArrayList;
import java.util.List;
import net.edgegw.appliance.ike.message.Proposal;
import net.edgegw.appliance.ike.message.ProtocolId;
import net.edgegw.appliance.ike.message.Transform;
import net.edgegw.appliance.ike.message.TransformType;

/**
 * Proposals written as strongSwan keywords ({@code aes128gcm16-prfsha256-x25519}, {@code aes256-sha256-modp2048},
 * {@code aes128gcm16}, {@code aes256-sha256-x25519-esn}) and the responder's choice among offered proposals
 * (RFC 7296 §2.7, §3.3.6).
 */
public final class Proposals {
    private Proposals() {}

    /** One or more IKE proposals, comma-separated. An integrity algorithm without a prf implies the same hash's prf. */
    public static List<Proposal> parseIke(String spec) {
        return parse(spec, ProtocolId.IKE);
    }

    /** One or more ESP proposals, comma-separated; without esn/noesn the proposal offers no ESN. */
    public static List<Proposal> parseEsp(String spec) {
        return parse(spec, ProtocolId.ESP);
    }

    private static List<Proposal> parse(String spec, ProtocolId proto) {
        List<Proposal> out = new ArrayList<>();
        for (String one : spec.split(",")) {
            List<Transform> ts = new ArrayList<>();
            List<Transform> integ = new ArrayList<>();
            boolean prf = false;
            boolean esn = false;
            for (String tok : one.trim().toLowerCase(java.util.Locale.ROOT).split("-")) {
                Transform t = transform(tok);
                if (t.type() == TransformType.INTEG) {
                    integ.add(t);
                }
                prf |= t.type() == TransformType.PRF;
                esn |= t.type() == TransformType.ESN;
                ts.add(t);
            }
            if (proto == ProtocolId.IKE) {
                if (!prf) {
                    for (Transform t : integ) {
                        ts.add(Transform.of(TransformType.PRF, t.id() - Transform.AUTH_HMAC_SHA2_256_128
                                + Transform.PRF_HMAC_SHA2_256));
                    }
                }
                if (ts.stream().noneMatch(t -> t.type() == TransformType.PRF)
                        || ts.stream().noneMatch(t -> t.type() == TransformType.DH)) {
                    throw new IllegalArgumentException("IKE proposal '" + one + "' needs a prf and a key exchange");
                }
            } else if (!esn) {
                ts.add(Transform.of(TransformType.ESN, Transform.ESN_NO));
            }
            if (ts.stream().noneMatch(t -> t.type() == TransformType.ENCR)) {
                throw new IllegalArgumentException("proposal '" + one + "' has no encryption algorithm");
            }
            out.add(new Proposal(out.size() + 1, proto, new byte[0], ts));
        }
        return out;
    }

    /** Keywords {@link #keyword} names transforms with, strongSwan's spelling. */
    private static final String[] KEYWORDS = {"aes128gcm16", "aes192gcm16", "aes256gcm16", "chacha20poly1305",
        "aes128", "aes192", "aes256", "sha256", "sha384", "sha512", "prfsha256", "prfsha384", "prfsha512",
        "modp2048", "modp3072", "modp4096", "ecp256", "ecp384", "ecp521", "x25519", "esn", "noesn"};

    /** A negotiated transform as its keyword ({@code aes128gcm16}, {@code prfsha256}, {@code x25519}), else type/id. */
    public static String keyword(Transform t) {
        if (t == null) {
            return "";
        }
        for (String k : KEYWORDS) {
            if (transform(k).sameAs(t)) {
                return k;
            }
        }
        return t.toString();
    }

    private static Transform transform(String tok) {
        switch (tok) {
            case "aes128gcm16": case "aes128gcm": return Transform.of(TransformType.ENCR, Transform.ENCR_AES_GCM_16, 128);
            case "aes192gcm16": case "aes192gcm": return Transform.of(TransformType.ENCR, Transform.ENCR_AES_GCM_16, 192);
            case "aes256gcm16": case "aes256gcm": return Transform.of(TransformType.ENCR, Transform.ENCR_AES_GCM_16, 256);
            case "chacha20poly1305": return Transform.of(TransformType.ENCR, Transform.ENCR_CHACHA20_POLY1305); // RFC 7634 §3: no key length
            case "aes128": return Transform.of(TransformType.ENCR, Transform.ENCR_AES_CBC, 128);
            case "aes192": return Transform.of(TransformType.ENCR, Transform.ENCR_AES_CBC, 192);
            case "aes256": return Transform.of(TransformType.ENCR, Transform.ENCR_AES_CBC, 256);
            case "sha256": return Transform.of(TransformType.INTEG, Transform.AUTH_HMAC_SHA2_256_128);
            case "sha384": return Transform.of(TransformType.INTEG, Transform.AUTH_HMAC_SHA2_384_192);
            case "sha512": return Transform.of(TransformType.INTEG, Transform.AUTH_HMAC_SHA2_512_256);
            case "prfsha256": return Transform.of(TransformType.PRF, Transform.PRF_HMAC_SHA2_256);
            case "prfsha384": return Transform.of(TransformType.PRF, Transform.PRF_HMAC_SHA2_384);
            case "prfsha512": return Transform.of(TransformType.PRF, Transform.PRF_HMAC_SHA2_512);
            case "modp2048": return Transform.of(TransformType.DH, Transform.MODP_2048);
            case "modp3072": return Transform.of(TransformType.DH, Transform.MODP_3072);
            case "modp4096": return Transform.of(TransformType.DH, Transform.MODP_4096);
            case "ecp256": return Transform.of(TransformType.DH, Transform.ECP_256);
            case "ecp384": return Transform.of(TransformType.DH, Transform.ECP_384);
            case "ecp521": return Transform.of(TransformType.DH, Transform.ECP_521);
            case "x25519": case "curve25519": return Transform.of(TransformType.DH, Transform.CURVE25519);
            case "esn": return Transform.of(TransformType.ESN, Transform.ESN_YES);
            case "noesn": return Transform.of(TransformType.ESN, Transform.ESN_NO);
            default: throw new IllegalArgumentException("unknown algorithm keyword '" + tok + "'");
        }
    }

    /**
     * The responder's choice (RFC 7296 §2.7): the first of our proposals, in our order, for which one of the
     * offered proposals has, for every transform type we configure, a transform we also configure, and no
     * transform type we don't know. The result carries the offered proposal's number and SPI and one transform
     * per type; null when nothing matches (NO_PROPOSAL_CHOSEN).
     */
    public static Proposal select(List<Proposal> ours, List<Proposal> offered) {
        for (Proposal mine : ours) {
            for (Proposal theirs : offered) {
                if (theirs.protocol() != mine.protocol()) {
                    continue;
                }
                Proposal p = match(mine, theirs);
                if (p != null) {
                    return p;
                }
            }
        }
        return null;
    }

    private static Proposal match(Proposal mine, Proposal theirs) {
        List<Transform> chosen = new ArrayList<>();
        for (Transform t : theirs.transforms()) {
            if (t.type() == TransformType.UNKNOWN) {
                return null; // RFC 7296 §3.3.6: a transform type we don't understand makes the proposal unacceptable
            }
        }
        for (TransformType type : TransformType.values()) {
            List<Transform> want = mine.of(type);
            List<Transform> have = theirs.of(type);
            if (want.isEmpty() && have.isEmpty()) {
                continue;
            }
            if (want.isEmpty()) {
                // they offer a type we don't configure: acceptable only as "none" (e.g. INTEG NONE with AEAD)
                if (have.stream().anyMatch(t -> t.id() == 0 && !t.unknownAttribute())) {
                    continue;
                }
                return null;
            }
            Transform pick = null;
            for (Transform w : want) {
                for (Transform h : have) {
                    if (pick == null && !h.unknownAttribute() && w.sameAs(h)) {
                        pick = h;
                    }
                }
            }
            if (pick == null) {
                return null;
            }
            chosen.add(pick);
        }
        return new Proposal(theirs.number(), theirs.protocol(), theirs.spi(), chosen);
    }

    /** Whether the responder's single chosen proposal is one of ours (the initiator's check, RFC 7296 §2.7). */
    public static boolean acceptable(List<Proposal> ours, Proposal chosen) {
        for (Proposal mine : ours) {
            if (mine.protocol() == chosen.protocol() && match(mine, chosen) != null
                    && chosen.transforms().size() == match(mine, chosen).transforms().size()) {
                boolean onePerType = true;
                for (TransformType type : TransformType.values()) {
                    onePerType &= chosen.of(type).size() <= 1;
                }
                if (onePerType) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The ID of the one transform of a type in a chosen proposal, or {@code none}. */
    public static int id(Proposal chosen, TransformType type, int none) {
        Transform t = chosen.first(type);
        return t == null ? none : t.id();
    }

    public static int keyLength(Proposal chosen) {
        Transform t = chosen.first(TransformType.ENCR);
        return t == null ? 0 : t.keyLength();
    }

    /** The same proposals with {@code spi} (ESP SPI or rekey IKE SPI). */
    public static List<Proposal> withSpi(List<Proposal> ps, byte[] spi) {
        List<Proposal> out = new ArrayList<>();
        for (Proposal p : ps) {
            out.add(new Proposal(p.number(), p.protocol(), spi, p.transforms()));
        }
        return out;
    }
}
