package net.edgegw.mgmt.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import net.edgegw.mgmt.auth.Argon2id;
import net.edgegw.mgmt.auth.LoginThrottle;
import net.edgegw.mgmt.auth.Secrets;
import net.edgegw.mgmt.auth.SessionStore;
import net.edgegw.mgmt.auth.SetupGate;
import net.edgegw.mgmt.port.AuditEvent;
import net.edgegw.mgmt.port.Backend;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.web.PanelTls;
import net.edgegw.mgmt.web.RouteTable;

/** The REST API: mounts one sub-router per resource under {@value #PREFIX}, and {@code /metrics}. */
public final class Api {
    public static final String PREFIX = "/api/v1";

    private final Backend backend;
    private final Requests requests;
    private final Codecs codecs;
    private final AccessApi access;
    private final UserApi userApi;
    private final StatusApi status;
    private final PanelTls tls;

    public Api(Backend backend, Clock clock, Argon2id hasher, SessionStore sessions, LoginThrottle throttle,
               SetupGate setup, Secrets secrets, PanelTls tls) {
        this.backend = backend;
        this.codecs = new Codecs(backend.certificates());
        this.requests = new Requests(backend.audit(), clock);
        this.access = new AccessApi(backend.users(), hasher, sessions, throttle, setup, requests, clock);
        this.userApi = new UserApi(backend.users(), hasher, sessions, secrets, requests, clock);
        this.status = new StatusApi(backend, requests);
        this.tls = tls;
    }

    /** Mounts every resource on {@code router}; authentication must already run on {@code /api/*}, /metrics. */
    public void mount(Vertx vertx, Router router) {
        access.setupRoutes(vertx).mountOn(router, PREFIX + "/setup");
        access.sessionRoutes(vertx).mountOn(router, PREFIX + "/session");
        userApi.userRoutes(vertx).mountOn(router, PREFIX + "/users");
        userApi.tokenRoutes(vertx).mountOn(router, PREFIX + "/tokens");
        new ConfigApi<>(codecs.clusters, backend.config(), requests).routes(vertx)
                .mountOn(router, PREFIX + "/clusters");
        new ConfigApi<>(codecs.peers, backend.config(), requests).routes(vertx).mountOn(router, PREFIX + "/peers");
        new ConfigApi<>(codecs.connections, backend.config(), requests).routes(vertx)
                .mountOn(router, PREFIX + "/connections");
        new RevisionApi(backend.config(), requests, codecs).routes(vertx).mountOn(router, PREFIX + "/revisions");
        new CertificateApi(backend.certificates(), requests).routes(vertx).mountOn(router, PREFIX + "/certificates");
        new SettingsApi(backend.settings(), requests).routes(vertx).mountOn(router, PREFIX + "/settings");
        new ConfigDocumentApi(backend.documents(), requests).routes(vertx).mountOn(router, PREFIX + "/config");
        status.routes(vertx).mountOn(router, PREFIX + "/status");
        new RouteTable(vertx).add(HttpMethod.GET, "/", Role.ADMIN, ctx -> Requests.ok(ctx, 200,
                backend.audit().recent(Requests.limit(ctx, 100, 10_000)).stream().map(Api::encode).toList()))
                .mountOn(router, PREFIX + "/audit");
        new LogApi(backend.logs()).routes(vertx).mountOn(router, PREFIX + "/logs");
        new DiagnosticsApi(backend.diagnostics(), requests).routes(vertx).mountOn(router, PREFIX + "/diagnostics");
        status.metricsRoutes(vertx).mountOn(router, "/metrics");
        // Before /system, whose sub-router would otherwise take /system/tls too.
        new TlsApi(tls, requests).routes(vertx).mountOn(router, TlsApi.PATH);
        new SystemApi(backend.system(), requests).routes(vertx).mountOn(router, PREFIX + "/system");
    }

    private static JsonObject encode(AuditEvent e) {
        return new JsonObject().put("at", e.at().toString()).put("actor", e.actor()).put("action", e.action())
                .put("target", e.target()).put("source", e.source()).put("detail", e.detail());
    }
}
