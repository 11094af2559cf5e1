package net.edgegw.appliance.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A proposal in strongSwan's syntax ({@code aes128gcm16-prfsha256-x25519}, {@code aes256-sha256-modp2048},
 * ESP {@code aes128gcm16}, AH {@code sha256}), parsed into the transforms of RFC 7296 §3.3 that we implement.
 * Tokens are separated by '-'; their order within a kind is the order of preference.
 *
 * <p>As in strongSwan, an integrity token in an AEAD IKE proposal means the PRF (AEAD needs no integrity
 * transform, RFC 5282 §8), and a non-AEAD IKE proposal without a {@code prf…} token uses the PRF of its
 * integrity algorithm.
 *
 * @see <a href="https://www.iana.org/assignments/ikev2-parameters">IANA IKEv2 transform IDs</a>
 */
public record Proposal(Kind kind, List<Encryption> encryption, List<Integrity> integrity, List<Prf> prf,
                       List<DhGroup> dhGroups, List<Esn> esn) {

    public Proposal {
        encryption = List.copyOf(encryption);
        integrity = List.copyOf(integrity);
        prf = List.copyOf(prf);
        dhGroups = List.copyOf(dhGroups);
        esn = List.copyOf(esn);
    }

    /** What the proposal negotiates: the IKE SA, or a CHILD SA with ESP or AH. */
    public enum Kind { IKE, ESP, AH }

    /** Transform type 1, encryption (RFC 7296 §3.3.2). */
    public enum Encryption {
        AES_CBC_128("aes128", 12, 128, false),          // RFC 3602
        AES_CBC_256("aes256", 12, 256, false),
        AES_GCM_16_128("aes128gcm16", 20, 128, true),   // RFC 4106, RFC 5282
        AES_GCM_16_256("aes256gcm16", 20, 256, true),
        CHACHA20_POLY1305("chacha20poly1305", 28, 256, true); // RFC 7634

        public final String token;
        public final int transformId;
        public final int keyBits;
        public final boolean aead;

        Encryption(String token, int transformId, int keyBits, boolean aead) {
            this.token = token;
            this.transformId = transformId;
            this.keyBits = keyBits;
            this.aead = aead;
        }
    }

    /** Transform type 3, integrity (RFC 4868). */
    public enum Integrity {
        HMAC_SHA2_256_128("sha256", 12, Prf.HMAC_SHA2_256),
        HMAC_SHA2_384_192("sha384", 13, Prf.HMAC_SHA2_384),
        HMAC_SHA2_512_256("sha512", 14, Prf.HMAC_SHA2_512);

        public final String token;
        public final int transformId;
        /** The PRF of the same hash, what an IKE proposal without a PRF token uses. */
        public final Prf prf;

        Integrity(String token, int transformId, Prf prf) {
            this.token = token;
            this.transformId = transformId;
            this.prf = prf;
        }
    }

    /** Transform type 2, pseudorandom function (RFC 4868). */
    public enum Prf {
        HMAC_SHA2_256("prfsha256", 5),
        HMAC_SHA2_384("prfsha384", 6),
        HMAC_SHA2_512("prfsha512", 7);

        public final String token;
        public final int transformId;

        Prf(String token, int transformId) {
            this.token = token;
            this.transformId = transformId;
        }
    }

    /** Transform type 4, key exchange method (RFC 3526, RFC 5903, RFC 8031). */
    public enum DhGroup {
        MODP_2048("modp2048", 14),
        MODP_3072("modp3072", 15),
        MODP_4096("modp4096", 16),
        ECP_256("ecp256", 19),
        ECP_384("ecp384", 20),
        ECP_521("ecp521", 21),
        CURVE25519("x25519", 31);

        public final String token;
        public final int transformId;

        DhGroup(String token, int transformId) {
            this.token = token;
            this.transformId = transformId;
        }
    }

    /** Transform type 5, extended sequence numbers (RFC 4304); ESP and AH only. */
    public enum Esn {
        NO_ESN("noesn", 0), ESN("esn", 1);

        public final String token;
        public final int transformId;

        Esn(String token, int transformId) {
            this.token = token;
            this.transformId = transformId;
        }
    }

    /** The outcome of {@link #parse}: a proposal or a message saying what is wrong (never both). */
    public record Parsed(Proposal proposal, String problem) {
        public boolean ok() {
            return proposal != null;
        }
    }

    private static final Map<String, Object> TOKENS = new LinkedHashMap<>();

    static {
        for (Encryption e : Encryption.values()) {
            TOKENS.put(e.token, e);
        }
        TOKENS.put("aes128gcm", Encryption.AES_GCM_16_128); // strongSwan aliases
        TOKENS.put("aes256gcm", Encryption.AES_GCM_16_256);
        for (Integrity i : Integrity.values()) {
            TOKENS.put(i.token, i);
        }
        TOKENS.put("sha2_256", Integrity.HMAC_SHA2_256_128);
        TOKENS.put("sha2_384", Integrity.HMAC_SHA2_384_192);
        TOKENS.put("sha2_512", Integrity.HMAC_SHA2_512_256);
        for (Prf p : Prf.values()) {
            TOKENS.put(p.token, p);
        }
        for (DhGroup g : DhGroup.values()) {
            TOKENS.put(g.token, g);
        }
        TOKENS.put("curve25519", DhGroup.CURVE25519);
        for (Esn e : Esn.values()) {
            TOKENS.put(e.token, e);
        }
    }

    /** Every token we accept, for error messages and the docs. */
    public static String supportedTokens() {
        return String.join(", ", TOKENS.keySet());
    }

    /** Parses one proposal of the given kind; never throws for bad input. */
    public static Parsed parse(String text, Kind kind) {
        if (text == null || text.isBlank()) {
            return new Parsed(null, "empty proposal");
        }
        List<Encryption> enc = new ArrayList<>();
        List<Integrity> integ = new ArrayList<>();
        List<Prf> prf = new ArrayList<>();
        List<DhGroup> dh = new ArrayList<>();
        List<Esn> esn = new ArrayList<>();
        for (String raw : text.trim().toLowerCase(java.util.Locale.ROOT).split("-", -1)) {
            Object t = TOKENS.get(raw);
            if (t == null) {
                return new Parsed(null, "unknown algorithm '" + raw + "' in '" + text + "' (supported: "
                        + supportedTokens() + ")");
            }
            boolean fresh = t instanceof Encryption e ? addNew(enc, e)
                    : t instanceof Integrity i ? addNew(integ, i)
                    : t instanceof Prf p ? addNew(prf, p)
                    : t instanceof DhGroup g ? addNew(dh, g)
                    : addNew(esn, (Esn) t);
            if (!fresh) {
                return new Parsed(null, "'" + raw + "' listed twice in '" + text + "'");
            }
        }
        String problem = check(kind, enc, integ, prf, dh, esn);
        if (problem != null) {
            return new Parsed(null, problem + " in '" + text + "'");
        }
        if (kind == Kind.IKE && enc.get(0).aead) {
            for (Integrity i : integ) {      // strongSwan: integrity tokens of an AEAD IKE proposal name PRFs
                addNew(prf, i.prf);
            }
            integ.clear();
        } else if (kind == Kind.IKE && prf.isEmpty()) {
            for (Integrity i : integ) {
                addNew(prf, i.prf);
            }
        }
        return new Parsed(new Proposal(kind, enc, integ, prf, dh, esn), null);
    }

    private static String check(Kind kind, List<Encryption> enc, List<Integrity> integ, List<Prf> prf,
                                List<DhGroup> dh, List<Esn> esn) {
        if (kind == Kind.AH) {
            if (!enc.isEmpty()) {
                return "AH does not encrypt: no encryption algorithm allowed";
            }
            return integ.isEmpty() ? "an integrity algorithm is required" : prf.isEmpty() ? null
                    : "a PRF belongs in IKE proposals only";
        }
        if (enc.isEmpty()) {
            return "an encryption algorithm is required";
        }
        boolean aead = enc.get(0).aead;
        if (enc.stream().anyMatch(e -> e.aead != aead)) {
            return "AEAD and non-AEAD encryption cannot be mixed in one proposal (RFC 7296 §3.3)";
        }
        if (kind == Kind.IKE) {
            if (!esn.isEmpty()) {
                return "esn/noesn belong in ESP and AH proposals only";
            }
            if (dh.isEmpty()) {
                return "a key exchange method (DH group) is required";
            }
            if (aead && prf.isEmpty() && integ.isEmpty()) {
                return "an AEAD IKE proposal needs a PRF (e.g. prfsha256)";
            }
            if (!aead && integ.isEmpty()) {
                return "an integrity algorithm is required with " + enc.get(0).token;
            }
            return null;
        }
        if (!prf.isEmpty()) {
            return "a PRF belongs in IKE proposals only";
        }
        if (aead && !integ.isEmpty()) {
            return "an AEAD algorithm takes no separate integrity algorithm";
        }
        if (!aead && integ.isEmpty()) {
            return "an integrity algorithm is required with " + enc.get(0).token;
        }
        return null;
    }

    private static <T> boolean addNew(List<T> list, T t) {
        if (list.contains(t)) {
            return false;
        }
        list.add(t);
        return true;
    }

    /** Canonical strongSwan form, e.g. {@code aes128gcm16-prfsha256-x25519}. */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner("-");
        encryption.forEach(e -> j.add(e.token));
        integrity.forEach(i -> j.add(i.token));
        prf.forEach(p -> j.add(p.token));
        dhGroups.forEach(g -> j.add(g.token));
        esn.forEach(e -> j.add(e.token));
        return j.toString();
    }
}
