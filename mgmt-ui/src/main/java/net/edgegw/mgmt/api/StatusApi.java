package net.edgegw.mgmt.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import net.edgegw.mgmt.port.Backend;
import net.edgegw.mgmt.port.ConfigItem;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.port.TunnelStatus;
import net.edgegw.mgmt.web.HttpProblem;
import net.edgegw.mgmt.web.RouteTable;

/**
 * {@code /api/v1/status} (tunnels, for every role, also as a server-sent event stream), the operator's tunnel restart, and {@code /metrics} in the
 * Prometheus text format (version 0.0.4) for scrapers holding a token.
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
                .add(HttpMethod.POST, "/tunnels/:name/restart", Role.OPERATOR, this::restart);
    }

    RouteTable metricsRoutes(Vertx vertx) {
        return new RouteTable(vertx).add(HttpMethod.GET, "/", Role.VIEWER, this::metrics);
    }

    static JsonObject encode(TunnelStatus t) {
        return new JsonObject().put("name", t.name()).put("state", t.state()).put("bytesIn", t.bytesIn())
                .put("bytesOut", t.bytesOut()).put("packetsIn", t.packetsIn()).put("packetsOut", t.packetsOut())
                .put("drops", t.drops());
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
                t -> "ESTABLISHED".equals(t.state()) ? 1 : 0);
        metric(b, tunnels, "edgegw_tunnel_bytes_in_total", "counter", "Bytes received.", TunnelStatus::bytesIn);
        metric(b, tunnels, "edgegw_tunnel_bytes_out_total", "counter", "Bytes sent.", TunnelStatus::bytesOut);
        metric(b, tunnels, "edgegw_tunnel_packets_in_total", "counter", "Packets received.",
                TunnelStatus::packetsIn);
        metric(b, tunnels, "edgegw_tunnel_packets_out_total", "counter", "Packets sent.", TunnelStatus::packetsOut);
        metric(b, tunnels, "edgegw_tunnel_drops_total", "counter", "Packets dropped.", TunnelStatus::drops);
        ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(b.toString());
    }

    private static void metric(StringBuilder b, List<TunnelStatus> tunnels, String name, String type, String help,
                               java.util.function.ToLongFunction<TunnelStatus> value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (TunnelStatus t : tunnels) {
            String label = t.name().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
            b.append(name).append("{tunnel=\"").append(label).append("\"} ").append(value.applyAsLong(t))
                    .append('\n');
        }
    }
}
