package net.edgegw.appliance.ike.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * AUTH payload signatures: RFC 7427 Digital Signature (auth method 14) — {@code AUTH data = ASN.1 length (1 octet)
 * | AlgorithmIdentifier (DER) | signature} — for RSA PKCS#1 v1.5 with SHA-2, RSASSA-PSS with SHA-256, ECDSA with
 * SHA-2 (DER Ecdsa-Sig-Value) and Ed25519; and, for older peers, RSA with SHA-1 (method 1, verify only) and
 * ECDSA with raw {@code r | s} on the matching curve (methods 9/10/11, RFC 4754).
 *
 * <p>{@link #verify} returns false, never throws, for a bad or malformed signature: that is peer input. The
 * AlgorithmIdentifier encoding comes from Bouncy Castle; the signatures from the JDK.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7427#section-3">RFC 7427 §3</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4754#section-7">RFC 4754 §7</a>
 */
public final class Signatures {
    // RFC 7427 §4 / IANA "IKEv2 Hash Algorithms": values of the SIGNATURE_HASH_ALGORITHMS notify.
    public static final int HASH_SHA1 = 1;
    public static final int HASH_SHA256 = 2;
    public static final int HASH_SHA384 = 3;
    public static final int HASH_SHA512 = 4;
    public static final int HASH_IDENTITY = 5; // RFC 8420, for EdDSA
    /** Notify Message Type of SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4). */
    public static final int SIGNATURE_HASH_ALGORITHMS_NOTIFY = 16431;

    // hashPreference values for sign(): a hash name, or PSS for RSASSA-PSS with SHA-256.
    public static final String SHA256 = "SHA256";
    public static final String SHA384 = "SHA384";
    public static final String SHA512 = "SHA512";
    public static final String RSASSA_PSS = "RSASSA-PSS";
    public static final String IDENTITY = "IDENTITY";

    private static final int PSS_SALT_LEN = 32; // the SHA-256 output length, as strongSwan and RFC 8017 §9.1 advise

    /** The hash IDs we accept in method 14, in the notify we send (RFC 7427 §4); SHA-1 is not offered (RFC 8247). */
    private static final int[] OUR_HASHES = {HASH_SHA256, HASH_SHA384, HASH_SHA512, HASH_IDENTITY};

    private Signatures() {}

    /**
     * Signs {@code octets} (the RFC 7296 §2.15 signed octets) as AUTH method 14.
     *
     * @param hashPreference {@link #SHA256}, {@link #SHA384}, {@link #SHA512}, or {@link #RSASSA_PSS} (RSA keys
     *                       only); ignored for Ed25519, which always signs the octets themselves
     * @return the AUTH payload's Authentication Data
     * @throws IllegalArgumentException for a key type or preference we don't support
     */
    public static byte[] sign(PrivateKey key, byte[] octets, String hashPreference) {
        Scheme s = Scheme.forSigning(key, hashPreference);
        byte[] algId = s.algorithmIdentifier();
        byte[] sig;
        try {
            sig = s.sign(key, octets);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with " + key.getAlgorithm() + " and " + s, e);
        }
        byte[] out = new byte[1 + algId.length + sig.length];
        out[0] = (byte) algId.length;
        System.arraycopy(algId, 0, out, 1, algId.length);
        System.arraycopy(sig, 0, out, 1 + algId.length, sig.length);
        return out;
    }

    /**
     * Signs with a classic method: 9/10/11 (ECDSA with SHA-256/384/512 on P-256/384/521, raw {@code r | s}).
     * Method 1 is not offered for signing (SHA-1).
     */
    public static byte[] signClassic(PrivateKey key, int authMethod, byte[] octets) {
        String alg = classicAlgorithm(key, authMethod);
        if (alg == null || authMethod == Auth.RSA_DIGITAL_SIGNATURE) {
            throw new IllegalArgumentException("cannot sign auth method " + authMethod + " with " + key.getAlgorithm());
        }
        try {
            Signature sig = Signature.getInstance(alg);
            sig.initSign(key);
            sig.update(octets);
            return sig.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign auth method " + authMethod, e);
        }
    }

    /**
     * Checks a received AUTH payload (auth method and Authentication Data) against {@code octets}.
     *
     * @return true only for a valid signature by {@code key} with an algorithm we accept; false for anything else
     */
    public static boolean verify(PublicKey key, int authMethod, byte[] authData, byte[] octets) {
        if (key == null || authData == null || octets == null) {
            return false;
        }
        try {
            if (authMethod == Auth.DIGITAL_SIGNATURE) {
                int algLen = authData.length == 0 ? -1 : authData[0] & 0xff;
                if (algLen <= 0 || 1 + algLen >= authData.length) {
                    return false;
                }
                byte[] algId = Arrays.copyOfRange(authData, 1, 1 + algLen);
                Scheme s = Scheme.fromAlgorithmIdentifier(algId);
                if (s == null || !s.fits(key)) {
                    return false;
                }
                byte[] sig = Arrays.copyOfRange(authData, 1 + algLen, authData.length);
                return s.verify(key, octets, sig, algId);
            }
            String alg = classicAlgorithm(key, authMethod);
            if (alg == null) {
                return false;
            }
            Signature v = Signature.getInstance(alg);
            v.initVerify(key);
            v.update(octets);
            return v.verify(authData);
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return false; // malformed DER, wrong key type, ...: a bad signature
        }
    }

    /** Our SIGNATURE_HASH_ALGORITHMS notify data: 2-octet hash IDs (RFC 7427 §4). */
    public static byte[] hashAlgorithmsNotifyData() {
        byte[] out = new byte[2 * OUR_HASHES.length];
        for (int i = 0; i < OUR_HASHES.length; i++) {
            out[2 * i + 1] = (byte) OUR_HASHES[i];
        }
        return out;
    }

    /** The hash IDs in a received SIGNATURE_HASH_ALGORITHMS notify; an odd trailing octet is ignored. */
    public static int[] parseHashAlgorithms(byte[] notifyData) {
        int[] out = new int[notifyData.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (notifyData[2 * i] & 0xff) << 8 | notifyData[2 * i + 1] & 0xff;
        }
        return out;
    }

    /**
     * The {@code hashPreference} to sign with for a peer that announced {@code peerHashes}: for Ed25519
     * {@link #IDENTITY} if announced, otherwise the first of SHA-256, SHA-384, SHA-512 the peer announced;
     * null when there is none in common (then method 14 must not be used, RFC 7427 §4).
     */
    public static String preferredHash(PrivateKey key, int[] peerHashes) {
        boolean ed = key instanceof EdECKey;
        int[] order = ed ? new int[] {HASH_IDENTITY} : new int[] {HASH_SHA256, HASH_SHA384, HASH_SHA512};
        for (int want : order) {
            for (int h : peerHashes) {
                if (h == want) {
                    return switch (want) {
                        case HASH_IDENTITY -> IDENTITY;
                        case HASH_SHA256 -> SHA256;
                        case HASH_SHA384 -> SHA384;
                        default -> SHA512;
                    };
                }
            }
        }
        return null;
    }

    /** JDK algorithm for the classic methods, or null if {@code key} cannot have made one. */
    private static String classicAlgorithm(Key key, int authMethod) {
        return switch (authMethod) {
            case Auth.RSA_DIGITAL_SIGNATURE -> key instanceof RSAKey ? "SHA1withRSA" : null;
            case Auth.ECDSA_SHA256_P256 -> curveBits(key) == 256 ? "SHA256withECDSAinP1363Format" : null;
            case Auth.ECDSA_SHA384_P384 -> curveBits(key) == 384 ? "SHA384withECDSAinP1363Format" : null;
            case Auth.ECDSA_SHA512_P521 -> curveBits(key) == 521 ? "SHA512withECDSAinP1363Format" : null;
            default -> null;
        };
    }

    private static int curveBits(Key key) {
        return key instanceof ECKey ec ? ec.getParams().getCurve().getField().getFieldSize() : -1;
    }

    /** One method-14 signature algorithm: its AlgorithmIdentifier, JDK name and key type. */
    private enum Scheme {
        RSA_SHA256(PKCSObjectIdentifiers.sha256WithRSAEncryption, "SHA256withRSA"),
        RSA_SHA384(PKCSObjectIdentifiers.sha384WithRSAEncryption, "SHA384withRSA"),
        RSA_SHA512(PKCSObjectIdentifiers.sha512WithRSAEncryption, "SHA512withRSA"),
        RSA_PSS(PKCSObjectIdentifiers.id_RSASSA_PSS, "RSASSA-PSS"),
        ECDSA_SHA256(X9ObjectIdentifiers.ecdsa_with_SHA256, "SHA256withECDSA"),
        ECDSA_SHA384(X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA384withECDSA"),
        ECDSA_SHA512(X9ObjectIdentifiers.ecdsa_with_SHA512, "SHA512withECDSA"),
        ED25519(EdECObjectIdentifiers.id_Ed25519, "Ed25519");

        final ASN1ObjectIdentifier oid;
        final String jdkName;

        Scheme(ASN1ObjectIdentifier oid, String jdkName) {
            this.oid = oid;
            this.jdkName = jdkName;
        }

        static Scheme forSigning(PrivateKey key, String hashPreference) {
            String pref = hashPreference == null ? SHA256 : hashPreference.toUpperCase(Locale.ROOT).replace("-", "");
            if (key instanceof EdECKey) {
                return ED25519;
            }
            if (key instanceof RSAKey) {
                return switch (pref) {
                    case "SHA256" -> RSA_SHA256;
                    case "SHA384" -> RSA_SHA384;
                    case "SHA512" -> RSA_SHA512;
                    case "RSASSAPSS", "PSS" -> RSA_PSS;
                    default -> throw new IllegalArgumentException("hash preference " + hashPreference + " for RSA");
                };
            }
            if (key instanceof ECKey) {
                return switch (pref) {
                    case "SHA256" -> ECDSA_SHA256;
                    case "SHA384" -> ECDSA_SHA384;
                    case "SHA512" -> ECDSA_SHA512;
                    default -> throw new IllegalArgumentException("hash preference " + hashPreference + " for ECDSA");
                };
            }
            throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm());
        }

        /** Matches on the OID; PSS parameters are read from the encoding, other parameters must be absent/NULL. */
        static Scheme fromAlgorithmIdentifier(byte[] der) throws IOException {
            AlgorithmIdentifier ai = AlgorithmIdentifier.getInstance(ASN1Primitive.fromByteArray(der));
            for (Scheme s : values()) {
                if (s.oid.equals(ai.getAlgorithm())) {
                    return s;
                }
            }
            return null;
        }

        boolean fits(Key key) {
            return switch (this) {
                case ED25519 -> key instanceof EdECKey;
                case ECDSA_SHA256, ECDSA_SHA384, ECDSA_SHA512 -> key instanceof ECKey;
                default -> key instanceof RSAKey;
            };
        }

        byte[] algorithmIdentifier() {
            AlgorithmIdentifier ai = switch (this) {
                // RFC 7427 Appendix A: PKCS#1 v1.5 identifiers carry NULL parameters, ECDSA and EdDSA none.
                case RSA_SHA256, RSA_SHA384, RSA_SHA512 -> new AlgorithmIdentifier(oid, DERNull.INSTANCE);
                case RSA_PSS -> {
                    AlgorithmIdentifier sha256 =
                            new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE);
                    yield new AlgorithmIdentifier(oid, new RSASSAPSSparams(sha256,
                            new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, sha256),
                            new ASN1Integer(PSS_SALT_LEN), RSASSAPSSparams.DEFAULT_TRAILER_FIELD));
                }
                default -> new AlgorithmIdentifier(oid);
            };
            try {
                return ai.getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        byte[] sign(PrivateKey key, byte[] octets) throws GeneralSecurityException {
            Signature s = Signature.getInstance(jdkName);
            s.initSign(key);
            if (this == RSA_PSS) {
                s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSS_SALT_LEN,
                        PSSParameterSpec.TRAILER_FIELD_BC));
            }
            s.update(octets);
            return s.sign();
        }

        boolean verify(PublicKey key, byte[] octets, byte[] sig, byte[] algId) throws GeneralSecurityException,
                IOException {
            Signature s = Signature.getInstance(jdkName);
            s.initVerify(key);
            if (this == RSA_PSS) {
                s.setParameter(pssFromDer(algId));
            }
            s.update(octets);
            return s.verify(sig);
        }

        /** The PSS parameters the peer states (RFC 7427 lets it choose hash, MGF1 hash and salt length). */
        private static PSSParameterSpec pssFromDer(byte[] algId) throws IOException {
            AlgorithmIdentifier ai = AlgorithmIdentifier.getInstance(ASN1Primitive.fromByteArray(algId));
            RSASSAPSSparams p = RSASSAPSSparams.getInstance(ai.getParameters());
            String hash = jdkHash(p.getHashAlgorithm().getAlgorithm());
            AlgorithmIdentifier mgf = p.getMaskGenAlgorithm();
            if (!PKCSObjectIdentifiers.id_mgf1.equals(mgf.getAlgorithm())) {
                throw new IOException("PSS mask generation " + mgf.getAlgorithm());
            }
            String mgfHash = jdkHash(AlgorithmIdentifier.getInstance(mgf.getParameters()).getAlgorithm());
            return new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(mgfHash), p.getSaltLength().intValueExact(),
                    p.getTrailerField().intValueExact());
        }

        private static String jdkHash(ASN1ObjectIdentifier oid) throws IOException {
            if (NISTObjectIdentifiers.id_sha256.equals(oid)) {
                return "SHA-256";
            } else if (NISTObjectIdentifiers.id_sha384.equals(oid)) {
                return "SHA-384";
            } else if (NISTObjectIdentifiers.id_sha512.equals(oid)) {
                return "SHA-512";
            }
            throw new IOException("PSS hash " + oid + " not accepted"); // SHA-1 included (RFC 8247)
        }
    }

    /** For tests and logs: the method-14 AlgorithmIdentifier DER we send for a preference and key type. */
    static String algorithmIdentifierHex(PrivateKey key, String hashPreference) {
        return HexFormat.of().formatHex(Scheme.forSigning(key, hashPreference).algorithmIdentifier());
    }
}
