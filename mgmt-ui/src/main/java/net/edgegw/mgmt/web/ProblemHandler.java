package net.edgegw.mgmt.web;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.edgegw.mgmt.port.Problem;

/**
 * The one failure handler: every error, expected or not, leaves as {@code application/problem+json} (RFC 9457)
 * with the per-field {@code errors} member where there are any. A stack trace goes to the log, never to the client.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9457#section-3">RFC 9457 §3</a>
 */
public final class ProblemHandler implements Handler<RoutingContext> {
    public static final String CONTENT_TYPE = "application/problem+json";
    private static final Logger LOG = Logger.getLogger(ProblemHandler.class.getName());

    @Override
    public void handle(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        Throwable f = ctx.failure();
        JsonObject body = new JsonObject();
        int status;
        if (f instanceof HttpProblem p) {
            status = p.status();
            body.put("type", p.type() == null ? "about:blank" : "urn:edgegw:problem:" + p.type());
            body.put("detail", p.getMessage());
            if (!p.errors().isEmpty()) {
                JsonArray errors = new JsonArray();
                for (Problem e : p.errors()) {
                    errors.add(new JsonObject().put("field", e.field()).put("message", e.message()));
                }
                body.put("errors", errors);
            }
            if (p.retryAfterSeconds() > 0) {
                ctx.response().putHeader("Retry-After", Long.toString(p.retryAfterSeconds()));
            }
        } else if (f instanceof DecodeException) {
            status = 400;
            body.put("type", "urn:edgegw:problem:malformed-json").put("detail", "the body is not valid JSON");
        } else if (f instanceof HttpException h) {
            status = h.getStatusCode();
            body.put("type", "about:blank");
        } else if (f == null && ctx.statusCode() >= 400) {
            status = ctx.statusCode();
            body.put("type", "about:blank");
        } else {
            status = 500;
            body.put("type", "about:blank").put("detail", "internal error; see the appliance log");
            LOG.log(Level.SEVERE, "unhandled error on " + ctx.request().method() + " " + ctx.request().path(), f);
        }
        body.put("title", HttpResponseStatus.valueOf(status).reasonPhrase());
        body.put("status", status);
        body.put("instance", ctx.request().path());
        if (status == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"edgegw\"");
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE).end(body.encode());
    }
}
