package net.edgegw.mgmt.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import net.edgegw.mgmt.port.CertificateInfo;
import net.edgegw.mgmt.port.CertificateStore;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.web.HttpProblem;
import net.edgegw.mgmt.web.RouteTable;

/**
 * {@code /api/v1/certificates}: the configuration's CAs and gateway certificates. Reads for viewers (a certificate
 * and its PEM are public by nature; private keys never leave the device), changes for admins, each one revision.
 */
final class CertificateApi {
    static final String PEM_TYPE = "application/x-pem-file";

    private final CertificateStore store;
    private final Requests requests;

    CertificateApi(CertificateStore store, Requests requests) {
        this.store = store;
        this.requests = requests;
    }

    RouteTable routes(Vertx vertx) {
        return new RouteTable(vertx)
                .add(HttpMethod.GET, "/", Role.VIEWER, this::list)
                .add(HttpMethod.GET, "/:name", Role.VIEWER, this::get)
                .add(HttpMethod.GET, "/:name/pem", Role.VIEWER, this::pem);
    }

    static JsonObject encode(CertificateInfo c) {
        return new JsonObject().put("name", c.name()).put("kind", c.kind().name()).put("subject", c.subject())
                .put("issuer", c.issuer()).put("serial", c.serial()).put("notBefore", c.notBefore().toString())
                .put("notAfter", c.notAfter().toString()).put("subjectAltNames", new JsonArray(c.subjectAltNames()))
                .put("hasKey", c.hasKey()).put("selfSigned", c.selfSigned()).put("usedBy", new JsonArray(c.usedBy()));
    }

    private CertificateInfo existing(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        return store.get(name).orElseThrow(() -> HttpProblem.notFound("certificate '" + name + "'"));
    }

    private void list(RoutingContext ctx) {
        Requests.ok(ctx, 200, store.list().stream().map(CertificateApi::encode).toList());
    }

    private void get(RoutingContext ctx) {
        Requests.ok(ctx, 200, encode(existing(ctx)));
    }

    /** The certificate alone, as a download; the key stays on the device. */
    private void pem(RoutingContext ctx) {
        CertificateInfo c = existing(ctx);
        String pem = store.pem(c.name()).orElseThrow(() -> HttpProblem.notFound("certificate '" + c.name() + "'"));
        ctx.response().setStatusCode(200).putHeader("Content-Type", PEM_TYPE)
                .putHeader("Content-Disposition", "attachment; filename=\"" + c.name() + ".pem\"").end(pem);
    }
}
