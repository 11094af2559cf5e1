package net.edgegw.mgmt.port;

import java.util.Objects;

/**
 * One change inside a configuration transaction. The store checks each against the state the transaction has
 * built so far, atomically: {@link Op#CREATE} needs the name free, {@link Op#REPLACE} and {@link Op#DELETE} need it
 * taken; otherwise the whole transaction is rejected with a {@link Problem} for that item.
 *
 * @param item the new item for CREATE and REPLACE, {@code null} for DELETE
 */
public record Change(Op op, ConfigItem.Kind kind, String name, ConfigItem item) {
    public enum Op { CREATE, REPLACE, DELETE }

    public Change {
        Objects.requireNonNull(op);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(name);
        boolean matches = item == null ? op == Op.DELETE
                : op != Op.DELETE && item.kind() == kind && item.name().equals(name);
        if (!matches) {
            throw new IllegalArgumentException("change " + op + " " + kind + " " + name + " does not match its item");
        }
    }

    public static Change create(ConfigItem item) {
        return new Change(Op.CREATE, item.kind(), item.name(), item);
    }

    public static Change replace(ConfigItem item) {
        return new Change(Op.REPLACE, item.kind(), item.name(), item);
    }

    public static Change delete(ConfigItem.Kind kind, String name) {
        return new Change(Op.DELETE, kind, name, null);
    }
}
