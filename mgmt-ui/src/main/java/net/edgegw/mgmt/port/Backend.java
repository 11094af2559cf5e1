package net.edgegw.mgmt.port;

/** Everything the management server reaches in the appliance, through narrow interfaces. */
public interface Backend {
    ConfigStore config();

    StatusSource status();

    UserDirectory users();

    AuditLog audit();

    /** The configuration's certificates; none unless the backend keeps them. */
    default CertificateStore certificates() {
        return CertificateStore.NONE;
    }

    /** The appliance-wide settings; defaults, not changeable, unless the backend keeps them. */
    default SettingsStore settings() {
        return SettingsStore.NONE;
    }

    /** The recent log records; none by default. */
    default LogSource logs() {
        return LogSource.NONE;
    }

    /** Diagnostics (ping through a tunnel); no connection is known by default. */
    default Diagnostics diagnostics() {
        return Diagnostics.NONE;
    }

    /** The running system: version, A/B slots, hardware profile, firmware updates, reboot. */
    default SystemControl system() {
        return SystemControl.UNAVAILABLE;
    }
}
