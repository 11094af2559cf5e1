package net.edgegw.mgmt.port;

/** Everything the management server reaches in the appliance, through narrow interfaces. */
public interface Backend {
    ConfigStore config();

    StatusSource status();

    UserDirectory users();

    AuditLog audit();

    /** The recent log records; none by default. */
    default LogSource logs() {
        return LogSource.NONE;
    }

    /** Diagnostics (ping through a tunnel); no connection is known by default. */
    default Diagnostics diagnostics() {
        return Diagnostics.NONE;
    }
}
