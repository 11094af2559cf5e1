package net.edgegw.appliance.ike.message;

/** Identification type of IDi/IDr (RFC 7296 §3.5). */
public enum IdType implements WireEnum {
    IPV4_ADDR(1),
    FQDN(2),
    RFC822_ADDR(3),
    IPV6_ADDR(5),
    DER_ASN1_DN(9),
    DER_ASN1_GN(10),
    KEY_ID(11),
    /** Any value this implementation does not know; never sent. */
    UNKNOWN(-1);

    private static final IdType[] VALUES = values();
    private final int value;

    IdType(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    /** The constant for a wire value, {@link #UNKNOWN} when there is none. */
    public static IdType of(int value) {
        return WireEnum.lookup(VALUES, value, UNKNOWN);
    }
}
