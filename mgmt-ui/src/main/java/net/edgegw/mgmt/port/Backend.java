package net.edgegw.mgmt.port;

/** Everything the management server reaches in the appliance, through four narrow interfaces. */
public interface Backend {
    ConfigStore config();

    StatusSource status();

    UserDirectory users();

    AuditLog audit();

    /** The running system: version, A/B slots, hardware profile, firmware updates, reboot. */
    default SystemControl system() {
        return SystemControl.UNAVAILABLE;
    }
}
