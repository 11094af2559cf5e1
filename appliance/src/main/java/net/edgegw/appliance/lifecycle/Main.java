package net.edgegw.appliance.lifecycle;

import java.util.Arrays;
import net.edgegw.dataplane.gateway.GatewayMain;
import net.edgegw.dataplane.selfcheck.SelfCheck;

/**
 * The appliance entry point. Without arguments it runs the data-plane self-check; {@code gateway <config>} starts
 * the manually keyed gateway (TUN + ESP over UDP/raw sockets), {@code ike <config>} the gateway keyed by IKEv2
 * with one PSK peer ({@link IkeGatewayConfig}). The daemon (H2 config store, IKEv2, admin UI on
 * https://127.0.0.1:8443 with first-boot setup) is built on top of this by the issues that follow.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("ike")) {
            IkeGateway.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("gateway")) {
            GatewayMain.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0) {
            System.err.println("usage: run.sh                      data-plane self-check\n"
                    + "       run.sh gateway <config>     start the manually keyed gateway (root)\n"
                    + "       run.sh ike <config>         start the IKEv2-keyed gateway (root; IkeGatewayConfig)");
            System.exit(2);
        }
        boolean ok = SelfCheck.run(System.out, 50_000);
        System.out.println(ok ? "edgegw: data plane ready" : "edgegw: data plane self-check FAILED");
        System.exit(ok ? 0 : 1);
    }
}
