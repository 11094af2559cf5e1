package net.edgegw.mgmt.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import net.edgegw.mgmt.testing.RunningServer;
import net.edgegw.mgmt.testing.RunningServer.Creds;
import net.edgegw.mgmt.testing.RunningServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests are validated against openapi.json, generically: every documented operation with a request body is
 * sent bodies that break its schema (a required member missing, a member of the wrong type, an unknown member)
 * and must answer 400 with an error on that field, before its handler runs. Operations added later are covered
 * without touching this test.
 */
class RequestValidationTest {
    private static RunningServer s;
    private static Creds admin;
    private static JsonObject doc;

    @BeforeAll
    static void start() {
        s = RunningServer.start();
        s.setUp();
        admin = Creds.bearer(s.createToken(s.adminSession(), "admin"));
        doc = s.get("/api/openapi.json", Creds.NONE).json();
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    /** A documented operation: method, path template, and its body schema with every $ref followed. */
    private record Op(HttpMethod method, String path, JsonObject schema) {
        String url() {
            return path.replaceAll("\\{[a-zA-Z]+}", "x1");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static JsonObject deref(JsonObject schema) {
        while (schema.containsKey("$ref")) {
            String[] parts = schema.getString("$ref").substring(2).split("/");
            JsonObject at = doc;
            for (String p : parts) {
                at = at.getJsonObject(p.replace("~1", "/").replace("~0", "~"));
            }
            schema = at;
        }
        return schema;
    }

    private static List<Op> operationsWithBodies() {
        List<Op> out = new ArrayList<>();
        JsonObject paths = doc.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            for (String m : paths.getJsonObject(path).fieldNames()) {
                JsonObject op = paths.getJsonObject(path).getJsonObject(m);
                JsonObject rb = op.getJsonObject("requestBody");
                if (rb == null) {
                    continue;
                }
                if (!rb.getJsonObject("content").containsKey("application/json")) {
                    continue; // a YAML import or a firmware bundle: read and checked by its handler
                }
                JsonObject schema = rb.getJsonObject("content").getJsonObject("application/json").getJsonObject("schema");
                out.add(new Op(HttpMethod.valueOf(m.toUpperCase(Locale.ROOT)), path, deref(schema)));
            }
        }
        return out;
    }

    private static Set<String> fields(Reply r) {
        Set<String> out = new TreeSet<>();
        JsonArray errors = r.json().getJsonArray("errors", new JsonArray());
        for (int i = 0; i < errors.size(); i++) {
            out.add(errors.getJsonObject(i).getString("field"));
            assertNotNull(errors.getJsonObject(i).getString("message"));
        }
        return out;
    }

    private static void expectFieldError(Op op, JsonObject body, String field, List<String> wrong) {
        Reply r = s.call(op.method(), op.url(), admin, body);
        if (r.status() != 400 || !fields(r).contains(field)
                || !ProblemHandler.CONTENT_TYPE.equals(r.headers().get("Content-Type"))) {
            wrong.add(op + " with " + body.encode() + ": expected 400 on '" + field + "', got " + r.status() + " "
                    + r.body());
        }
    }

    @Test
    void everyOperationWithABodyDeclaresAJsonSchema() {
        JsonObject paths = doc.getJsonObject("paths");
        int bodies = 0;
        for (String path : paths.fieldNames()) {
            for (String m : paths.getJsonObject(path).fieldNames()) {
                JsonObject rb = paths.getJsonObject(path).getJsonObject(m).getJsonObject("requestBody");
                if (rb == null) {
                    continue;
                }
                JsonObject content = rb.getJsonObject("content", new JsonObject());
                if (!content.containsKey("application/json")) {
                    // Not JSON (application/yaml, application/octet-stream): one declared type with its schema.
                    assertEquals(1, content.size(), m + " " + path);
                    String type = content.fieldNames().iterator().next();
                    assertTrue(Set.of("application/yaml", "application/octet-stream").contains(type), m + " " + path);
                    assertNotNull(content.getJsonObject(type).getJsonObject("schema"), m + " " + path);
                    continue;
                }
                assertEquals(Set.of("application/json"), content.fieldNames(), m + " " + path);
                JsonObject schema = content.getJsonObject("application/json").getJsonObject("schema");
                assertNotNull(schema, m + " " + path + " declares no schema for its body");
                assertEquals("object", deref(schema).getString("type"), m + " " + path);
                bodies++;
            }
        }
        assertTrue(bodies >= 10, "operations with a body: " + bodies);
        // And the server would refuse to start with one that has none.
        JsonObject broken = doc.copy();
        broken.getJsonObject("paths").getJsonObject("/api/v1/users").getJsonObject("post")
                .getJsonObject("requestBody").put("content", new JsonObject());
        assertThrows(IllegalStateException.class, () -> new OpenApiValidator(broken));
    }

    @Test
    void everyBodyThatBreaksItsSchemaIs400WithTheField() {
        List<String> wrong = new ArrayList<>();
        int checks = 0;
        for (Op op : operationsWithBodies()) {
            JsonArray required = op.schema().getJsonArray("required", new JsonArray());
            // A member named like a path parameter is supplied by the URL when the body leaves it out.
            List<String> missing = required.stream().map(String::valueOf)
                    .filter(r -> !op.path().contains("{" + r + "}")).toList();
            if (!missing.isEmpty()) {
                expectFieldError(op, new JsonObject(), missing.get(0), wrong);
                checks++;
            }
            JsonObject props = op.schema().getJsonObject("properties", new JsonObject());
            for (String name : props.fieldNames()) {
                String type = deref(props.getJsonObject(name)).getString("type", "string");
                Object bad = type.equals("string") ? (Object) 12345 : "not-a-" + type;
                expectFieldError(op, new JsonObject().put(name, bad), name, wrong);
                checks++;
            }
            if (Boolean.FALSE.equals(op.schema().getValue("additionalProperties"))) {
                expectFieldError(op, new JsonObject().put("noSuchMember", 1), "noSuchMember", wrong);
                checks++;
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertTrue(checks >= 40, "checks: " + checks);
    }

    @Test
    void errorsNameEachBadFieldOnceWithAReadableMessage() {
        Reply r = s.call(HttpMethod.POST, "/api/v1/users", admin, new JsonObject().put("name", "Bad_Name")
                .put("role", "root").put("password", 7).put("colour", "blue"));
        assertEquals(400, r.status(), r.body());
        assertEquals("urn:edgegw:problem:schema", r.json().getString("type"));
        JsonArray errors = r.json().getJsonArray("errors");
        assertEquals(4, errors.size(), r.body());
        assertEquals(Set.of("name", "role", "password", "colour"), fields(r));
        assertTrue(r.body().contains("\"field\":\"password\",\"message\":\"must be a string\""), r.body());
        assertTrue(r.body().contains("\"field\":\"colour\",\"message\":\"unknown field\""), r.body());
        assertTrue(r.body().contains("\"field\":\"role\",\"message\":\"must be one of admin, operator, viewer\""),
                r.body());
        assertTrue(r.body().contains("\"field\":\"name\",\"message\":\"must match ^[a-z0-9]"), r.body());
        Reply shortPassword = s.call(HttpMethod.POST, "/api/v1/users", admin, new JsonObject().put("name", "ok")
                .put("role", "viewer").put("password", "short"));
        assertEquals("must be at least 12 characters",
                shortPassword.json().getJsonArray("errors").getJsonObject(0).getString("message"), shortPassword.body());
        assertTrue(s.backend.list().stream().noneMatch(u -> u.name().equals("Bad_Name")));
    }

    @Test
    void queryParametersWithASchemaAreValidated() {
        for (String q : new String[] {"limit=0", "limit=abc", "limit=-1", "limit=1.5"}) {
            Reply r = s.get("/api/v1/revisions?" + q, admin);
            assertEquals(400, r.status(), q + ": " + r.body());
            assertEquals(Set.of("limit"), fields(r), q);
        }
        assertEquals(200, s.get("/api/v1/revisions?limit=5", admin).status());
        Reply stream = s.get("/api/v1/status/stream?limit=301", admin);
        assertEquals(400, stream.status(), "the document's maximum 300: " + stream.body());
    }

    /** OpenAPI 3.0's {@code nullable}, which draft 4 does not know, is honoured (helpers add such schemas). */
    @Test
    void nullableMembersAcceptNullAndOthersDoNot() {
        JsonObject d = doc.copy();
        JsonObject newUser = d.getJsonObject("components").getJsonObject("schemas").getJsonObject("NewUser");
        newUser.getJsonObject("properties").put("note", new JsonObject().put("type", "string").put("nullable", true));
        OpenApiValidator v = new OpenApiValidator(d);
        assertTrue(v.bodyProblems("POST", "/api/v1/users", new JsonObject().put("name", "ok").put("role", "viewer")
                .put("password", "long-enough-password").putNull("note")).isEmpty());
        assertEquals(Set.of("name"), v.bodyProblems("POST", "/api/v1/users", new JsonObject().putNull("name")
                .put("role", "viewer").put("password", "long-enough-password")).stream()
                .map(net.edgegw.mgmt.port.Problem::field).collect(java.util.stream.Collectors.toSet()));
    }

    /** The URL supplies a declared member it names: a PUT may leave out the name, but not contradict it. */
    @Test
    void aPathParameterSuppliesTheMemberOfTheSameName() {
        assertEquals(201, s.call(HttpMethod.POST, "/api/v1/clusters", admin, new JsonObject().put("name", "url-c")
                .put("podCidr", "10.50.0.0/16").put("serviceCidr", "10.51.0.0/16")).status());
        Reply put = s.call(HttpMethod.PUT, "/api/v1/clusters/url-c", admin, new JsonObject()
                .put("podCidr", "10.50.0.0/16").put("serviceCidr", "10.51.0.0/16").put("description", "from the URL"));
        assertEquals(200, put.status(), put.body());
        Reply badUrl = s.call(HttpMethod.PUT, "/api/v1/clusters/Bad_Name", admin, new JsonObject()
                .put("podCidr", "10.50.0.0/16").put("serviceCidr", "10.51.0.0/16"));
        assertEquals(400, badUrl.status(), "the URL's value is validated like the member: " + badUrl.body());
        Reply other = s.call(HttpMethod.PUT, "/api/v1/clusters/url-c", admin, new JsonObject().put("name", "x2")
                .put("podCidr", "10.50.0.0/16").put("serviceCidr", "10.51.0.0/16"));
        assertEquals(422, other.status(), "a body naming another item is the handler's refusal: " + other.body());
    }

    @Test
    void aBodyIsNeededWhereOneIsRequiredAndMustBeJson() {
        Reply none = s.call(HttpMethod.POST, "/api/v1/tokens", admin, null);
        assertEquals(400, none.status(), none.body());
        Reply junk = s.call(HttpMethod.POST, "/api/v1/tokens", admin, Buffer.buffer("{\"name\": "));
        assertEquals(400, junk.status(), junk.body());
        assertEquals("urn:edgegw:problem:malformed-json", junk.json().getString("type"));
        Reply array = s.call(HttpMethod.POST, "/api/v1/tokens", admin, Buffer.buffer("[]"));
        assertEquals(400, array.status(), array.body());
        Reply form = s.call(HttpMethod.POST, "/api/v1/tokens", admin, Buffer.buffer("name=x"),
                java.util.Map.of("Content-Type", "text/plain"));
        assertEquals(415, form.status(), form.body());
    }

    @Test
    void validationComesAfterAuthentication() {
        Reply anonymous = s.call(HttpMethod.POST, "/api/v1/users", Creds.NONE, new JsonObject().put("name", 5));
        assertEquals(401, anonymous.status(), "who you are is checked before what you sent: " + anonymous.body());
    }
}
