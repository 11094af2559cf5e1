package net.edgegw.mgmt.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import io.vertx.core.json.JsonArray;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.TreeMap;
import net.edgegw.mgmt.port.ActionResult;
import net.edgegw.mgmt.port.Backend;
import net.edgegw.mgmt.port.ChildSaStatus;
import net.edgegw.mgmt.port.ConfigItem;
import net.edgegw.mgmt.port.IkeSaStatus;
import net.edgegw.mgmt.port.Problem;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.port.StatusSource;
import net.edgegw.mgmt.port.TunnelStatus;
import net.edgegw.mgmt.web.HttpProblem;
import net.edgegw.mgmt.web.RouteTable;

/**
 * {@code /api/v1/status} (tunnels, for every role, also as a server-sent event stream; one tunnel with its IKE and
 * CHILD SAs), the operator's tunnel actions (restart, initiate, terminate, rekey; audited), and {@code /metrics} in
 * the Prometheus text format (version 0.0.4) for scrapers holding a token.
 */
final class StatusApi {
    static final int STREAM_EVENTS = 300;
    static final long STREAM_PERIOD_MS = 1000;
    static final int STREAM_RETRY_MS = 2000;

    private final Backend backend;
    private final Requests requests;

    StatusApi(Backend backend, Requests requests) {
        this.backend = backend;
        this.requests = requests;
    }

    RouteTable routes(Vertx vertx) {
        return new RouteTable(vertx)
                .add(HttpMethod.GET, "/", Role.VIEWER, this::status)
                .add(HttpMethod.GET, "/stream", Role.VIEWER, this::stream)
                .add(HttpMethod.GET, "/tunnels/:name", Role.VIEWER, this::tunnel)
                .add(HttpMethod.POST, "/tunnels/:name/restart", Role.OPERATOR, this::restart)
                .add(HttpMethod.POST, "/tunnels/:name/initiate", Role.OPERATOR,
                        ctx -> act(ctx, "initiate", backend.status().initiate(ctx.pathParam("name"))))
                .add(HttpMethod.POST, "/tunnels/:name/terminate", Role.OPERATOR,
                        ctx -> act(ctx, "terminate", backend.status().terminate(ctx.pathParam("name"))))
                .add(HttpMethod.POST, "/tunnels/:name/rekey", Role.OPERATOR, this::rekey);
    }

    RouteTable metricsRoutes(Vertx vertx) {
        return new RouteTable(vertx).add(HttpMethod.GET, "/", Role.VIEWER, this::metrics);
    }

    /**
     * The state as {@code stateWord} and {@code detail} (and both in one {@code state} string, for scripts), the
     * counters the dashboard charts, then the SA details ({@code ike} null while there is no IKE SA).
     */
    static JsonObject encode(TunnelStatus t) {
        return new JsonObject().put("name", t.name()).put("state", t.state()).put("stateWord", t.stateWord().name())
                .put("detail", t.detail()).put("bytesIn", t.bytesIn())
                .put("bytesOut", t.bytesOut()).put("packetsIn", t.packetsIn()).put("packetsOut", t.packetsOut())
                .put("drops", t.drops()).put("ike", t.ike() == null ? null : encode(t.ike()))
                .put("children", new JsonArray(t.children().stream().map(StatusApi::encode).toList()))
                .put("dropsByReason", new JsonObject(new TreeMap<>(t.dropsByReason())))
                .put("lastError", t.lastError());
    }

    private static JsonObject encode(IkeSaStatus i) {
        return new JsonObject().put("state", i.state()).put("localSpi", i.localSpi()).put("remoteSpi", i.remoteSpi())
                .put("initiator", i.initiator()).put("encryption", i.encryption()).put("prf", i.prf())
                .put("integrity", i.integrity()).put("dhGroup", i.dhGroup()).put("local", i.local())
                .put("remote", i.remote()).put("natLocal", i.natLocal()).put("natRemote", i.natRemote())
                .put("establishedAt", i.establishedAt() == null ? null : i.establishedAt().toString())
                .put("rekeySeconds", i.rekeySeconds());
    }

    private static JsonObject encode(ChildSaStatus c) {
        return new JsonObject().put("spiIn", c.spiIn()).put("spiOut", c.spiOut()).put("suite", c.suite())
                .put("localTs", new JsonArray(c.localTs())).put("remoteTs", new JsonArray(c.remoteTs()))
                .put("bytesIn", c.bytesIn()).put("bytesOut", c.bytesOut()).put("packetsIn", c.packetsIn())
                .put("packetsOut", c.packetsOut()).put("rekeySeconds", c.rekeySeconds());
    }

    private void tunnel(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        TunnelStatus t = backend.status().tunnels().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> HttpProblem.notFound("tunnel '" + name + "'"));
        Requests.ok(ctx, 200, encode(t));
    }

    /** 202 when the action was started (audited), 404 for no such tunnel, 409 when not possible now. */
    private void act(RoutingContext ctx, String action, ActionResult r) {
        String name = ctx.pathParam("name");
        switch (r.outcome()) {
            case NOT_FOUND -> throw HttpProblem.notFound("tunnel '" + name + "'");
            case CONFLICT -> throw new HttpProblem(409, "tunnel-state", r.detail());
            case ACCEPTED -> {
                requests.audit(ctx, "tunnel." + action, "tunnels/" + name, r.detail());
                Requests.ok(ctx, 202, new JsonObject().put("tunnel", name).put("action", action)
                        .put("detail", r.detail()));
            }
        }
    }

    /** Body {@code {"scope": "ike"|"child"|"both"}}, default both. */
    private void rekey(RoutingContext ctx) {
        String scope = ctx.body().buffer() == null || ctx.body().buffer().length() == 0 ? "both"
                : Requests.json(ctx).getValue("scope", "both") instanceof String s ? s : "";
        StatusSource.RekeyScope rs = switch (scope) {
            case "ike" -> StatusSource.RekeyScope.IKE;
            case "child" -> StatusSource.RekeyScope.CHILD;
            case "both" -> StatusSource.RekeyScope.BOTH;
            default -> throw HttpProblem.invalid(List.of(new Problem("scope", "must be ike, child or both")));
        };
        act(ctx, "rekey." + scope, backend.status().rekey(ctx.pathParam("name"), rs));
    }

    private void status(RoutingContext ctx) {
        List<TunnelStatus> tunnels = backend.status().tunnels();
        Requests.ok(ctx, 200, new JsonObject()
                .put("revision", backend.config().head())
                .put("clusters", backend.config().list(ConfigItem.Kind.CLUSTER).size())
                .put("peers", backend.config().list(ConfigItem.Kind.PEER).size())
                .put("tunnels", tunnels.stream().map(StatusApi::encode).toList()));
    }

    /**
     * Server-sent events (HTML Living Standard §9.2): one {@code data:} line per second with the tunnels' counters
     * and the server time, from which the panel draws rates. The stream ends after {@code limit} events (at most
     * {@link #STREAM_EVENTS}, five minutes) and the browser's EventSource reconnects, which re-checks the
     * credentials; a client that goes away stops the timer.
     */
    private void stream(RoutingContext ctx) {
        int events = Requests.limit(ctx, STREAM_EVENTS, STREAM_EVENTS);
        HttpServerResponse res = ctx.response();
        res.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store");
        res.write("retry: " + STREAM_RETRY_MS + "\n\n" + sample());
        if (events == 1) {
            res.end();
            return;
        }
        Vertx vertx = ctx.vertx();
        int[] sent = {1};
        long timer = vertx.setPeriodic(STREAM_PERIOD_MS, id -> vertx.executeBlocking(this::sample, false)
                .onSuccess(event -> {
                    if (res.closed() || res.ended()) {
                        vertx.cancelTimer(id);
                        return;
                    }
                    res.write(event);
                    if (++sent[0] >= events) {
                        vertx.cancelTimer(id);
                        res.end();
                    }
                }));
        res.closeHandler(v -> vertx.cancelTimer(timer));
        res.exceptionHandler(e -> vertx.cancelTimer(timer));
    }

    private String sample() {
        JsonObject o = new JsonObject().put("at", System.currentTimeMillis())
                .put("tunnels", backend.status().tunnels().stream().map(StatusApi::encode).toList());
        return "data: " + o.encode() + "\n\n";
    }

    private void restart(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        if (!backend.status().restart(name)) {
            throw HttpProblem.notFound("tunnel '" + name + "'");
        }
        requests.audit(ctx, "tunnel.restart", "tunnels/" + name, "");
        Requests.ok(ctx, 202, new JsonObject().put("tunnel", name).put("restart", "requested"));
    }

    private void metrics(RoutingContext ctx) {
        StringBuilder b = new StringBuilder();
        List<TunnelStatus> tunnels = backend.status().tunnels();
        b.append("# HELP edgegw_config_revision Latest committed configuration revision.\n")
                .append("# TYPE edgegw_config_revision gauge\n")
                .append("edgegw_config_revision ").append(backend.config().head()).append('\n');
        metric(b, tunnels, "edgegw_tunnel_up", "gauge", "1 if the tunnel is established.",
                t -> t.up() ? 1 : 0);
        metric(b, tunnels, "edgegw_tunnel_bytes_in_total", "counter", "Bytes received.", TunnelStatus::bytesIn);
        metric(b, tunnels, "edgegw_tunnel_bytes_out_total", "counter", "Bytes sent.", TunnelStatus::bytesOut);
        metric(b, tunnels, "edgegw_tunnel_packets_in_total", "counter", "Packets received.",
                TunnelStatus::packetsIn);
        metric(b, tunnels, "edgegw_tunnel_packets_out_total", "counter", "Packets sent.", TunnelStatus::packetsOut);
        metric(b, tunnels, "edgegw_tunnel_drops_total", "counter", "Packets dropped.", TunnelStatus::drops);
        metric(b, tunnels, "edgegw_tunnel_child_sas", "gauge", "Installed CHILD SAs.", t -> t.children().size());
        header(b, "edgegw_tunnel_drops_by_reason_total", "counter", "Packets dropped, by the data plane's reason.");
        long replay = 0;
        for (TunnelStatus t : tunnels) {
            for (Map.Entry<String, Long> d : new TreeMap<>(t.dropsByReason()).entrySet()) {
                b.append("edgegw_tunnel_drops_by_reason_total{tunnel=\"").append(label(t.name()))
                        .append("\",reason=\"").append(label(d.getKey())).append("\"} ").append(d.getValue())
                        .append('\n');
            }
            replay += t.dropsByReason().getOrDefault("REPLAY", 0L);
        }
        header(b, "edgegw_replay_drops_total", "counter", "Packets dropped by the anti-replay check, all tunnels.");
        b.append("edgegw_replay_drops_total ").append(replay).append('\n');
        Map<String, Long> byState = new TreeMap<>();
        for (TunnelStatus t : tunnels) {
            if (t.ike() != null) {
                byState.merge(t.ike().state(), 1L, Long::sum);
            }
        }
        header(b, "edgegw_ike_sas", "gauge", "IKE SAs by state.");
        for (String st : List.of("CONNECTING", "ESTABLISHED", "DELETING")) {
            b.append("edgegw_ike_sas{state=\"").append(st).append("\"} ").append(byState.getOrDefault(st, 0L))
                    .append('\n');
        }
        for (Map.Entry<String, Long> c : new TreeMap<>(backend.status().counters()).entrySet()) {
            String name = "edgegw_" + c.getKey().replaceAll("[^a-z0-9_]", "_") + "_total";
            header(b, name, "counter", "Engine counter " + c.getKey() + " since start.");
            b.append(name).append(' ').append(c.getValue()).append('\n');
        }
        jvm(b);
        ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(b.toString());
    }

    private static void metric(StringBuilder b, List<TunnelStatus> tunnels, String name, String type, String help,
                               java.util.function.ToLongFunction<TunnelStatus> value) {
        header(b, name, type, help);
        for (TunnelStatus t : tunnels) {
            b.append(name).append("{tunnel=\"").append(label(t.name())).append("\"} ").append(value.applyAsLong(t))
                    .append('\n');
        }
    }

    private static void header(StringBuilder b, String name, String type, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String label(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** The JVM's own figures: heap, threads, uptime, garbage collection. */
    private static void jvm(StringBuilder b) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        header(b, "edgegw_jvm_heap_used_bytes", "gauge", "JVM heap in use.");
        b.append("edgegw_jvm_heap_used_bytes ").append(heap.getUsed()).append('\n');
        header(b, "edgegw_jvm_heap_max_bytes", "gauge", "JVM heap limit (-1 if none).");
        b.append("edgegw_jvm_heap_max_bytes ").append(heap.getMax()).append('\n');
        header(b, "edgegw_jvm_threads", "gauge", "Live JVM threads.");
        b.append("edgegw_jvm_threads ").append(ManagementFactory.getThreadMXBean().getThreadCount()).append('\n');
        header(b, "edgegw_jvm_uptime_seconds", "gauge", "Seconds since the JVM started.");
        b.append("edgegw_jvm_uptime_seconds ").append(ManagementFactory.getRuntimeMXBean().getUptime() / 1000)
                .append('\n');
        header(b, "edgegw_jvm_gc_collections_total", "counter", "Garbage collections, by collector.");
        StringBuilder time = new StringBuilder();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String l = "{gc=\"" + label(gc.getName()) + "\"} ";
            b.append("edgegw_jvm_gc_collections_total").append(l).append(Math.max(0, gc.getCollectionCount()))
                    .append('\n');
            time.append("edgegw_jvm_gc_seconds_total").append(l).append(Math.max(0, gc.getCollectionTime()) / 1000.0)
                    .append('\n');
        }
        header(b, "edgegw_jvm_gc_seconds_total", "counter", "Time spent in garbage collection, by collector.");
        b.append(time);
    }
}
