package net.edgegw.mgmt.port;

/**
 * One item that differs between a revision and the one before it.
 *
 * @param before the item before, {@code null} when added
 * @param after  the item after, {@code null} when removed
 */
public record DiffEntry(ConfigItem.Kind kind, String name, ConfigItem before, ConfigItem after) {
    public String change() {
        return before == null ? "added" : after == null ? "removed" : "changed";
    }
}
