package net.edgegw.appliance.ike.message;

/** Transform Type of an SA transform substructure (RFC 7296 §3.3.2). */
public enum TransformType implements WireEnum {
    ENCR(1),
    PRF(2),
    INTEG(3),
    DH(4),
    ESN(5),
    /** Any value this implementation does not know; never sent. */
    UNKNOWN(-1);

    private static final TransformType[] VALUES = values();
    private final int value;

    TransformType(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    /** The constant for a wire value, {@link #UNKNOWN} when there is none. */
    public static TransformType of(int value) {
        return WireEnum.lookup(VALUES, value, UNKNOWN);
    }
}
