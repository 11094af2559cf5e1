package net.edgegw.mgmt.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Objects;
import net.edgegw.mgmt.port.ConfigItem;
import net.edgegw.mgmt.port.ConfigStore;
import net.edgegw.mgmt.port.DiffEntry;
import net.edgegw.mgmt.port.Peer;
import net.edgegw.mgmt.port.Revision;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.web.HttpProblem;
import net.edgegw.mgmt.web.RouteTable;

/** {@code /api/v1/revisions}: history, what one revision changed, and rollback (a new revision). */
final class RevisionApi {
    private final ConfigStore store;
    private final Requests requests;
    private final Codecs codecs;

    RevisionApi(ConfigStore store, Requests requests, Codecs codecs) {
        this.store = store;
        this.requests = requests;
        this.codecs = codecs;
    }

    RouteTable routes(Vertx vertx) {
        return new RouteTable(vertx)
                .add(HttpMethod.GET, "/", Role.VIEWER, this::list)
                .add(HttpMethod.GET, "/:rev", Role.VIEWER, this::get)
                .add(HttpMethod.POST, "/:rev/rollback", Role.ADMIN, this::rollback);
    }

    static JsonObject encode(Revision r) {
        return new JsonObject().put("number", r.number()).put("at", r.at().toString()).put("author", r.author())
                .put("comment", r.comment()).put("source", r.source());
    }

    private void list(RoutingContext ctx) {
        Requests.ok(ctx, 200, store.revisions(Requests.limit(ctx, 50, 1000)).stream().map(RevisionApi::encode)
                .toList());
    }

    private void get(RoutingContext ctx) {
        long n = Requests.number(ctx, "rev");
        Revision r = store.revision(n).orElseThrow(() -> HttpProblem.notFound("revision " + n));
        JsonArray changes = new JsonArray();
        for (DiffEntry d : store.diff(n).orElse(List.of())) {
            JsonObject change = new JsonObject().put("kind", d.kind().path()).put("name", d.name())
                    .put("change", d.change()).put("before", encode(d.before())).put("after", encode(d.after()));
            if (d.before() instanceof Peer b && d.after() instanceof Peer a && !Objects.equals(b.psk(), a.psk())) {
                change.put("note", "psk changed"); // the key itself is write-only: never in a diff
            }
            changes.add(change);
        }
        Requests.ok(ctx, 200, encode(r).put("changes", changes));
    }

    private JsonObject encode(ConfigItem item) {
        return item == null ? null : codecs.encode(item);
    }

    private void rollback(RoutingContext ctx) {
        long n = Requests.number(ctx, "rev");
        if (store.revision(n).isEmpty()) {
            throw HttpProblem.notFound("revision " + n);
        }
        long rev = Requests.revision(
                store.rollback(n, Requests.actor(ctx), "rollback to r" + n, Requests.channel(ctx)), ctx);
        requests.audit(ctx, "config.rollback", "revisions/" + n, "-> r" + rev);
        Requests.ok(ctx, 200, encode(store.revision(rev).orElseThrow()));
    }
}
