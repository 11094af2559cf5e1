package net.edgegw.appliance.store;

/**
 * The store cannot do its job: the data directory is in use, the device key is missing, unsafe or does not match,
 * the schema is newer than this build, or H2 failed. Invalid configurations never throw; they come back as
 * problems in an {@link Outcome}.
 */
public final class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
