package net.edgegw.appliance.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The structural difference between two configs: entities (clusters, peers, connections, certificates) matched by
 * name and reported as added, removed, or changed field by field; settings field by field. Values are shown through
 * their {@code toString}, so secrets appear only as {@value Secret#REDACTED} ("changed", never what to).
 */
public final class ConfigDiff {

    private ConfigDiff() {}

    public enum Kind { ADDED, REMOVED, CHANGED }

    /** One difference; {@code before} is null for ADDED, {@code after} for REMOVED. */
    public record Change(Kind kind, String field, String before, String after) {
        @Override
        public String toString() {
            return switch (kind) {
                case ADDED -> "+ " + field + " " + after;
                case REMOVED -> "- " + field + " " + before;
                case CHANGED -> "~ " + field + ": " + before + " -> " + after;
            };
        }
    }

    /** What changes {@code from} into {@code to}; empty if they are equal. */
    public static List<Change> diff(Config from, Config to) {
        List<Change> out = new ArrayList<>();
        entities(out, "clusters", from.clusters(), to.clusters(), Cluster::name);
        entities(out, "peers", from.peers(), to.peers(), Peer::name);
        entities(out, "connections", from.connections(), to.connections(), Connection::name);
        record(out, "settings", from.settings(), to.settings());
        entities(out, "certificates", from.certificates(), to.certificates(), CertificateRef::name);
        return out;
    }

    /** One line per change, for revision rows and logs. */
    public static String render(List<Change> changes) {
        StringBuilder sb = new StringBuilder();
        changes.forEach(c -> sb.append(c).append('\n'));
        return sb.toString();
    }

    private static <T extends Record> void entities(List<Change> out, String list, List<T> from, List<T> to,
                                                    Function<T, String> name) {
        Map<String, T> a = byName(from, name);
        Map<String, T> b = byName(to, name);
        for (Map.Entry<String, T> e : a.entrySet()) {
            T after = b.get(e.getKey());
            String path = list + "[" + e.getKey() + "]";
            if (after == null) {
                out.add(new Change(Kind.REMOVED, path, e.getValue().toString(), null));
            } else {
                record(out, path, e.getValue(), after);
            }
        }
        for (Map.Entry<String, T> e : b.entrySet()) {
            if (!a.containsKey(e.getKey())) {
                out.add(new Change(Kind.ADDED, list + "[" + e.getKey() + "]", null, e.getValue().toString()));
            }
        }
    }

    private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
        Map<String, T> m = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String n = name.apply(items.get(i));
            m.putIfAbsent(n == null ? "#" + i : n, items.get(i));
        }
        return m;
    }

    /** Field-by-field over record components, descending into nested records. */
    private static void record(List<Change> out, String path, Record a, Record b) {
        if (a.equals(b)) {
            return;
        }
        for (RecordComponent rc : a.getClass().getRecordComponents()) {
            Object va = get(rc, a);
            Object vb = get(rc, b);
            if (Objects.equals(va, vb)) {
                continue;
            }
            String field = path + "." + rc.getName();
            if (va instanceof Record ra && vb instanceof Record rb) {
                record(out, field, ra, rb);
            } else {
                out.add(new Change(va == null ? Kind.ADDED : vb == null ? Kind.REMOVED : Kind.CHANGED, field,
                        va == null ? null : String.valueOf(va), vb == null ? null : String.valueOf(vb)));
            }
        }
    }

    private static Object get(RecordComponent rc, Record r) {
        try {
            return rc.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("record accessor " + rc, e);
        }
    }
}
