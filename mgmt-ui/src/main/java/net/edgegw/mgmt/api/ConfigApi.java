package net.edgegw.mgmt.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import net.edgegw.mgmt.port.Change;
import net.edgegw.mgmt.port.ConfigItem;
import net.edgegw.mgmt.port.ConfigStore;
import net.edgegw.mgmt.port.Problem;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.web.HttpProblem;
import net.edgegw.mgmt.web.RouteTable;

/**
 * CRUD of one kind of config item ({@code /api/v1/clusters}, {@code /peers}, {@code /connections}): reads for
 * viewers, writes for admins; every write is one committed revision.
 */
final class ConfigApi<T extends ConfigItem> {
    private final ItemCodec<T> codec;
    private final ConfigStore store;
    private final Requests requests;

    ConfigApi(ItemCodec<T> codec, ConfigStore store, Requests requests) {
        this.codec = codec;
        this.store = store;
        this.requests = requests;
    }

    RouteTable routes(Vertx vertx) {
        return new RouteTable(vertx)
                .add(HttpMethod.GET, "/", Role.VIEWER, this::list)
                .add(HttpMethod.POST, "/", Role.ADMIN, this::create)
                .add(HttpMethod.GET, "/:name", Role.VIEWER, this::get)
                .add(HttpMethod.PUT, "/:name", Role.ADMIN, this::replace)
                .add(HttpMethod.DELETE, "/:name", Role.ADMIN, this::delete);
    }

    private String what() {
        return codec.kind().name().toLowerCase();
    }

    @SuppressWarnings("unchecked")
    private JsonObject encode(ConfigItem item) {
        return codec.encode((T) item);
    }

    private void list(RoutingContext ctx) {
        Requests.ok(ctx, 200, store.list(codec.kind()).stream().map(this::encode).toList());
    }

    private void get(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        ConfigItem item = store.get(codec.kind(), name)
                .orElseThrow(() -> HttpProblem.notFound(what() + " '" + name + "'"));
        Requests.ok(ctx, 200, encode(item));
    }

    private void create(RoutingContext ctx) {
        Fields f = new Fields(Requests.json(ctx));
        String name = f.name("name");
        T item = codec.decode(name, f, store);
        f.check();
        if (store.get(codec.kind(), name).isPresent()) {
            throw new HttpProblem(409, "exists", what() + " '" + name + "' exists already",
                    List.of(new Problem("name", "is taken")), 0);
        }
        commit(ctx, Change.create(item), "create " + what() + " " + name);
        Requests.ok(ctx, 201, encode(stored(item)));
    }

    private void replace(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        JsonObject body = Requests.json(ctx);
        Fields f = new Fields(body);
        if (body.containsKey("name") && !name.equals(body.getValue("name"))) {
            f.problem("name", "does not match the URL; renaming is delete + create");
        }
        T item = codec.decode(name, f, store);
        f.check();
        if (store.get(codec.kind(), name).isEmpty()) {
            throw HttpProblem.notFound(what() + " '" + name + "'");
        }
        commit(ctx, Change.replace(item), "update " + what() + " " + name);
        Requests.ok(ctx, 200, encode(stored(item)));
    }

    /** The item as the store now holds it: what a write left out (a kept PSK, defaults) shows as stored. */
    private ConfigItem stored(T item) {
        return store.get(codec.kind(), item.name()).orElse(item);
    }

    private void delete(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        if (store.get(codec.kind(), name).isEmpty()) {
            throw HttpProblem.notFound(what() + " '" + name + "'");
        }
        commit(ctx, Change.delete(codec.kind(), name), "delete " + what() + " " + name);
        Requests.noContent(ctx);
    }

    private void commit(RoutingContext ctx, Change change, String comment) {
        long rev = Requests.revision(
                store.commit(List.of(change), Requests.actor(ctx), comment, Requests.channel(ctx)), ctx);
        requests.audit(ctx, "config.commit", codec.kind().path() + "/" + change.name(), comment + " -> r" + rev);
    }
}
