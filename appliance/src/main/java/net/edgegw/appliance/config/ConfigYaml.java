package net.edgegw.appliance.config;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The configuration as a YAML document (schema in appliance/CONFIG.md): what export and import speak and what each
 * store revision holds. Reading reports every problem with its field path and never throws for bad input; writing
 * is canonical (fixed key order, every field), so equal configs give equal text.
 */
public final class ConfigYaml {

    /** The document schema version written and the only one read. */
    public static final int SCHEMA_VERSION = 1;
    // Our own limits on an import file.
    static final int MAX_DOCUMENT_CHARS = 4 * 1024 * 1024;
    static final int MAX_ALIASES = 50;

    private ConfigYaml() {}

    /**
     * A config read from YAML, or the problems that kept it from being read (never both). {@code partial} is what
     * could be read with defaults in place of the bad fields (null if the document is not even a mapping): only
     * for finding further problems, never for use.
     */
    public record Read(Config config, List<Problem> problems, Config partial) {
        Read(Config config, List<Problem> problems) {
            this(config, problems, config);
        }

        public boolean ok() {
            return config != null;
        }
    }

    // ---------------------------------------------------------------- writing

    public static String write(Config c, SecretCodec secrets) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", SCHEMA_VERSION);
        doc.put("clusters", map(c.clusters(), ConfigYaml::cluster));
        doc.put("peers", map(c.peers(), p -> peer(p, secrets)));
        doc.put("connections", map(c.connections(), ConfigYaml::connection));
        doc.put("settings", settings(c.settings()));
        doc.put("certificates", map(c.certificates(), cr -> certificate(cr, secrets)));
        return "# edgegw configuration (schema: appliance/CONFIG.md)\n" + yaml().dump(doc);
    }

    private static <T> List<Object> map(List<T> items, java.util.function.Function<T, Object> f) {
        List<Object> out = new ArrayList<>();
        items.forEach(t -> out.add(f.apply(t)));
        return out;
    }

    private static Map<String, Object> cluster(Cluster c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        putIfSet(m, "description", c.description());
        m.put("podCidrs", c.podCidrs());
        m.put("serviceCidrs", c.serviceCidrs());
        m.put("nodeCidrs", c.nodeCidrs());
        return m;
    }

    private static Map<String, Object> peer(Peer p, SecretCodec secrets) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        putIfSet(m, "description", p.description());
        m.put("address", p.address());
        putIfSet(m, "localId", p.localId());
        putIfSet(m, "remoteId", p.remoteId());
        Map<String, Object> auth = new LinkedHashMap<>();
        if (p.auth() != null) {
            putIfSet(auth, "method", token(p.auth().method()));
            if (p.auth().psk() != null) {
                putIfSet(auth, "psk", secrets.encode(p.auth().psk()));
            }
            putIfSet(auth, "certificate", p.auth().certificate());
            putIfSet(auth, "ca", p.auth().ca());
        }
        m.put("auth", auth);
        m.put("ikeProposals", p.ikeProposals());
        m.put("ikeLifetime", p.ikeLifetimeSeconds());
        Map<String, Object> dpd = new LinkedHashMap<>();
        dpd.put("delay", p.dpd().delaySeconds());
        dpd.put("timeout", p.dpd().timeoutSeconds());
        putIfSet(dpd, "action", token(p.dpd().action()));
        m.put("dpd", dpd);
        Map<String, Object> nat = new LinkedHashMap<>();
        nat.put("enabled", p.natTraversal().enabled());
        nat.put("forceEncapsulation", p.natTraversal().forceEncapsulation());
        nat.put("keepalive", p.natTraversal().keepaliveSeconds());
        m.put("natTraversal", nat);
        return m;
    }

    private static Map<String, Object> connection(Connection c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        putIfSet(m, "description", c.description());
        m.put("peer", c.peer());
        m.put("localClusters", c.localClusters());
        m.put("remoteClusters", c.remoteClusters());
        m.put("protocol", token(c.protocol()));
        m.put("proposals", c.proposals());
        m.put("mode", token(c.mode()));
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("rekeySeconds", c.lifetimes().rekeySeconds());
        l.put("lifeSeconds", c.lifetimes().lifeSeconds());
        l.put("rekeyBytes", c.lifetimes().rekeyBytes());
        l.put("rekeyPackets", c.lifetimes().rekeyPackets());
        m.put("lifetimes", l);
        m.put("startAction", c.startAction().text());
        m.put("enforce", c.enforce());
        return m;
    }

    private static Map<String, Object> settings(Settings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> nifs = new ArrayList<>();
        for (Settings.NetworkInterface n : s.interfaces()) {
            Map<String, Object> nm = new LinkedHashMap<>();
            nm.put("name", n.name());
            putIfSet(nm, "role", token(n.role()));
            nifs.add(nm);
        }
        m.put("interfaces", nifs);
        Map<String, Object> dp = new LinkedHashMap<>();
        dp.put("backend", token(s.dataPlane().backend()));
        dp.put("workers", s.dataPlane().workers());
        m.put("dataPlane", dp);
        Map<String, Object> lg = new LinkedHashMap<>();
        lg.put("level", token(s.logging().level()));
        lg.put("statusInterval", s.logging().statusIntervalSeconds());
        m.put("logging", lg);
        return m;
    }

    private static Map<String, Object> certificate(CertificateRef c, SecretCodec secrets) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        putIfSet(m, "kind", token(c.kind()));
        putIfSet(m, "certificate", c.certificatePem());
        if (c.privateKeyPem() != null) {
            putIfSet(m, "privateKey", secrets.encode(c.privateKeyPem()));
        }
        if (!c.revoked().isEmpty()) {
            List<Object> rl = new ArrayList<>();
            for (CertificateRef.Revoked r : c.revoked()) {
                Map<String, Object> rm = new LinkedHashMap<>();
                rm.put("serial", r.serial());
                rm.put("time", r.time() == null ? null : r.time().toString());
                rl.add(rm);
            }
            m.put("revoked", rl);
        }
        return m;
    }

    private static void putIfSet(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    /** An enum constant as YAML spells it: lower case, '-' for '_'. */
    static String token(Enum<?> e) {
        return e == null ? null : e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static Yaml yaml() {
        DumperOptions d = new DumperOptions();
        d.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        d.setIndent(2);
        d.setIndicatorIndent(0);
        d.setSplitLines(false);
        d.setWidth(200);
        Representer r = new Representer(d) {
            {
                // Multi-line strings (PEM) as literal blocks instead of one long quoted line.
                this.representers.put(String.class, data -> {
                    String s = (String) data;
                    return representScalar(Tag.STR, s, s.contains("\n")
                            ? DumperOptions.ScalarStyle.LITERAL : DumperOptions.ScalarStyle.PLAIN);
                });
            }
        };
        LoaderOptions lo = new LoaderOptions();
        lo.setAllowDuplicateKeys(false);
        lo.setMaxAliasesForCollections(MAX_ALIASES);
        lo.setCodePointLimit(MAX_DOCUMENT_CHARS);
        lo.setAllowRecursiveKeys(false);
        return new Yaml(new SafeConstructor(lo), r, d, lo);
    }

    // ---------------------------------------------------------------- reading

    /** Reads a whole document; every problem found is reported, with its field path. */
    public static Read read(String text, SecretCodec secrets) {
        if (text == null || text.isBlank()) {
            return new Read(null, List.of(new Problem("", "empty document")));
        }
        if (text.length() > MAX_DOCUMENT_CHARS) {
            return new Read(null, List.of(new Problem("", "document larger than " + MAX_DOCUMENT_CHARS + " chars")));
        }
        Object root;
        try {
            root = yaml().load(text);
        } catch (MarkedYAMLException e) {
            String where = e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1)
                    + ", column " + (e.getProblemMark().getColumn() + 1);
            return new Read(null, List.of(new Problem("", "not valid YAML" + where + ": " + e.getProblem())));
        } catch (YAMLException e) {
            return new Read(null, List.of(new Problem("", "not valid YAML: " + e.getMessage())));
        }
        Reader r = new Reader(secrets);
        Config c = r.config(root);
        return r.problems.isEmpty() ? new Read(c, List.of()) : new Read(null, List.copyOf(r.problems), c);
    }

    /**
     * Reads and validates a document, reporting every problem at once: the document's own (syntax, types, unknown
     * fields) and then the validator's on what could be read, leaving out those about a field that already has one.
     *
     * @param complete applied to what was read before validating it (the store fills in omitted secrets)
     */
    public static Read readAndValidate(String text, SecretCodec secrets, UnaryOperator<Config> complete) {
        Read read = read(text, secrets);
        if (read.partial() == null) {
            return read;
        }
        Config candidate = complete.apply(read.partial());
        List<Problem> all = new ArrayList<>(read.problems());
        for (Problem p : ConfigValidator.validate(candidate)) {
            if (read.problems().stream().noneMatch(q -> related(q.field(), p.field()))) {
                all.add(p);
            }
        }
        return all.isEmpty() ? new Read(candidate, List.of()) : new Read(null, all, candidate);
    }

    /** The same field, or one inside the other ("peers[p].auth" and "peers[p].auth.method"). */
    private static boolean related(String a, String b) {
        String shorter = a.length() <= b.length() ? a : b;
        String longer = a.length() <= b.length() ? b : a;
        return longer.startsWith(shorter) && (longer.length() == shorter.length()
                || longer.charAt(shorter.length()) == '.' || longer.charAt(shorter.length()) == '[');
    }

    /** One pass over the parsed tree, collecting problems instead of throwing. */
    private static final class Reader {
        final List<Problem> problems = new ArrayList<>();
        final SecretCodec secrets;

        Reader(SecretCodec secrets) {
            this.secrets = secrets;
        }

        Config config(Object root) {
            Map<String, Object> m = map(root, "");
            known(m, "", Set.of("version", "clusters", "peers", "connections", "settings", "certificates"));
            if (m.containsKey("version") && !Integer.valueOf(SCHEMA_VERSION).equals(m.get("version"))) {
                problems.add(new Problem("version", "unsupported schema version '" + m.get("version")
                        + "' (this appliance reads " + SCHEMA_VERSION + ")"));
            }
            return new Config(
                    list(m, "clusters", this::cluster),
                    list(m, "peers", this::peer),
                    list(m, "connections", this::connection),
                    settings(m.get("settings")),
                    list(m, "certificates", this::certificate));
        }

        Cluster cluster(Map<String, Object> m, String path) {
            known(m, path, Set.of("name", "description", "podCidrs", "serviceCidrs", "nodeCidrs"));
            return new Cluster(str(m, "name", path), strings(m, "podCidrs", path), strings(m, "serviceCidrs", path),
                    strings(m, "nodeCidrs", path), str(m, "description", path));
        }

        Peer peer(Map<String, Object> m, String path) {
            known(m, path, Set.of("name", "description", "address", "localId", "remoteId", "auth", "ikeProposals",
                    "ikeLifetime", "dpd", "natTraversal"));
            Map<String, Object> a = map(m.getOrDefault("auth", Map.of()), path + ".auth");
            known(a, path + ".auth", Set.of("method", "psk", "certificate", "ca"));
            Peer.Auth auth = new Peer.Auth(enumeration(a, "method", path + ".auth", Peer.AuthMethod.class, null),
                    secret(a, "psk", path + ".auth"), str(a, "certificate", path + ".auth"),
                    str(a, "ca", path + ".auth"));
            Map<String, Object> d = map(m.getOrDefault("dpd", Map.of()), path + ".dpd");
            known(d, path + ".dpd", Set.of("delay", "timeout", "action"));
            Peer.Dpd dflt = Peer.Dpd.DEFAULT;
            Peer.Dpd dpd = new Peer.Dpd(integer(d, "delay", path + ".dpd", dflt.delaySeconds()),
                    integer(d, "timeout", path + ".dpd", dflt.timeoutSeconds()),
                    enumeration(d, "action", path + ".dpd", Peer.DpdAction.class, dflt.action()));
            Map<String, Object> n = map(m.getOrDefault("natTraversal", Map.of()), path + ".natTraversal");
            known(n, path + ".natTraversal", Set.of("enabled", "forceEncapsulation", "keepalive"));
            Peer.NatTraversal nd = Peer.NatTraversal.DEFAULT;
            Peer.NatTraversal nat = new Peer.NatTraversal(bool(n, "enabled", path + ".natTraversal", nd.enabled()),
                    bool(n, "forceEncapsulation", path + ".natTraversal", nd.forceEncapsulation()),
                    integer(n, "keepalive", path + ".natTraversal", nd.keepaliveSeconds()));
            return new Peer(str(m, "name", path), str(m, "address", path), str(m, "localId", path),
                    str(m, "remoteId", path), auth, strings(m, "ikeProposals", path),
                    integer(m, "ikeLifetime", path, Peer.DEFAULT_IKE_LIFETIME_SECONDS), dpd, nat,
                    str(m, "description", path));
        }

        Connection connection(Map<String, Object> m, String path) {
            known(m, path, Set.of("name", "description", "peer", "localClusters", "remoteClusters", "protocol",
                    "proposals", "mode", "lifetimes", "startAction", "enforce"));
            Map<String, Object> l = map(m.getOrDefault("lifetimes", Map.of()), path + ".lifetimes");
            known(l, path + ".lifetimes", Set.of("rekeySeconds", "lifeSeconds", "rekeyBytes", "rekeyPackets"));
            Connection.Lifetimes ld = Connection.Lifetimes.DEFAULT;
            String lp = path + ".lifetimes";
            Connection.Lifetimes lifetimes = new Connection.Lifetimes(
                    integer(l, "rekeySeconds", lp, ld.rekeySeconds()), integer(l, "lifeSeconds", lp, ld.lifeSeconds()),
                    longValue(l, "rekeyBytes", lp, ld.rekeyBytes()),
                    longValue(l, "rekeyPackets", lp, ld.rekeyPackets()));
            return new Connection(str(m, "name", path), str(m, "peer", path), strings(m, "localClusters", path),
                    strings(m, "remoteClusters", path),
                    enumeration(m, "protocol", path, Connection.Protocol.class, Connection.Protocol.ESP),
                    strings(m, "proposals", path),
                    enumeration(m, "mode", path, Connection.Mode.class, Connection.Mode.TUNNEL), lifetimes,
                    enumeration(m, "startAction", path, Connection.StartAction.class,
                            Connection.StartAction.ON_TRAFFIC),
                    bool(m, "enforce", path, false), str(m, "description", path));
        }

        Settings settings(Object node) {
            Map<String, Object> m = map(node == null ? Map.of() : node, "settings");
            known(m, "settings", Set.of("interfaces", "dataPlane", "logging"));
            List<Settings.NetworkInterface> nifs = new ArrayList<>();
            Object il = m.getOrDefault("interfaces", List.of());
            if (il instanceof List<?> items) {
                for (int i = 0; i < items.size(); i++) {
                    String p = "settings.interfaces[" + i + "]";
                    Map<String, Object> im = map(items.get(i), p);
                    known(im, p, Set.of("name", "role"));
                    nifs.add(new Settings.NetworkInterface(str(im, "name", p),
                            enumeration(im, "role", p, Settings.Role.class, null)));
                }
            } else {
                problems.add(new Problem("settings.interfaces", "expected a list"));
            }
            Map<String, Object> dp = map(m.getOrDefault("dataPlane", Map.of()), "settings.dataPlane");
            known(dp, "settings.dataPlane", Set.of("backend", "workers"));
            Map<String, Object> lg = map(m.getOrDefault("logging", Map.of()), "settings.logging");
            known(lg, "settings.logging", Set.of("level", "statusInterval"));
            return new Settings(nifs,
                    new Settings.DataPlane(enumeration(dp, "backend", "settings.dataPlane", Settings.Backend.class,
                            Settings.Backend.TUN), integer(dp, "workers", "settings.dataPlane", 0)),
                    new Settings.Logging(enumeration(lg, "level", "settings.logging", Settings.Level.class,
                            Settings.Level.INFO), integer(lg, "statusInterval", "settings.logging",
                            Settings.Logging.DEFAULT.statusIntervalSeconds())));
        }

        CertificateRef certificate(Map<String, Object> m, String path) {
            known(m, path, Set.of("name", "kind", "certificate", "privateKey", "revoked"));
            List<CertificateRef.Revoked> revoked = new ArrayList<>();
            Object rl = m.getOrDefault("revoked", List.of());
            if (rl instanceof List<?> items) {
                for (int i = 0; i < items.size(); i++) {
                    String p = path + ".revoked[" + i + "]";
                    Map<String, Object> rm = map(items.get(i), p);
                    known(rm, p, Set.of("serial", "time"));
                    revoked.add(new CertificateRef.Revoked(str(rm, "serial", p), instant(rm, "time", p)));
                }
            } else {
                problems.add(new Problem(path + ".revoked", "expected a list"));
            }
            return new CertificateRef(str(m, "name", path),
                    enumeration(m, "kind", path, CertificateRef.Kind.class, null), str(m, "certificate", path),
                    secret(m, "privateKey", path), revoked);
        }

        /** A list of entities; each item's path uses its name when it has one ("peers[cloud]"). */
        <T> List<T> list(Map<String, Object> m, String key, BiFunction<Map<String, Object>, String, T> item) {
            Object v = m.get(key);
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof List<?> items)) {
                problems.add(new Problem(key, "expected a list"));
                return List.of();
            }
            List<T> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                Object o = items.get(i);
                String name = o instanceof Map<?, ?> im && im.get("name") instanceof String s && !s.isBlank()
                        ? s : String.valueOf(i);
                out.add(item.apply(map(o, key + "[" + i + "]"), key + "[" + name + "]"));
            }
            return out;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map(Object o, String path) {
            if (o instanceof Map<?, ?> m) {
                for (Object k : m.keySet()) {
                    if (!(k instanceof String)) {
                        problems.add(new Problem(path, "keys must be strings, found '" + k + "'"));
                        return Map.of();
                    }
                }
                return (Map<String, Object>) m;
            }
            problems.add(new Problem(path, o == null ? "a mapping is required" : "expected a mapping"));
            return Map.of();
        }

        void known(Map<String, Object> m, String path, Set<String> keys) {
            for (String k : m.keySet()) {
                if (!keys.contains(k)) {
                    problems.add(new Problem(at(path, k), "unknown field (expected one of "
                            + new java.util.TreeSet<>(keys) + ")"));
                }
            }
        }

        String str(Map<String, Object> m, String key, String path) {
            Object v = m.get(key);
            if (v == null || v instanceof String) {
                return (String) v;
            }
            if (v instanceof Integer || v instanceof Long) {
                return v.toString(); // a name like 2024 is still a name
            }
            problems.add(new Problem(at(path, key), "expected a string"));
            return null;
        }

        /** An ISO-8601 instant, quoted (a string) or not (SnakeYAML then gives a Date). */
        Instant instant(Map<String, Object> m, String key, String path) {
            Object v = m.get(key);
            if (v instanceof java.util.Date d) {
                return d.toInstant();
            }
            if (v instanceof String s) {
                try {
                    return Instant.parse(s);
                } catch (java.time.format.DateTimeParseException e) {
                    // reported below
                }
            }
            problems.add(new Problem(at(path, key), "an ISO-8601 time such as 2026-11-25T03:00:00Z is required"));
            return null;
        }

        Secret secret(Map<String, Object> m, String key, String path) {
            String s = str(m, key, path);
            if (s == null) {
                return null;
            }
            Secret sec = secrets.decode(s);
            if (sec == null) {
                problems.add(new Problem(at(path, key), "cannot decrypt this secret with this appliance's device key"));
            }
            return sec;
        }

        List<String> strings(Map<String, Object> m, String key, String path) {
            Object v = m.get(key);
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof List<?> items)) {
                problems.add(new Problem(at(path, key), "expected a list"));
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i) instanceof String s) {
                    out.add(s);
                } else {
                    problems.add(new Problem(at(path, key) + "[" + i + "]", "expected a string"));
                }
            }
            return out;
        }

        int integer(Map<String, Object> m, String key, String path, int dflt) {
            long v = longValue(m, key, path, dflt);
            if (v != (int) v) {
                problems.add(new Problem(at(path, key), "out of range: " + v));
                return dflt;
            }
            return (int) v;
        }

        long longValue(Map<String, Object> m, String key, String path, long dflt) {
            Object v = m.get(key);
            if (v == null) {
                return dflt;
            }
            if (v instanceof Integer || v instanceof Long) {
                return ((Number) v).longValue();
            }
            problems.add(new Problem(at(path, key), "expected an integer, found '" + v + "'"));
            return dflt;
        }

        boolean bool(Map<String, Object> m, String key, String path, boolean dflt) {
            Object v = m.get(key);
            if (v == null) {
                return dflt;
            }
            if (v instanceof Boolean b) {
                return b;
            }
            problems.add(new Problem(at(path, key), "expected true or false, found '" + v + "'"));
            return dflt;
        }

        <E extends Enum<E>> E enumeration(Map<String, Object> m, String key, String path, Class<E> type, E dflt) {
            Object v = m.get(key);
            if (v == null) {
                return dflt;
            }
            List<String> allowed = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                if (token(e).equals(String.valueOf(v).toLowerCase(Locale.ROOT))) {
                    return e;
                }
                allowed.add(token(e));
            }
            problems.add(new Problem(at(path, key), "'" + v + "' is not one of " + allowed));
            return dflt;
        }

        static String at(String path, String key) {
            return path.isEmpty() ? key : path + "." + key;
        }
    }
}
