package net.edgegw.mgmt.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import net.edgegw.mgmt.port.ConfigDocuments;
import net.edgegw.mgmt.port.Problem;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.port.CommitResult;
import net.edgegw.mgmt.web.BodyPolicy;
import net.edgegw.mgmt.web.HttpProblem;
import net.edgegw.mgmt.web.RouteTable;

/**
 * {@code /api/v1/config}: the whole configuration as YAML. {@code GET /export} (admin: it is the whole
 * configuration, secrets left out); {@code POST /import} with an {@code application/yaml} body, {@code ?mode=replace}
 * (default: the document is the configuration) or {@code ?mode=merge} (the items it names replace or join the
 * current ones): validated as a whole, then one revision, or 422 listing every problem with nothing changed.
 */
final class ConfigDocumentApi {
    static final String YAML = "application/yaml";
    /** Import bodies may be larger than the API's 64 KiB: a configuration with many certificates. */
    public static final long IMPORT_LIMIT = 1024 * 1024;

    private final ConfigDocuments documents;
    private final Requests requests;

    ConfigDocumentApi(ConfigDocuments documents, Requests requests) {
        this.documents = documents;
        this.requests = requests;
    }

    RouteTable routes(Vertx vertx) {
        return new RouteTable(vertx)
                .add(HttpMethod.GET, "/export", Role.ADMIN, this::export)
                .add(HttpMethod.POST, "/import", Role.ADMIN, BodyPolicy.large(IMPORT_LIMIT), this::load);
    }

    private void export(RoutingContext ctx) {
        String yaml = documents.export(Requests.actor(ctx), Requests.channel(ctx));
        requests.audit(ctx, "config.export", "config", "secrets left out");
        ctx.response().setStatusCode(200).putHeader("Content-Type", YAML + "; charset=utf-8")
                .putHeader("Content-Disposition", "attachment; filename=\"edgegw-config.yaml\"").end(yaml);
    }

    private void load(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
        if (!t.startsWith(YAML) && !t.startsWith("application/x-yaml") && !t.startsWith("text/yaml")) {
            throw new HttpProblem(415, "media-type", "send the configuration as application/yaml");
        }
        String m = ctx.request().getParam("mode", "replace");
        ConfigDocuments.Mode mode = switch (m) {
            case "replace" -> ConfigDocuments.Mode.REPLACE;
            case "merge" -> ConfigDocuments.Mode.MERGE;
            default -> throw HttpProblem.invalid(List.of(new Problem("mode", "one of replace, merge")));
        };
        String yaml = ctx.body().buffer() == null ? "" : ctx.body().buffer().toString(StandardCharsets.UTF_8);
        CommitResult r = documents.load(yaml, mode, Requests.actor(ctx), Requests.channel(ctx));
        if (r instanceof CommitResult.Rejected rejected) {
            throw HttpProblem.invalid(rejected.problems());
        }
        long rev = ((CommitResult.Committed) r).revision();
        ctx.response().putHeader("X-Config-Revision", Long.toString(rev));
        requests.audit(ctx, "config.import", "config", "mode " + m + " -> r" + rev);
        Requests.ok(ctx, 200, new JsonObject().put("revision", rev).put("mode", m));
    }
}
