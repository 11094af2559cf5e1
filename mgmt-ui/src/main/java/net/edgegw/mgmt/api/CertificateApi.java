package net.edgegw.mgmt.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import net.edgegw.mgmt.port.CertificateInfo;
import net.edgegw.mgmt.port.CertificateStore;
import net.edgegw.mgmt.port.CommitResult;
import net.edgegw.mgmt.port.Secret;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.web.HttpProblem;
import net.edgegw.mgmt.web.RouteTable;

/**
 * {@code /api/v1/certificates}: the configuration's CAs and gateway certificates. Reads for viewers (a certificate
 * and its PEM are public by nature; private keys never leave the device), changes for admins, each one revision.
 */
final class CertificateApi {
    static final String PEM_TYPE = "application/x-pem-file";
    static final int MAX_DAYS = 36_500;

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
                .add(HttpMethod.GET, "/:name/pem", Role.VIEWER, this::pem)
                .add(HttpMethod.GET, "/:name/csr", Role.VIEWER, this::csr)
                .add(HttpMethod.POST, "/ca", Role.ADMIN, this::createCa)
                .add(HttpMethod.POST, "/issue", Role.ADMIN, this::issue)
                .add(HttpMethod.POST, "/csr", Role.ADMIN, this::request)
                .add(HttpMethod.PUT, "/:name/signed", Role.ADMIN, this::acceptSigned)
                .add(HttpMethod.POST, "/import", Role.ADMIN, this::importCertificate)
                .add(HttpMethod.DELETE, "/:name", Role.ADMIN, this::delete);
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

    /** The PKCS#10 request for a gateway certificate's key (e.g. one made by {@code POST /csr}). */
    private void csr(RoutingContext ctx) {
        CertificateInfo c = existing(ctx);
        String pem = store.csr(c.name()).orElseThrow(() -> new HttpProblem(409, "no-key",
                "the device holds no private key for gateway certificate '" + c.name() + "'"));
        ctx.response().setStatusCode(200).putHeader("Content-Type", "application/pkcs10")
                .putHeader("Content-Disposition", "attachment; filename=\"" + c.name() + ".csr\"").end(pem);
    }

    private void createCa(RoutingContext ctx) {
        Fields f = new Fields(Requests.json(ctx)).only(Set.of("name", "commonName", "days"));
        String name = f.name("name");
        String cn = f.string("commonName", true, 64);
        int days = f.integer("days", 3650, 1, MAX_DAYS);
        f.check();
        Requests.ok(ctx, 201, done(ctx, name, store.createCa(name, cn, days, Requests.actor(ctx),
                Requests.channel(ctx)), "certificate.create", "CA"));
    }

    private void issue(RoutingContext ctx) {
        Fields f = new Fields(Requests.json(ctx)).only(Set.of("name", "ca", "commonName", "subjectAltNames", "days",
                "keyType"));
        String name = f.name("name");
        String ca = f.string("ca", true, 63);
        String cn = f.string("commonName", true, 64);
        List<String> sans = Fields.list(f.string("subjectAltNames", false, 2048));
        int days = f.integer("days", 365, 1, MAX_DAYS);
        String keyType = f.oneOf("keyType", Set.of("ecdsa-p256", "rsa-2048", "ed25519"), "ecdsa-p256");
        f.check();
        Requests.ok(ctx, 201, done(ctx, name, store.issue(name, ca, cn, sans, days, keyType, Requests.actor(ctx),
                Requests.channel(ctx)), "certificate.issue", "from " + ca + ", " + keyType));
    }

    /** Makes a key on the device and answers the certificate (self-signed for now) with its CSR. */
    private void request(RoutingContext ctx) {
        Fields f = new Fields(Requests.json(ctx)).only(Set.of("name", "commonName", "subjectAltNames"));
        String name = f.name("name");
        String cn = f.string("commonName", true, 64);
        List<String> sans = Fields.list(f.string("subjectAltNames", false, 2048));
        f.check();
        JsonObject out = done(ctx, name, store.request(name, cn, sans, Requests.actor(ctx),
                Requests.channel(ctx)), "certificate.csr", "key made on the device");
        Requests.ok(ctx, 201, out.put("csr", store.csr(name).orElse("")));
    }

    private void acceptSigned(RoutingContext ctx) {
        CertificateInfo c = existing(ctx);
        Fields f = new Fields(Requests.json(ctx)).only(Set.of("certificate"));
        String pem = f.pem("certificate", true, 16_384);
        f.check();
        Requests.ok(ctx, 200, done(ctx, c.name(), store.acceptSigned(c.name(), pem, Requests.actor(ctx),
                Requests.channel(ctx)), "certificate.signed", "signed certificate for the device's key"));
    }

    /** PEM (certificate, optional key) or PKCS#12 (base64 with its password): never echoed, never audited. */
    private void importCertificate(RoutingContext ctx) {
        Fields f = new Fields(Requests.json(ctx)).only(Set.of("name", "kind", "certificate", "privateKey", "pkcs12",
                "password"));
        String name = f.name("name");
        String kind = f.oneOf("kind", Set.of("CA", "GATEWAY"), "");
        String pem = f.pem("certificate", false, 16_384);
        String key = f.pem("privateKey", false, 16_384);
        String p12 = f.pem("pkcs12", false, 32_768);
        String password = f.text("password");
        byte[] bundle = null;
        if (!p12.isEmpty()) {
            try {
                bundle = Base64.getMimeDecoder().decode(p12);
            } catch (IllegalArgumentException e) {
                f.problem("pkcs12", "must be the PKCS#12 file in base64");
            }
            if (!pem.isEmpty() || !key.isEmpty()) {
                f.problem("pkcs12", "give either a PEM certificate (and key) or a PKCS#12 file");
            }
        } else if (pem.isEmpty() && f.ok("certificate")) {
            f.problem("certificate", "a PEM certificate (or pkcs12) is required");
        }
        f.check();
        CommitResult r = bundle != null
                ? store.importPkcs12(name, bundle, password.toCharArray(), Requests.actor(ctx), Requests.channel(ctx))
                : store.importPem(name, kind.isEmpty() ? null : CertificateInfo.Kind.valueOf(kind), pem,
                        key.isEmpty() ? null : Secret.of(key), Requests.actor(ctx), Requests.channel(ctx));
        Requests.ok(ctx, 201, done(ctx, name, r, "certificate.import", bundle != null ? "PKCS#12" : "PEM"));
    }

    private void delete(RoutingContext ctx) {
        CertificateInfo c = existing(ctx);
        done(ctx, c.name(), store.delete(c.name(), Requests.actor(ctx), Requests.channel(ctx)),
                "certificate.delete", "");
        Requests.noContent(ctx);
    }

    /**
     * The certificate after a committed change (audited), or the refusal: 409 when the name is taken or still in
     * use, 422 for bad input (a common name, a PEM, a key that does not match).
     */
    private JsonObject done(RoutingContext ctx, String name, CommitResult r, String action,
                            String detail) {
        if (r instanceof CommitResult.Rejected rejected) {
            boolean conflict = rejected.problems().stream().anyMatch(p -> p.field().equals("name"));
            throw conflict ? new HttpProblem(409, "rejected", "certificate '" + name + "' cannot be changed so",
                    rejected.problems(), 0) : HttpProblem.invalid(rejected.problems());
        }
        long rev = ((CommitResult.Committed) r).revision();
        ctx.response().putHeader("X-Config-Revision", Long.toString(rev));
        requests.audit(ctx, action, "certificates/" + name, (detail.isEmpty() ? "" : detail + " ") + "-> r" + rev);
        return store.get(name).map(CertificateApi::encode).orElse(new JsonObject().put("name", name));
    }

    /** The certificate alone, as a download; the key stays on the device. */
    private void pem(RoutingContext ctx) {
        CertificateInfo c = existing(ctx);
        String pem = store.pem(c.name()).orElseThrow(() -> HttpProblem.notFound("certificate '" + c.name() + "'"));
        ctx.response().setStatusCode(200).putHeader("Content-Type", PEM_TYPE)
                .putHeader("Content-Disposition", "attachment; filename=\"" + c.name() + ".pem\"").end(pem);
    }
}
