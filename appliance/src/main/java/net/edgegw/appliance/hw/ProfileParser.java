package net.edgegw.appliance.hw;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a hardware profile (YAML, schema {@value #SCHEMA}) and checks every field, collecting all problems with
 * their field path instead of stopping at the first: the image build rejects a profile directory that has any.
 * The rules are those of {@code hw-profiles/schema.json}; unknown fields are problems too, so a typo never
 * silently falls back to a default.
 */
public final class ProfileParser {
    public static final String SCHEMA = "edgegw-hw-profile/1";

    // Our limits.
    static final int MAX_FILE_BYTES = 64 * 1024;
    static final int MAX_WORKERS = 256;
    static final int MAX_PRIORITY = 1000;

    static final Set<String> DMI_FIELDS = Set.of("sys_vendor", "product_name", "product_version", "board_vendor",
            "board_name");
    /** CPU features a profile may expect, by architecture, as /proc/cpuinfo names them ("flags" / "Features"). */
    static final Set<String> X86_FEATURES = Set.of("aes", "pclmulqdq", "avx", "avx2", "vaes", "vpclmulqdq",
            "sse4_1", "sse4_2", "sha_ni", "avx512f", "rdrand");
    static final Set<String> ARM_FEATURES = Set.of("aes", "pmull", "sha1", "sha2", "sha512", "asimd", "crc32");
    static final Set<Integer> BAUDS = Set.of(9600, 19200, 38400, 57600, 115200);

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern PCI = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]|[0-9a-f:.]*\\*");
    private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}|([0-9a-f]{2}:){0,5}\\*");
    private static final Pattern IFNAME = Pattern.compile("[a-zA-Z0-9_.-]{1,15}|[a-zA-Z0-9_.-]{0,14}\\*");
    private static final Pattern HEAP = Pattern.compile("[1-9][0-9]{0,5}[mg]");
    private static final Pattern WATCHDOG = Pattern.compile("/dev/watchdog[0-9]*|none");
    private static final Pattern CONSOLE = Pattern.compile("tty(S|AMA|PS|MV)?[0-9]{1,2}|none");

    private ProfileParser() {}

    /** A parse: the profile when {@code problems} is empty, else {@code null}. */
    public record Result(HwProfile profile, List<ProfileProblem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /** Every {@code *.yaml} file of a directory, in name order. */
    public static List<Result> parseDirectory(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
        List<Result> out = new ArrayList<>();
        for (Path f : files) {
            out.add(parse(f));
        }
        return out;
    }

    public static Result parse(Path file) throws IOException {
        String fileName = file.getFileName().toString();
        if (Files.size(file) > MAX_FILE_BYTES) {
            return new Result(null, List.of(new ProfileProblem(fileName, "(file)", "larger than " + MAX_FILE_BYTES
                    + " bytes")));
        }
        return parse(fileName, Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Parses the text of {@code fileName}; the profile's name must be the file name without ".yaml". */
    public static Result parse(String fileName, String yamlText) {
        Fields f = new Fields(fileName);
        Object doc;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            doc = new Yaml(new SafeConstructor(options)).load(yamlText);
        } catch (YAMLException e) {
            f.problem("(yaml)", "not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
            return new Result(null, f.problems);
        }
        if (!(doc instanceof Map<?, ?> root)) {
            f.problem("(root)", "must be a mapping");
            return new Result(null, f.problems);
        }
        Map<String, Object> m = f.map(root, "", Set.of("schema", "name", "description", "arch", "match", "nics",
                "cpu", "dataplane", "jvm", "watchdog", "console"));
        String schema = f.string(m, "", "schema", true);
        if (schema != null && !schema.equals(SCHEMA)) {
            f.problem("schema", "must be \"" + SCHEMA + "\", is \"" + schema + "\"");
        }
        String name = f.string(m, "", "name", true);
        String expectedName = fileName.endsWith(".yaml") ? fileName.substring(0, fileName.length() - 5) : fileName;
        if (name != null && !NAME.matcher(name).matches()) {
            f.problem("name", "must be lower-case letters, digits and '-' (at most 63)");
        } else if (name != null && !name.equals(expectedName)) {
            f.problem("name", "must equal the file name \"" + expectedName + "\"");
        }
        String description = f.string(m, "", "description", false);
        HwProfile.Arch arch = f.enumValue(m, "", "arch", HwProfile.Arch.class, true);

        HwProfile.Match match = match(f, f.submap(m, "", "match", true, Set.of("dmi", "devicetree_compatible",
                "fallback", "priority")));
        List<HwProfile.NicRule> nics = nics(f, m, match);
        List<String> features = cpu(f, f.submap(m, "", "cpu", false, Set.of("expected_features")), arch);

        Map<String, Object> dp = f.submap(m, "", "dataplane", true, Set.of("backend", "workers", "pinning", "dpdk"));
        HwProfile.Backend backend = dp == null ? null : f.enumValue(dp, "dataplane.", "backend",
                HwProfile.Backend.class, true);
        int workers = dp == null ? 0 : workers(f, dp);
        List<Integer> pinning = dp == null ? List.of() : pinning(f, dp, workers);
        String pmdArgs = "";
        Map<String, Object> dpdk = dp == null ? null : f.submap(dp, "dataplane.", "dpdk", false, Set.of("pmd_args"));
        if (backend == HwProfile.Backend.DPDK) {
            if (dpdk == null) {
                f.problem("dataplane.dpdk", "required when backend is dpdk");
            } else {
                String a = f.string(dpdk, "dataplane.dpdk.", "pmd_args", true);
                pmdArgs = a == null ? "" : a;
            }
            for (int i = 0; i < nics.size(); i++) {
                if (nics.get(i).selector() != HwProfile.Selector.PCI) {
                    f.problem("nics[" + i + "]", "the dpdk backend binds ports by PCI address: use pci");
                }
            }
        } else if (backend == HwProfile.Backend.TUN && dpdk != null) {
            f.problem("dataplane.dpdk", "only allowed when backend is dpdk");
        }

        Map<String, Object> jvm = f.submap(m, "", "jvm", true, Set.of("heap"));
        String heap = jvm == null ? null : f.string(jvm, "jvm.", "heap", true);
        if (heap != null && !HEAP.matcher(heap).matches()) {
            f.problem("jvm.heap", "must be a size such as 256m or 2g, is \"" + heap + "\"");
        }
        String watchdog = f.string(m, "", "watchdog", true);
        if (watchdog != null && !WATCHDOG.matcher(watchdog).matches()) {
            f.problem("watchdog", "must be /dev/watchdogN or none, is \"" + watchdog + "\"");
        }
        Map<String, Object> con = f.submap(m, "", "console", true, Set.of("device", "baud"));
        String console = con == null ? null : f.string(con, "console.", "device", true);
        if (console != null && !CONSOLE.matcher(console).matches()) {
            f.problem("console.device", "must be a serial tty (ttyS0, ttyAMA0...) or none, is \"" + console + "\"");
        }
        int baud = con == null ? 0 : f.integer(con, "console.", "baud", false, 115200);
        if (con != null && !BAUDS.contains(baud)) {
            f.problem("console.baud", "must be one of " + BAUDS + ", is " + baud);
        }
        if (!f.problems.isEmpty()) {
            return new Result(null, f.problems);
        }
        return new Result(new HwProfile(name, description == null ? "" : description, arch, match, nics, features,
                backend, workers, pinning, pmdArgs, heap, watchdog, console, baud), List.of());
    }

    private static HwProfile.Match match(Fields f, Map<String, Object> m) {
        if (m == null) {
            return null;
        }
        Map<String, String> dmi = new LinkedHashMap<>();
        Map<String, Object> d = f.submap(m, "match.", "dmi", false, DMI_FIELDS);
        if (d != null) {
            for (String k : d.keySet()) {
                String v = f.string(d, "match.dmi.", k, true);
                if (v != null) {
                    dmi.put(k, v);
                }
            }
            if (d.isEmpty()) {
                f.problem("match.dmi", "needs at least one of " + DMI_FIELDS);
            }
        }
        List<String> dt = f.stringList(m, "match.", "devicetree_compatible");
        boolean fallback = f.bool(m, "match.", "fallback");
        int ways = (d != null ? 1 : 0) + (m.containsKey("devicetree_compatible") ? 1 : 0) + (fallback ? 1 : 0);
        if (ways != 1) {
            f.problem("match", "needs exactly one of dmi, devicetree_compatible or fallback: true");
        }
        int priority = f.integer(m, "match.", "priority", false, fallback ? 0 : 100);
        if (priority < 0 || priority > MAX_PRIORITY) {
            f.problem("match.priority", "must be 0.." + MAX_PRIORITY);
        }
        return new HwProfile.Match(dmi, dt, fallback, priority);
    }

    private static List<HwProfile.NicRule> nics(Fields f, Map<String, Object> m, HwProfile.Match match) {
        List<HwProfile.NicRule> out = new ArrayList<>();
        Object o = m.get("nics");
        if (!(o instanceof List<?> list) || list.isEmpty()) {
            f.problem("nics", o == null ? "required" : "must be a non-empty list");
            return out;
        }
        boolean mgmt = false;
        for (int i = 0; i < list.size(); i++) {
            String at = "nics[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> raw)) {
                f.problem(at, "must be a mapping with role and one of pci, mac, name");
                continue;
            }
            Map<String, Object> n = f.map(raw, at + ".", Set.of("role", "pci", "mac", "name"));
            HwProfile.Role role = f.enumValue(n, at + ".", "role", HwProfile.Role.class, true);
            mgmt |= role == HwProfile.Role.MGMT;
            List<String> sel = n.keySet().stream().filter(k -> !k.equals("role")).toList();
            if (sel.size() != 1) {
                f.problem(at, "needs exactly one of pci, mac, name");
                continue;
            }
            String key = sel.get(0);
            String value = f.string(n, at + ".", key, true);
            if (value == null) {
                continue;
            }
            HwProfile.Selector s = HwProfile.Selector.valueOf(key.toUpperCase(Locale.ROOT));
            Pattern p = switch (s) { case PCI -> PCI; case MAC -> MAC; case NAME -> IFNAME; };
            String v = s == HwProfile.Selector.NAME ? value : value.toLowerCase(Locale.ROOT);
            if (!p.matcher(v).matches()) {
                f.problem(at + "." + key, switch (s) {
                    case PCI -> "must be a PCI address dddd:bb:dd.f (or a prefix ending in *), is \"" + value + "\"";
                    case MAC -> "must be a MAC aa:bb:cc:dd:ee:ff (or a prefix ending in *), is \"" + value + "\"";
                    case NAME -> "must be an interface name of at most 15 characters (may end in *), is \""
                            + value + "\"";
                });
            }
            if (role != null) {
                out.add(new HwProfile.NicRule(role, s, v));
            }
        }
        if (!mgmt) {
            f.problem("nics", "needs a MGMT port: the admin UI is reachable only there");
        }
        return out;
    }

    private static List<String> cpu(Fields f, Map<String, Object> cpu, HwProfile.Arch arch) {
        if (cpu == null) {
            return List.of();
        }
        List<String> features = f.stringList(cpu, "cpu.", "expected_features");
        Set<String> known = arch == HwProfile.Arch.AARCH64 ? ARM_FEATURES : X86_FEATURES;
        for (int i = 0; i < features.size(); i++) {
            if (arch != null && !known.contains(features.get(i))) {
                f.problem("cpu.expected_features[" + i + "]", "\"" + features.get(i) + "\" is not a known "
                        + arch.unameName() + " feature; known: " + known.stream().sorted().toList());
            }
        }
        return features;
    }

    private static int workers(Fields f, Map<String, Object> dp) {
        Object w = dp.get("workers");
        if (w == null) {
            f.problem("dataplane.workers", "required (a count or auto)");
            return 0;
        }
        if ("auto".equals(w)) {
            return 0;
        }
        if (!(w instanceof Integer n) || n < 1 || n > MAX_WORKERS) {
            f.problem("dataplane.workers", "must be 1.." + MAX_WORKERS + " or auto, is " + w);
            return 0;
        }
        return n;
    }

    private static List<Integer> pinning(Fields f, Map<String, Object> dp, int workers) {
        Object p = dp.get("pinning");
        if (p == null) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>();
        if (!(p instanceof List<?> list)) {
            f.problem("dataplane.pinning", "must be a list of core numbers");
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Integer c) || c < 0 || c > 1023) {
                f.problem("dataplane.pinning[" + i + "]", "must be a core number 0..1023, is " + list.get(i));
            } else if (out.contains(c)) {
                f.problem("dataplane.pinning[" + i + "]", "core " + c + " is listed twice");
            } else {
                out.add(c);
            }
        }
        if (workers == 0 && !list.isEmpty()) {
            f.problem("dataplane.pinning", "needs a fixed worker count, not auto");
        } else if (workers > 0 && !list.isEmpty() && list.size() != workers) {
            f.problem("dataplane.pinning", "lists " + list.size() + " cores for " + workers + " workers");
        }
        return out;
    }

    /** Typed field access that records a problem (with the field's path) instead of throwing. */
    private static final class Fields {
        final String file;
        final List<ProfileProblem> problems = new ArrayList<>();

        Fields(String file) {
            this.file = file;
        }

        void problem(String field, String reason) {
            problems.add(new ProfileProblem(file, field, reason));
        }

        Map<String, Object> map(Map<?, ?> raw, String at, Set<String> allowed) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : raw.entrySet()) {
                String k = String.valueOf(e.getKey());
                if (!allowed.contains(k)) {
                    problem(at + k, "unknown field (allowed: " + allowed.stream().sorted().toList() + ")");
                } else {
                    out.put(k, e.getValue());
                }
            }
            return out;
        }

        Map<String, Object> submap(Map<String, Object> m, String at, String key, boolean required,
                                   Set<String> allowed) {
            Object o = m.get(key);
            if (o == null) {
                if (required) {
                    problem(at + key, "required");
                }
                return null;
            }
            if (!(o instanceof Map<?, ?> raw)) {
                problem(at + key, "must be a mapping");
                return null;
            }
            return map(raw, at + key + ".", allowed);
        }

        String string(Map<String, Object> m, String at, String key, boolean required) {
            Object o = m.get(key);
            if (o == null) {
                if (required) {
                    problem(at + key, "required");
                }
                return null;
            }
            if (!(o instanceof String s) || s.isBlank()) {
                problem(at + key, "must be a non-empty string");
                return null;
            }
            return s;
        }

        List<String> stringList(Map<String, Object> m, String at, String key) {
            Object o = m.get(key);
            if (o == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            if (!(o instanceof List<?> list) || list.isEmpty()) {
                problem(at + key, "must be a non-empty list of strings");
                return out;
            }
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof String s && !s.isBlank()) {
                    out.add(s);
                } else {
                    problem(at + key + "[" + i + "]", "must be a non-empty string");
                }
            }
            return out;
        }

        int integer(Map<String, Object> m, String at, String key, boolean required, int dflt) {
            Object o = m.get(key);
            if (o == null) {
                if (required) {
                    problem(at + key, "required");
                }
                return dflt;
            }
            if (!(o instanceof Integer i)) {
                problem(at + key, "must be an integer, is " + o);
                return dflt;
            }
            return i;
        }

        boolean bool(Map<String, Object> m, String at, String key) {
            Object o = m.get(key);
            if (o == null) {
                return false;
            }
            if (!(o instanceof Boolean b)) {
                problem(at + key, "must be true or false");
                return false;
            }
            return b;
        }

        <E extends Enum<E>> E enumValue(Map<String, Object> m, String at, String key, Class<E> type,
                                        boolean required) {
            String s = string(m, at, key, required);
            if (s == null) {
                return null;
            }
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(s)) {
                    return e;
                }
            }
            List<String> names = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                names.add(e.name().toLowerCase(Locale.ROOT));
            }
            problem(at + key, "must be one of " + names + ", is \"" + s + "\"");
            return null;
        }
    }
}
