package net.edgegw.dataplane.sa;

/** The control plane's ear on SA events; called from the housekeeping thread, never from a packet worker. */
@FunctionalInterface
public interface SaEventListener {
    void onSaEvent(SecurityAssociation sa, SaEvent event);
}
