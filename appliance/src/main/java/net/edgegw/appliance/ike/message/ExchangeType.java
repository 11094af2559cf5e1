package net.edgegw.appliance.ike.message;

/** Exchange Type of the IKE header (RFC 7296 §3.1). */
public enum ExchangeType implements WireEnum {
    IKE_SA_INIT(34),
    IKE_AUTH(35),
    CREATE_CHILD_SA(36),
    INFORMATIONAL(37),
    /** Any value this implementation does not know; never sent. */
    UNKNOWN(-1);

    private static final ExchangeType[] VALUES = values();
    private final int value;

    ExchangeType(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    /** The constant for a wire value, {@link #UNKNOWN} when there is none. */
    public static ExchangeType of(int value) {
        return WireEnum.lookup(VALUES, value, UNKNOWN);
    }
}
