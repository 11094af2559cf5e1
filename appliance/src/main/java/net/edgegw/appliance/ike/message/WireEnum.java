package net.edgegw.appliance.ike.message;

/** A wire enum: a registry value with {@code value()}, found by {@code of(int)}, unknown codes map to UNKNOWN. */
public interface WireEnum {
    int value();

    /** The constant of {@code values} whose wire value is {@code value}, else {@code unknown}. */
    static <E extends WireEnum> E lookup(E[] values, int value, E unknown) {
        for (E e : values) {
            if (e.value() == value) {
                return e;
            }
        }
        return unknown;
    }
}
