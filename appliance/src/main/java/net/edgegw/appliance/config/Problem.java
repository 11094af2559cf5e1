package net.edgegw.appliance.config;

/**
 * One thing wrong with a configuration or an import file: the field it concerns, as a path such as
 * {@code connections[web].remoteClusters[0]} (entities by name, list items by index), and what is wrong with it.
 * Validation collects every problem it finds instead of stopping at the first.
 */
public record Problem(String field, String message) {

    @Override
    public String toString() {
        return field.isEmpty() ? message : field + ": " + message;
    }
}
