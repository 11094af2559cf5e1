package net.edgegw.appliance.lifecycle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The daemon's command line, each option with its environment variable (the option wins): defaults are the
 * embedded ones, data in {@code ./data} and the admin panel on https://127.0.0.1:8443.
 *
 * @param apply              a YAML configuration to commit at start (zero-touch provisioning), or null
 * @param adminPasswordFile  the first admin's password, read at a first start only, or null (setup token)
 * @param ikeBind            our IKE (and ESP-in-UDP) address, or null: the source address of the route to the first
 *                           connection's peer
 * @param dataPlane          false ({@code --data-plane off}): never run tunnels, even as root (panel and API only)
 */
public record DaemonOptions(Path dataDir, String mgmtBind, int mgmtPort, LogFormat logFormat, Path apply,
                            Path adminPasswordFile, boolean version, String ikeBind, boolean dataPlane) {

    /** The options of a daemon that runs its data plane when it can, with the IKE address found by route. */
    public DaemonOptions(Path dataDir, String mgmtBind, int mgmtPort, LogFormat logFormat, Path apply,
                         Path adminPasswordFile, boolean version) {
        this(dataDir, mgmtBind, mgmtPort, logFormat, apply, adminPasswordFile, version, null, true);
    }

    public enum LogFormat { TEXT, JSON }

    static final String USAGE = """
            usage: run.sh [options]                 the appliance daemon (config store, reconciler, admin panel)
                   run.sh selfcheck                 data-plane self-check only
                   run.sh gateway <config>          the manually keyed gateway (root)
                   run.sh ike <config>              the IKEv2-keyed gateway with one PSK peer (root)
            options (environment variable in brackets):
              --data-dir DIR                 configuration store, device key, TLS key [EDGEGW_DATA_DIR] (./data)
              --mgmt-bind ADDR               admin panel address [EDGEGW_MGMT_BIND] (127.0.0.1)
              --mgmt-port PORT               admin panel port, 0 = any free one [EDGEGW_MGMT_PORT] (8443)
              --log-format text|json         log lines on stderr [EDGEGW_LOG_FORMAT] (text)
              --apply FILE                   commit this YAML configuration at start, as a validated revision
                                             [EDGEGW_APPLY]
              --admin-password-file FILE     first admin's password at a first start, instead of the setup
                                             token [EDGEGW_ADMIN_PASSWORD_FILE]; a clear password or an
                                             Argon2id hash; env EDGEGW_API_TOKEN_FILE adds an admin API
                                             token (egw_...) for automation at that first start
              --ike-bind ADDR                our IKE address (UDP 500/4500, ESP in UDP) [EDGEGW_IKE_BIND]
                                             (the source address of the route to the first peer)
              --data-plane auto|off          run tunnels when root and /dev/net/tun allow it, or never
                                             [EDGEGW_DATA_PLANE] (auto)
              --version                      print the version and exit
              --help                         this text""";

    /** Parsed options, or every problem with the command line. */
    public record Parsed(DaemonOptions options, List<String> problems) {}

    public static Parsed parse(String[] args, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        String dataDir = env.getOrDefault("EDGEGW_DATA_DIR", "data");
        String bind = env.getOrDefault("EDGEGW_MGMT_BIND", "127.0.0.1");
        String port = env.getOrDefault("EDGEGW_MGMT_PORT", "8443");
        String format = env.getOrDefault("EDGEGW_LOG_FORMAT", "text");
        String apply = env.get("EDGEGW_APPLY");
        String password = env.get("EDGEGW_ADMIN_PASSWORD_FILE");
        String ikeBind = env.get("EDGEGW_IKE_BIND");
        String dataPlane = env.getOrDefault("EDGEGW_DATA_PLANE", "auto");
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (name.equals("--version")) {
                version = true;
                continue;
            }
            String value;
            if (a.contains("=")) {
                value = a.substring(a.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                problems.add(a + ": needs a value");
                continue;
            }
            switch (name) {
                case "--data-dir" -> dataDir = value;
                case "--mgmt-bind" -> bind = value;
                case "--mgmt-port" -> port = value;
                case "--log-format" -> format = value;
                case "--apply" -> apply = value;
                case "--admin-password-file" -> password = value;
                case "--ike-bind" -> ikeBind = value;
                case "--data-plane" -> dataPlane = value;
                default -> problems.add(a + ": unknown option");
            }
        }
        int p = -1;
        try {
            p = Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            // reported below
        }
        if (p < 0 || p > 65_535) {
            problems.add("--mgmt-port: " + port + " is not a port number (0..65535)");
        }
        Optional<LogFormat> f = switch (format) {
            case "text" -> Optional.of(LogFormat.TEXT);
            case "json" -> Optional.of(LogFormat.JSON);
            default -> Optional.empty();
        };
        if (f.isEmpty()) {
            problems.add("--log-format: " + format + " is neither text nor json");
        }
        if (dataDir.isBlank()) {
            problems.add("--data-dir: empty");
        }
        if (bind.isBlank()) {
            problems.add("--mgmt-bind: empty");
        }
        if (!dataPlane.equals("auto") && !dataPlane.equals("off")) {
            problems.add("--data-plane: " + dataPlane + " is neither auto nor off");
        }
        if (ikeBind != null && !ikeBind.isEmpty()) {
            try {
                net.edgegw.dataplane.spd.TrafficSelector.parseAddress(ikeBind);
            } catch (IllegalArgumentException e) {
                problems.add("--ike-bind: " + ikeBind + " is not an IP address");
            }
        }
        DaemonOptions o = new DaemonOptions(Path.of(dataDir), bind, p, f.orElse(LogFormat.TEXT),
                apply == null || apply.isEmpty() ? null : Path.of(apply),
                password == null || password.isEmpty() ? null : Path.of(password), version,
                ikeBind == null || ikeBind.isEmpty() ? null : ikeBind, !dataPlane.equals("off"));
        return new Parsed(o, problems);
    }
}
