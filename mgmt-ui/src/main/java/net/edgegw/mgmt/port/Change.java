package net.edgegw.mgmt.port;

import java.util.Objects;

/**
 * One change inside a configuration transaction: put (create or replace) an item, or delete one by name.
 *
 * @param item the new item for {@link Op#PUT}, {@code null} for {@link Op#DELETE}
 */
public record Change(Op op, ConfigItem.Kind kind, String name, ConfigItem item) {
    public enum Op { PUT, DELETE }

    public Change {
        Objects.requireNonNull(op);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(name);
        if ((op == Op.PUT) != (item != null) || (item != null && (item.kind() != kind || !item.name().equals(name)))) {
            throw new IllegalArgumentException("change " + op + " " + kind + " " + name + " does not match its item");
        }
    }

    public static Change put(ConfigItem item) {
        return new Change(Op.PUT, item.kind(), item.name(), item);
    }

    public static Change delete(ConfigItem.Kind kind, String name) {
        return new Change(Op.DELETE, kind, name, null);
    }
}
