package net.edgegw.mgmt.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.edgegw.mgmt.port.Diagnostics;
import net.edgegw.mgmt.port.Problem;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.web.HttpProblem;
import net.edgegw.mgmt.web.RouteTable;

/**
 * {@code POST /api/v1/diagnostics/ping {connection, target, source?, count}} (operator, audited): pings
 * {@code target} from one of this host's addresses inside the connection's local networks, so the packets take the
 * tunnel. 422 lists every bad field, and says so when the host has no address in those networks.
 */
final class DiagnosticsApi {
    private final Diagnostics diagnostics;
    private final Requests requests;

    DiagnosticsApi(Diagnostics diagnostics, Requests requests) {
        this.diagnostics = diagnostics;
        this.requests = requests;
    }

    RouteTable routes(Vertx vertx) {
        return new RouteTable(vertx).add(HttpMethod.POST, "/ping", Role.OPERATOR, this::ping);
    }

    private void ping(RoutingContext ctx) {
        JsonObject body = Requests.json(ctx);
        List<Problem> problems = new ArrayList<>();
        String connection = body.getValue("connection") instanceof String s ? s : "";
        Optional<List<String>> networks = connection.isEmpty() ? Optional.empty()
                : diagnostics.localNetworks(connection);
        if (networks.isEmpty()) {
            problems.add(new Problem("connection", connection.isEmpty() ? "required" : "no connection named '"
                    + connection + "'"));
        }
        Optional<InetAddress> target = PingCommand.literal(body.getValue("target") instanceof String s ? s : null);
        if (target.isEmpty()) {
            problems.add(new Problem("target", "an IPv4 or IPv6 address"));
        }
        Object c = body.getValue("count", 3);
        int count = c instanceof Integer i ? i : -1;
        if (count < 1 || count > PingCommand.MAX_COUNT) {
            problems.add(new Problem("count", "1.." + PingCommand.MAX_COUNT));
        }
        Optional<InetAddress> source = Optional.empty();
        Object src = body.getValue("source");
        if (src != null && !"".equals(src)) {
            source = PingCommand.literal(src instanceof String s ? s : null);
            if (source.isEmpty()) {
                problems.add(new Problem("source", "an IPv4 or IPv6 address"));
            }
        }
        if (!problems.isEmpty()) {
            throw HttpProblem.invalid(problems);
        }
        InetAddress to = target.get();
        List<String> nets = networks.get();
        InetAddress from;
        if (source.isPresent()) {
            from = source.get();
            if (!PingCommand.hostAddresses().contains(from)) {
                problems.add(new Problem("source", from.getHostAddress() + " is not an address of this host"));
            } else if (nets.stream().noneMatch(n -> PingCommand.inside(from, n))) {
                problems.add(new Problem("source", from.getHostAddress() + " is outside the local networks of "
                        + connection + " " + nets + ": the ping would not take the tunnel"));
            } else if (from instanceof Inet4Address != to instanceof Inet4Address) {
                problems.add(new Problem("source", "not of the target's address family"));
            }
        } else {
            from = PingCommand.pickSource(nets, to).orElse(null);
            if (from == null) {
                problems.add(new Problem("source", "this host has no " + (to instanceof Inet4Address ? "IPv4" : "IPv6")
                        + " address inside the local networks of " + connection + " " + nets
                        + ": give one with source, or add one to a LAN interface"));
            }
        }
        if (!problems.isEmpty()) {
            throw HttpProblem.invalid(problems);
        }
        PingCommand.Result r;
        try {
            r = PingCommand.run(from, to, count);
        } catch (IOException e) {
            throw new HttpProblem(503, "ping-unavailable", "cannot run " + PingCommand.PING + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpProblem(503, "ping-unavailable", "interrupted");
        }
        requests.audit(ctx, "diagnostics.ping", "connections/" + connection,
                from.getHostAddress() + " -> " + to.getHostAddress() + ": " + r.received() + "/" + r.sent());
        JsonObject out = new JsonObject().put("connection", connection).put("source", from.getHostAddress())
                .put("target", to.getHostAddress()).put("sent", r.sent()).put("received", r.received())
                .put("output", new JsonArray(r.lines())).put("timedOut", r.timedOut());
        if (r.rttAvg() >= 0) {
            out.put("rttMinMs", r.rttMin()).put("rttAvgMs", r.rttAvg()).put("rttMaxMs", r.rttMax());
        }
        Requests.ok(ctx, 200, out);
    }
}
