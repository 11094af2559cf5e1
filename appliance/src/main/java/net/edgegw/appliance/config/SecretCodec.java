package net.edgegw.appliance.config;

/**
 * How {@link ConfigYaml} writes and reads {@link Secret}s: left out, sealed with the device key (the store's
 * codec), or, for tests and hand-written import files, as plain text on the way in.
 */
public interface SecretCodec {

    /** The secret as the document carries it, or null to leave the field out. */
    String encode(Secret secret);

    /** The secret from the document's text, or null if it cannot be read (e.g. sealed with another key). */
    Secret decode(String text);

    /** Leaves secrets out of documents; reads plain-text secrets. */
    SecretCodec OMIT = new SecretCodec() {
        @Override
        public String encode(Secret secret) {
            return null;
        }

        @Override
        public Secret decode(String text) {
            return Secret.of(text);
        }
    };
}
