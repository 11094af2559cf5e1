package net.edgegw.mgmt.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.port.Settings;
import net.edgegw.mgmt.port.SettingsStore;
import net.edgegw.mgmt.web.RouteTable;

/**
 * {@code /api/v1/settings}: interface roles, data plane and logging, as the appliance's YAML writes them
 * ({@code {interfaces: [{name, role}], dataPlane: {backend, workers}, logging: {level, statusInterval}}}). Read by
 * viewers; replaced whole by admins, validated first, one revision.
 */
final class SettingsApi {
    /** Linux IFNAMSIZ - 1 characters (the appliance's ConfigValidator.IFNAME). */
    static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.:-]{1,15}");
    static final int MAX_WORKERS = 256;
    static final int MAX_STATUS_INTERVAL = 86_400;

    private final SettingsStore store;
    private final Requests requests;

    SettingsApi(SettingsStore store, Requests requests) {
        this.store = store;
        this.requests = requests;
    }

    RouteTable routes(Vertx vertx) {
        return new RouteTable(vertx)
                .add(HttpMethod.GET, "/", Role.VIEWER, ctx -> Requests.ok(ctx, 200, encode(store.settings())))
                .add(HttpMethod.PUT, "/", Role.ADMIN, this::replace);
    }

    static JsonObject encode(Settings s) {
        JsonArray nics = new JsonArray();
        s.interfaces().forEach(n -> nics.add(new JsonObject().put("name", n.name()).put("role", n.role())));
        return new JsonObject().put("interfaces", nics)
                .put("dataPlane", new JsonObject().put("backend", s.backend()).put("workers", s.workers()))
                .put("logging", new JsonObject().put("level", s.logLevel())
                        .put("statusInterval", s.statusIntervalSeconds()));
    }

    /** Reads a whole settings document, every bad field reported (422) as e.g. {@code interfaces[1].role}. */
    static Settings decode(JsonObject body, Fields f) {
        f.only(Set.of("interfaces", "dataPlane", "logging"));
        Settings d = Settings.DEFAULT;
        List<Settings.NetworkInterface> nics = new ArrayList<>();
        Object list = body.getValue("interfaces");
        if (list != null && !(list instanceof JsonArray)) {
            f.problem("interfaces", "must be a list of {name, role}");
        } else if (list instanceof JsonArray a) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < a.size(); i++) {
                String at = "interfaces[" + i + "]";
                if (!(a.getValue(i) instanceof JsonObject o) || !Set.of("name", "role").containsAll(o.fieldNames())) {
                    f.problem(at, "must be {name, role}");
                    continue;
                }
                String name = o.getValue("name") instanceof String s ? s : "";
                String role = o.getValue("role") instanceof String s ? s.toLowerCase(Locale.ROOT) : "";
                if (!IFNAME.matcher(name).matches()) {
                    f.problem(at + ".name", "an interface name of 1..15 letters, digits, '_', '.', ':', '-'");
                } else if (!seen.add(name)) {
                    f.problem(at + ".name", "interface '" + name + "' already has a role");
                }
                if (!Settings.ROLES.contains(role)) {
                    f.problem(at + ".role", "one of " + String.join(", ", Settings.ROLES));
                }
                nics.add(new Settings.NetworkInterface(name, role));
            }
        }
        JsonObject dp = object(body, "dataPlane", Set.of("backend", "workers"), f);
        JsonObject log = object(body, "logging", Set.of("level", "statusInterval"), f);
        String backend = word(dp, "dataPlane.backend", Settings.BACKENDS, d.backend(), f);
        int workers = number(dp, "dataPlane.workers", d.workers(), MAX_WORKERS, f);
        String level = word(log, "logging.level", Settings.LEVELS, d.logLevel(), f);
        int interval = number(log, "logging.statusInterval", d.statusIntervalSeconds(), MAX_STATUS_INTERVAL, f);
        return new Settings(nics, backend, workers, level, interval);
    }

    private static JsonObject object(JsonObject body, String field, Set<String> keys, Fields f) {
        Object v = body.getValue(field);
        if (v == null) {
            return new JsonObject();
        }
        if (!(v instanceof JsonObject o)) {
            f.problem(field, "must be an object");
            return new JsonObject();
        }
        o.fieldNames().stream().filter(k -> !keys.contains(k)).forEach(k -> f.problem(field + "." + k,
                "unknown field"));
        return o;
    }

    private static String word(JsonObject o, String field, List<String> allowed, String dflt, Fields f) {
        Object v = o.getValue(field.substring(field.indexOf('.') + 1));
        if (v == null) {
            return dflt;
        }
        String s = v instanceof String str ? str.toLowerCase(Locale.ROOT) : "";
        if (!allowed.contains(s)) {
            f.problem(field, "one of " + String.join(", ", allowed));
        }
        return s;
    }

    private static int number(JsonObject o, String field, int dflt, int max, Fields f) {
        Object v = o.getValue(field.substring(field.indexOf('.') + 1));
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Integer i) || i < 0 || i > max) {
            f.problem(field, "must be a whole number 0.." + max);
            return dflt;
        }
        return i;
    }

    private void replace(RoutingContext ctx) {
        JsonObject body = Requests.json(ctx);
        Fields f = new Fields(body);
        Settings next = decode(body, f);
        f.check();
        long rev = Requests.revision(store.replace(next, Requests.actor(ctx), Requests.channel(ctx)), ctx);
        requests.audit(ctx, "settings.update", "settings", "-> r" + rev);
        Requests.ok(ctx, 200, encode(store.settings()));
    }
}
