package net.edgegw.mgmt.api;

import io.vertx.core.json.JsonObject;
import net.edgegw.mgmt.port.ConfigItem;
import net.edgegw.mgmt.port.ConfigStore;

/** JSON form and validation of one kind of config item. */
interface ItemCodec<T extends ConfigItem> {
    ConfigItem.Kind kind();

    /**
     * Reads an item named {@code name} from {@code fields}, recording every bad field; the result is meaningful
     * only if no problem was recorded. {@code store} answers cross-item checks (e.g. overlapping networks).
     */
    T decode(String name, Fields fields, ConfigStore store);

    JsonObject encode(T item);
}
