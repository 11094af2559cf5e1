package net.edgegw.mgmt.api;

import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import net.edgegw.mgmt.port.Role;
import net.edgegw.mgmt.port.SystemControl;
import net.edgegw.mgmt.port.SystemControl.UpdateStatus;
import net.edgegw.mgmt.web.BodyPolicy;
import net.edgegw.mgmt.web.HttpProblem;
import net.edgegw.mgmt.web.RouteTable;

/**
 * {@code /api/v1/system}: what runs (version, A/B slots, trial boot, hardware profile and its CPU warnings),
 * firmware updates and the reboot. An update is the raw signed bundle as the body of {@code POST /update}
 * ({@code application/octet-stream}): it bypasses the JSON body limit, is streamed to a file under the data
 * directory with a size cap, and is verified completely by {@link SystemControl#install} before anything is
 * written; a bad one is 422 and nothing has changed.
 */
final class SystemApi {
    private static final String OCTETS = "application/octet-stream";

    private final SystemControl system;
    private final Requests requests;

    SystemApi(SystemControl system, Requests requests) {
        this.system = system;
        this.requests = requests;
    }

    RouteTable routes(Vertx vertx) {
        return new RouteTable(vertx)
                .add(HttpMethod.GET, "/", Role.VIEWER, this::info)
                .add(HttpMethod.GET, "/update", Role.VIEWER, this::updateStatus)
                .add(HttpMethod.POST, "/update", Role.ADMIN, BodyPolicy.STREAMED, this::upload)
                .add(HttpMethod.POST, "/reboot", Role.ADMIN, this::reboot);
    }

    private void info(RoutingContext ctx) {
        SystemControl.SystemInfo i = system.info();
        SystemControl.Hardware h = i.hardware();
        JsonArray slots = new JsonArray();
        i.slots().forEach(s -> slots.add(new JsonObject().put("name", s.name()).put("state", s.state())
                .put("version", s.version())));
        JsonArray found = new JsonArray();
        h.expectedCpuFeatures().stream().filter(f -> !h.missingCpuFeatures().contains(f)).forEach(found::add);
        Optional<String> unavailable = system.updatesUnavailable();
        Requests.ok(ctx, 200, new JsonObject()
                .put("version", i.version())
                .put("activeSlot", i.activeSlot())
                .put("slots", slots)
                .put("trial", new JsonObject().put("state", i.trial()).put("detail", i.trialDetail()))
                .put("hardware", new JsonObject().put("profile", h.profile()).put("description", h.description())
                        .put("matchedBy", h.matchedBy())
                        .put("cpuFeatures", new JsonObject().put("expected", new JsonArray(h.expectedCpuFeatures()))
                                .put("found", found).put("missing", new JsonArray(h.missingCpuFeatures())))
                        .put("warnings", new JsonArray(h.warnings())).put("backend", h.backend())
                        .put("workers", h.workers()).put("watchdog", h.watchdog()))
                .put("dataPlane", i.dataPlane())
                .put("uptimeSeconds", i.uptimeSeconds())
                .put("updates", new JsonObject().put("available", unavailable.isEmpty())
                        .put("reason", unavailable.orElse(""))));
    }

    private static JsonObject encode(UpdateStatus u) {
        return new JsonObject().put("state", u.state().name().toLowerCase(Locale.ROOT)).put("message", u.message());
    }

    private void updateStatus(RoutingContext ctx) {
        Requests.ok(ctx, 200, encode(system.update()));
    }

    /**
     * Streams the body to {@code uploadDir/upload-<uuid>.part} (back-pressured, counted against
     * {@link SystemControl#maxBundleBytes}), then verifies and installs on a worker thread. The request arrives
     * paused: the route is declared {@link BodyPolicy#STREAMED}, so no body handler reads it first.
     */
    private void upload(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        Optional<String> unavailable = system.updatesUnavailable();
        if (unavailable.isPresent()) {
            requests.audit(ctx, "system.update.refused", "system", unavailable.get());
            throw closing(ctx, new HttpProblem(409, "updates-unavailable", unavailable.get()));
        }
        String type = req.getHeader("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(OCTETS)) {
            throw closing(ctx, new HttpProblem(415, "media-type", "send the bundle as " + OCTETS));
        }
        if (system.update().state() == UpdateStatus.State.INSTALLING) {
            throw closing(ctx, new HttpProblem(409, "update-in-progress", system.update().message()));
        }
        String length = req.getHeader("Content-Length");
        if (length != null && (!length.matches("\\d{1,18}") || Long.parseLong(length) > system.maxBundleBytes())) {
            throw closing(ctx, tooLarge(system));
        }
        Path file;
        try {
            Files.createDirectories(system.uploadDir());
            file = system.uploadDir().resolve("upload-" + UUID.randomUUID() + ".part");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Vertx vertx = ctx.vertx();
        AsyncFile out = vertx.fileSystem().openBlocking(file.toString(),
                new OpenOptions().setWrite(true).setCreateNew(true).setPerms("rw-------"));
        long[] received = {0};
        boolean[] failed = {false};
        req.exceptionHandler(e -> abort(ctx, out, file, failed, new HttpProblem(400, "upload-broken",
                "the upload broke off: " + e.getMessage())));
        req.handler(chunk -> {
            if (failed[0]) {
                return;
            }
            received[0] += chunk.length();
            if (received[0] > system.maxBundleBytes()) {
                abort(ctx, out, file, failed, tooLarge(system));
                return;
            }
            out.write(chunk);
            if (out.writeQueueFull()) {
                req.pause();
                out.drainHandler(v -> req.resume());
            }
        });
        req.endHandler(v -> {
            if (failed[0]) {
                return;
            }
            out.close().onComplete(closed -> vertx.executeBlocking(() -> system.install(file), false)
                    .onComplete(r -> {
                        if (r.failed()) {
                            delete(file);
                            ctx.fail(r.cause());
                            return;
                        }
                        UpdateStatus u = r.result();
                        requests.audit(ctx, u.state() == UpdateStatus.State.REFUSED ? "system.update.refused"
                                : "system.update", "system", received[0] + " bytes: " + u.message());
                        if (u.state() == UpdateStatus.State.REFUSED || u.state() == UpdateStatus.State.FAILED) {
                            ctx.fail(new HttpProblem(u.state() == UpdateStatus.State.REFUSED ? 422 : 500,
                                    "update-refused", u.message()));
                            return;
                        }
                        Requests.ok(ctx, 202, encode(u).put("next", u.state() == UpdateStatus.State.INSTALLED
                                ? "POST /api/v1/system/reboot to boot the new slot once (trial)"
                                : "GET /api/v1/system/update until state is installed, then POST"
                                + " /api/v1/system/reboot"));
                    }));
        });
        req.resume();
    }

    private static HttpProblem tooLarge(SystemControl system) {
        return new HttpProblem(413, "bundle-too-large", "an update bundle is at most "
                + system.maxBundleBytes() + " bytes");
    }

    /** The client may still be sending: answer and close the connection rather than read the rest. */
    private static HttpProblem closing(RoutingContext ctx, HttpProblem p) {
        ctx.response().putHeader("Connection", "close");
        return p;
    }

    private void abort(RoutingContext ctx, AsyncFile out, Path file, boolean[] failed, HttpProblem p) {
        failed[0] = true;
        ctx.request().pause();
        out.close().onComplete(v -> ctx.vertx().executeBlocking(() -> {
            delete(file);
            return null;
        }, false));
        requests.audit(ctx, "system.update.refused", "system", p.getMessage());
        if (!ctx.response().ended()) {
            ctx.fail(closing(ctx, p));
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // an upload file left behind is removed by the next install's clean-up of the upload directory
        }
    }

    private void reboot(RoutingContext ctx) {
        if (system.update().state() == UpdateStatus.State.INSTALLING) {
            throw new HttpProblem(409, "update-in-progress", "an update is being written to the inactive slot;"
                    + " reboot once GET /api/v1/system/update says installed");
        }
        requests.audit(ctx, "system.reboot", "system", "reboot requested");
        if (!system.reboot()) {
            throw new HttpProblem(409, "reboot-unavailable", "this system cannot be rebooted from the panel"
                    + " (not the appliance image)");
        }
        Requests.ok(ctx, 202, new JsonObject().put("reboot", "requested")
                .put("message", "the appliance restarts now; the panel is back in a few minutes"));
    }
}
