package net.edgegw.appliance.ike.message;

/** CFG Type of the Configuration payload (RFC 7296 §3.15). */
public enum CfgType implements WireEnum {
    REQUEST(1),
    REPLY(2),
    SET(3),
    ACK(4),
    /** Any value this implementation does not know; never sent. */
    UNKNOWN(-1);

    private static final CfgType[] VALUES = values();
    private final int value;

    CfgType(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    /** The constant for a wire value, {@link #UNKNOWN} when there is none. */
    public static CfgType of(int value) {
        return WireEnum.lookup(VALUES, value, UNKNOWN);
    }
}
