package net.edgegw.mgmt.port;

/**
 * The whole configuration as one YAML document (the appliance's CONFIG.md format): exported without secrets,
 * loaded back as one validated revision or refused with every problem and nothing changed.
 */
public interface ConfigDocuments {
    /** How a loaded document meets the current configuration. */
    enum Mode {
        /** The document is the new configuration: what it leaves out is removed (keeping the stored secrets of
         * peers and certificates it names without them). */
        REPLACE,
        /** The items the document names replace those of the same name (or are added); the rest stays. */
        MERGE
    }

    /** The committed configuration as YAML, secrets left out. */
    String export(String author, String source);

    CommitResult load(String yaml, Mode mode, String author, String source);
}
