package net.edgegw.appliance.ike.message;

/** Auth Method of the AUTH payload (RFC 7296 §3.8, RFC 4754, RFC 7427). */
public enum AuthMethod implements WireEnum {
    RSA_SIG(1),
    SHARED_KEY_MIC(2),
    DSS_SIG(3),
    ECDSA_SHA256_P256(9),
    ECDSA_SHA384_P384(10),
    ECDSA_SHA512_P521(11),
    GENERIC_SECURE_PASSWORD(12),
    NULL_AUTH(13),
    DIGITAL_SIGNATURE(14),
    /** Any value this implementation does not know; never sent. */
    UNKNOWN(-1);

    private static final AuthMethod[] VALUES = values();
    private final int value;

    AuthMethod(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    /** The constant for a wire value, {@link #UNKNOWN} when there is none. */
    public static AuthMethod of(int value) {
        return WireEnum.lookup(VALUES, value, UNKNOWN);
    }
}
