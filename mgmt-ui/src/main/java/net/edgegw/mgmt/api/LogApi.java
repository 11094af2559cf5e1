package net.edgegw.mgmt.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import net.edgegw.mgmt.port.LogEntry;
import net.edgegw.mgmt.port.LogQuery;
import net.edgegw.mgmt.port.LogSource;
import net.edgegw.mgmt.port.Problem;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.web.HttpProblem;
import net.edgegw.mgmt.web.RouteTable;

/**
 * {@code GET /api/v1/logs?level=&q=&logger=&since=&limit=}: the appliance's recent log records, filtered. Operator
 * role, not viewer: log lines name peer addresses, identities and networks (never secrets, which are not logged).
 */
final class LogApi {
    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 5000;
    private static final int MAX_TEXT = 200;

    private final LogSource logs;

    LogApi(LogSource logs) {
        this.logs = logs;
    }

    RouteTable routes(Vertx vertx) {
        return new RouteTable(vertx).add(HttpMethod.GET, "/", Role.OPERATOR, this::list);
    }

    private void list(RoutingContext ctx) {
        List<Problem> problems = new ArrayList<>();
        int level = 0;
        String l = ctx.request().getParam("level");
        if (l != null && !l.isEmpty()) {
            level = level(l);
            if (level < 0) {
                problems.add(new Problem("level", "one of error, warning, info, debug, trace (or SEVERE ... FINEST)"));
            }
        }
        String q = param(ctx, "q", problems);
        String logger = param(ctx, "logger", problems);
        long since = 0;
        String s = ctx.request().getParam("since");
        if (s != null && !s.isEmpty()) {
            if (s.matches("\\d{1,18}")) {
                since = Long.parseLong(s);
            } else {
                problems.add(new Problem("since", "a record number (seq) from an earlier answer"));
            }
        }
        if (!problems.isEmpty()) {
            throw HttpProblem.invalid(problems);
        }
        int limit = Requests.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT);
        List<LogEntry> out = logs.logs(new LogQuery(level, q, logger, since, limit));
        Requests.ok(ctx, 200, out.stream().map(LogApi::encode).toList());
    }

    private static String param(RoutingContext ctx, String name, List<Problem> problems) {
        String v = ctx.request().getParam(name);
        if (v != null && v.length() > MAX_TEXT) {
            problems.add(new Problem(name, "at most " + MAX_TEXT + " characters"));
            return "";
        }
        return v == null ? "" : v;
    }

    /** The syslog-style names the panel offers, or java.util.logging's; -1 if neither. */
    static int level(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "error", "severe" -> Level.SEVERE.intValue();
            case "warning", "warn" -> Level.WARNING.intValue();
            case "info" -> Level.INFO.intValue();
            case "debug", "fine", "config" -> Level.FINE.intValue();
            case "trace", "finer", "finest", "all" -> Level.FINEST.intValue();
            default -> -1;
        };
    }

    static JsonObject encode(LogEntry e) {
        return new JsonObject().put("seq", e.seq()).put("at", e.at().toString()).put("level", e.level())
                .put("logger", e.logger()).put("message", e.message());
    }
}
