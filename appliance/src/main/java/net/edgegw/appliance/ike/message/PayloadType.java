package net.edgegw.appliance.ike.message;

/** Next Payload values (RFC 7296 §3.2, RFC 7383 §2.5 for SKF). NONE ends a chain. */
public enum PayloadType implements WireEnum {
    NONE(0),
    SA(33),
    KE(34),
    IDI(35),
    IDR(36),
    CERT(37),
    CERTREQ(38),
    AUTH(39),
    NONCE(40),
    NOTIFY(41),
    DELETE(42),
    VENDOR_ID(43),
    TSI(44),
    TSR(45),
    SK(46),
    CP(47),
    EAP(48),
    SKF(53),
    /** Any value this implementation does not know; never sent. */
    UNKNOWN(-1);

    private static final PayloadType[] VALUES = values();
    private final int value;

    PayloadType(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    /** The constant for a wire value, {@link #UNKNOWN} when there is none. */
    public static PayloadType of(int value) {
        return WireEnum.lookup(VALUES, value, UNKNOWN);
    }
}
