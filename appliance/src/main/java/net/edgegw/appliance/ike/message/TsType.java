package net.edgegw.appliance.ike.message;

/** Traffic selector type (RFC 7296 §3.13.1). */
public enum TsType implements WireEnum {
    IPV4_ADDR_RANGE(7),
    IPV6_ADDR_RANGE(8),
    /** Any value this implementation does not know; never sent. */
    UNKNOWN(-1);

    private static final TsType[] VALUES = values();
    private final int value;

    TsType(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    /** The constant for a wire value, {@link #UNKNOWN} when there is none. */
    public static TsType of(int value) {
        return WireEnum.lookup(VALUES, value, UNKNOWN);
    }
}
