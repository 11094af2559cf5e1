package net.edgegw.mgmt.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.web.HttpProblem;
import net.edgegw.mgmt.web.PanelTls;
import net.edgegw.mgmt.web.RouteTable;
import net.edgegw.mgmt.web.TlsIdentity;

/**
 * {@code /api/v1/system/tls}: the admin panel's own HTTPS certificate (not the IKE certificates of
 * {@link CertificateApi}). Viewers read it; an admin replaces it with a PEM chain and its key, which the running
 * server uses for new connections at once (no restart). Bad input is 422 per field and changes nothing; the key is
 * never echoed nor audited.
 */
final class TlsApi {
    static final String PATH = Api.PREFIX + "/system/tls";
    static final int MAX_CHAIN = 32_768;
    static final int MAX_KEY = 16_384;

    private final PanelTls tls;
    private final Requests requests;

    TlsApi(PanelTls tls, Requests requests) {
        this.tls = tls;
        this.requests = requests;
    }

    RouteTable routes(Vertx vertx) {
        return new RouteTable(vertx)
                .add(HttpMethod.GET, "/", Role.VIEWER, this::get)
                .add(HttpMethod.PUT, "/", Role.ADMIN, this::replace);
    }

    static JsonObject encode(TlsIdentity.Details d) {
        return new JsonObject().put("subject", d.subject()).put("issuer", d.issuer())
                .put("subjectAltNames", new JsonArray(d.subjectAltNames())).put("notBefore", d.notBefore().toString())
                .put("notAfter", d.notAfter().toString()).put("sha256", d.sha256()).put("selfSigned", d.selfSigned())
                .put("keyType", d.keyType()).put("chainLength", d.chainLength());
    }

    private void get(RoutingContext ctx) {
        Requests.ok(ctx, 200, encode(tls.current()));
    }

    private void replace(RoutingContext ctx) {
        Fields f = new Fields(Requests.json(ctx)).only(Set.of("certificatePem", "privateKeyPem"));
        String cert = f.pem("certificatePem", true, MAX_CHAIN);
        String key = f.pem("privateKeyPem", true, MAX_KEY);
        f.check();
        TlsIdentity.Details d;
        try {
            d = tls.replace(cert, key);
        } catch (HttpProblem refused) {
            requests.audit(ctx, "system.tls.refused", "system/tls", refused.errors().stream()
                    .map(p -> p.field() + " " + p.message()).reduce((a, b) -> a + "; " + b).orElse(""));
            throw refused;
        }
        requests.audit(ctx, "system.tls.replace", "system/tls", d.subject() + ", " + d.keyType() + ", SHA-256 "
                + d.sha256() + ", valid to " + d.notAfter());
        Requests.ok(ctx, 200, encode(d).put("effective", "now, for new connections (open ones keep the old one)"));
    }
}
