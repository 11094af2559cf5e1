package net.edgegw.appliance.ike.message;

/** Protocol ID of proposals, notifies and deletes (RFC 7296 §3.3.1); NONE for notifies about no SA. */
public enum ProtocolId implements WireEnum {
    NONE(0),
    IKE(1),
    AH(2),
    ESP(3),
    /** Any value this implementation does not know; never sent. */
    UNKNOWN(-1);

    private static final ProtocolId[] VALUES = values();
    private final int value;

    ProtocolId(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    /** The constant for a wire value, {@link #UNKNOWN} when there is none. */
    public static ProtocolId of(int value) {
        return WireEnum.lookup(VALUES, value, UNKNOWN);
    }
}
