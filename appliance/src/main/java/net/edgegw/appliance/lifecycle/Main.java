package net.edgegw.appliance.lifecycle;

import net.edgegw.dataplane.selfcheck.SelfCheck;

/**
 * The appliance entry point. Today it runs the data-plane self-check; the daemon (H2 config store, IKEv2, admin
 * UI on https://127.0.0.1:8443 with first-boot setup) is built on top of this by the issues that follow.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        boolean ok = SelfCheck.run(System.out, 50_000);
        System.out.println(ok ? "edgegw: data plane ready" : "edgegw: data plane self-check FAILED");
        System.exit(ok ? 0 : 1);
    }
}
