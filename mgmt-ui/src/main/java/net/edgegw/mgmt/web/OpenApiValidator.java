package net.edgegw.mgmt.web;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaException;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.edgegw.mgmt.port.Problem;

/**
 * Validates each request against its operation in the OpenAPI document before the handler runs: the JSON body
 * against the request body's schema and every query parameter that declares a schema. The operation is found by
 * method and path template ({@code POST /api/v1/users/{name}}), so a route added to a {@link RouteTable} is
 * validated as soon as it is documented, without code of its own. A request that breaks its schema is refused
 * with 400 and one {@code errors} entry per bad field ({@code field} is a path such as {@code name} or
 * {@code tunnels/0/name}, as {@link Problem} has it).
 *
 * <p>The schemas are checked by vertx-json-schema (JSON Schema draft 4, which OpenAPI 3.0's schema object
 * extends; {@code nullable}, {@code example} and such are annotations it ignores). Semantic checks (CIDRs, who
 * refers to what) stay in the handlers, which answer 422.
 *
 * @see <a href="https://spec.openapis.org/oas/v3.0.3#operation-object">OpenAPI 3.0.3 §4.7.10</a>
 */
public final class OpenApiValidator {
    /** Where the server puts the validator in each request's context, for {@link #check}. */
    static final String KEY = "edgegw.openapi";
    private static final String BASE = "urn:edgegw:openapi";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    /** Keywords whose failure only says that a nested keyword failed; the nested one is reported instead. */
    private static final Set<String> CONTAINERS = Set.of("$ref", "properties", "items", "allOf");
    private static final Pattern REQUIRED = Pattern.compile("required property \"(.*)\"");
    private static final Pattern EXPECTED = Pattern.compile("Expected (\\w+)");
    private static final Pattern PATH_PARAM = Pattern.compile(":(\\w+)");

    private record Parameter(String name, boolean required, String type, Validator schema) {
    }

    /** @param bodyMembers the top-level members the body schema declares (for members the URL supplies) */
    private record Operation(Validator body, boolean bodyRequired, Set<String> bodyMembers, List<Parameter> query) {
    }

    private final Map<String, Operation> operations = new HashMap<>();
    /** The document as given (the library annotates its own copy), to read a failed keyword's value. */
    private final JsonObject document;

    /**
     * Compiles every operation of {@code document}; throws if an operation has a request body without a JSON
     * schema (it could not be validated) or a schema the library cannot use.
     */
    public OpenApiValidator(JsonObject document) {
        this.document = document.copy();
        JsonSchemaOptions options = new JsonSchemaOptions().setDraft(Draft.DRAFT4).setBaseUri(BASE)
                .setOutputFormat(OutputFormat.Basic);
        SchemaRepository repo = SchemaRepository.create(options);
        // The library annotates the objects it is given (__absolute_uri__ ...): it gets a copy.
        repo.dereference(BASE, JsonSchema.of(draft4(document.copy())));
        JsonObject paths = document.getJsonObject("paths", new JsonObject());
        for (String path : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(path);
            for (String method : item.fieldNames()) {
                if (!METHODS.contains(method)) {
                    continue;
                }
                String at = "/paths/" + escape(path) + "/" + method;
                JsonObject op = item.getJsonObject(method);
                Validator body = null;
                boolean bodyRequired = false;
                Set<String> bodyMembers = Set.of();
                JsonObject rb = op.getJsonObject("requestBody");
                JsonObject content = rb == null ? null : rb.getJsonObject("content", new JsonObject());
                boolean json = content != null && content.containsKey("application/json");
                if (rb != null && !json && !content.isEmpty()) {
                    // A YAML import or a firmware bundle: not JSON, its handler reads and checks it (media type,
                    // size, signature) itself; the document still declares the media type.
                    rb = null;
                }
                if (rb != null) {
                    if (content.getJsonObject("application/json", new JsonObject()).getJsonObject("schema") == null) {
                        throw new IllegalStateException(method.toUpperCase(Locale.ROOT) + " " + path
                                + ": the request body declares no application/json schema");
                    }
                    body = validator(repo, options, at + "/requestBody/content/application~1json/schema");
                    bodyMembers = Set.copyOf(local(content.getJsonObject("application/json").getJsonObject("schema"))
                            .getJsonObject("properties", new JsonObject()).fieldNames());
                    bodyRequired = rb.getBoolean("required", false);
                }
                List<Parameter> query = new ArrayList<>();
                addQuery(repo, options, item.getJsonArray("parameters"), "/paths/" + escape(path), query);
                addQuery(repo, options, op.getJsonArray("parameters"), at, query);
                operations.put(key(method, path), new Operation(body, bodyRequired, bodyMembers, List.copyOf(query)));
            }
        }
    }

    /** {@code schema}, or what its local {@code $ref}s ({@code #/components/...}) lead to. */
    private JsonObject local(JsonObject schema) {
        JsonObject at = schema;
        for (int hops = 0; at != null && at.getValue("$ref") instanceof String ref && ref.startsWith("#"); hops++) {
            if (hops > 16) {
                throw new IllegalStateException("openapi.json: $ref loop at " + ref);
            }
            at = JsonPointer.from(ref.substring(1)).queryJson(document) instanceof JsonObject o ? o : null;
        }
        return at == null ? new JsonObject() : at;
    }

    /**
     * OpenAPI 3.0's one keyword draft 4 lacks with a meaning for validation: {@code nullable: true} beside a
     * {@code type} becomes a type array with {@code "null"} (OpenAPI 3.0.3 §4.7.24). In place, everywhere.
     */
    private static JsonObject draft4(JsonObject o) {
        if (Boolean.TRUE.equals(o.getValue("nullable")) && o.getValue("type") instanceof String t) {
            o.put("type", new JsonArray().add(t).add("null"));
        }
        for (String k : o.fieldNames()) {
            Object v = o.getValue(k);
            if (v instanceof JsonObject child) {
                draft4(child);
            } else if (v instanceof JsonArray a) {
                for (Object x : a) {
                    if (x instanceof JsonObject child) {
                        draft4(child);
                    }
                }
            }
        }
        return o;
    }

    private static void addQuery(SchemaRepository repo, JsonSchemaOptions options, JsonArray params, String at,
                                 List<Parameter> out) {
        if (params == null) {
            return;
        }
        for (int i = 0; i < params.size(); i++) {
            JsonObject p = params.getJsonObject(i);
            if (!"query".equals(p.getString("in")) || p.getJsonObject("schema") == null) {
                continue;
            }
            // The repository indexes schemas reached through objects only, not through the parameters array:
            // a parameter's schema is validated with its $refs inlined.
            JsonObject schema = repo.resolve(p.getJsonObject("schema").copy());
            out.add(new Parameter(p.getString("name"), p.getBoolean("required", false),
                    schema.getString("type", "string"), probe(repo.validator(JsonSchema.of(schema), options), at)));
        }
    }

    /**
     * A validator for the schema at a JSON pointer of the document, so that its local $refs resolve there; tried
     * once here so that a dangling $ref stops the server at start, not a request later.
     */
    private static Validator validator(SchemaRepository repo, JsonSchemaOptions options, String pointer) {
        String ref;
        try {
            ref = new URI("urn", BASE.substring("urn:".length()), pointer).toASCIIString(); // '{' is %7B
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bad JSON pointer " + pointer, e);
        }
        return probe(repo.validator(JsonSchema.of(new JsonObject().put("$ref", ref)), options), pointer);
    }

    private static Validator probe(Validator v, String pointer) {
        try {
            v.validate(new JsonObject());
        } catch (SchemaException e) {
            throw new IllegalStateException("openapi.json: unusable schema at " + pointer + ": " + e.getMessage(), e);
        }
        return v;
    }

    /** RFC 6901 §3: '~' and '/' in a member name. */
    private static String escape(String s) {
        return s.replace("~", "~0").replace("/", "~1");
    }

    private static String key(String method, String template) {
        return method.toUpperCase(Locale.ROOT) + " " + template;
    }

    /**
     * The route handler {@link RouteTable} puts in front of every handler: validates the request against its
     * operation (found from the route's path under its mount point), or fails it with 400/415.
     */
    static void check(RoutingContext ctx) {
        OpenApiValidator v = ctx.get(KEY);
        if (v == null) {
            // Fail closed: a router built without the validator must not serve unvalidated requests.
            ctx.fail(new IllegalStateException("no OpenAPI validator on this router"));
            return;
        }
        Operation op = v.operations.get(key(ctx.request().method().name(), template(ctx)));
        if (op == null) {
            ctx.next(); // undocumented: the OpenAPI-vs-router test fails for it
            return;
        }
        List<Problem> problems = new ArrayList<>();
        for (Parameter p : op.query()) {
            v.checkQuery(ctx, p, problems);
        }
        int status = 400;
        if (problems.isEmpty() && op.body() != null) {
            Object body = bodyJson(ctx, op.bodyRequired());
            if (body instanceof JsonObject o) {
                body = withPathMembers(ctx, op, o);
            }
            if (body != null) {
                problems.addAll(v.problems(op.body().validate(body), ""));
            }
        }
        if (!problems.isEmpty()) {
            ctx.fail(new HttpProblem(status, "schema", "the request does not match the API's schema ("
                    + problems.size() + " problem(s))", problems, 0));
            return;
        }
        ctx.next();
    }

    /**
     * The URL supplies what it names: a member the body schema declares and the body leaves out, named like a
     * path parameter ({@code PUT /api/v1/peers/{name}} without {@code name}), is validated with the URL's value.
     * The handler still refuses a body whose member contradicts the URL.
     */
    private static JsonObject withPathMembers(RoutingContext ctx, Operation op, JsonObject body) {
        JsonObject out = body;
        for (Map.Entry<String, String> p : ctx.pathParams().entrySet()) {
            if (op.bodyMembers().contains(p.getKey()) && !body.containsKey(p.getKey())) {
                out = out == body ? body.copy() : out;
                out.put(p.getKey(), p.getValue());
            }
        }
        return out;
    }

    /** The problems of {@code body} as the body of an operation (tests; requests go through {@link #check}). */
    List<Problem> bodyProblems(String method, String template, Object body) {
        Operation op = operations.get(key(method, template));
        return op == null || op.body() == null ? List.of() : problems(op.body().validate(body), "");
    }

    /** {@code /api/v1/users/{name}} for a route {@code /:name} mounted at {@code /api/v1/users}. */
    private static String template(RoutingContext ctx) {
        Route r = ctx.currentRoute();
        String mount = ctx.mountPoint() == null ? "" : ctx.mountPoint();
        String full = (mount.endsWith("/") ? mount.substring(0, mount.length() - 1) : mount)
                + (r.getPath() == null ? "" : r.getPath());
        if (full.length() > 1 && full.endsWith("/")) {
            full = full.substring(0, full.length() - 1);
        }
        return PATH_PARAM.matcher(full).replaceAll("{$1}");
    }

    /**
     * The body as JSON: 415 unless it is declared JSON, 400 unless it parses; {@code null} when it is empty and
     * optional.
     */
    public static Object bodyJson(RoutingContext ctx, boolean required) {
        boolean empty = ctx.body().buffer() == null || ctx.body().buffer().length() == 0;
        if (empty) {
            if (required) {
                throw new HttpProblem(400, "malformed-json", "a JSON body is required");
            }
            return null;
        }
        String type = ctx.request().getHeader("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new HttpProblem(415, "media-type", "send the body as application/json");
        }
        try {
            Object v = ctx.body().buffer().toJson();
            if (v != null) {
                return v;
            }
        } catch (DecodeException e) {
            // expected bad input: answered below
        }
        throw new HttpProblem(400, "malformed-json", "the body is not valid JSON");
    }

    private void checkQuery(RoutingContext ctx, Parameter p, List<Problem> problems) {
        String s = ctx.queryParams().get(p.name());
        if (s == null) {
            if (p.required()) {
                problems.add(new Problem(p.name(), "is required"));
            }
            return;
        }
        Object value = s;
        switch (p.type()) {
            case "integer" -> value = s.matches("-?\\d{1,18}") ? (Object) Long.parseLong(s) : null;
            case "number" -> value = s.matches("-?\\d{1,18}(\\.\\d{1,18})?") ? (Object) Double.parseDouble(s) : null;
            case "boolean" -> value = s.equals("true") || s.equals("false") ? (Object) Boolean.parseBoolean(s) : null;
            default -> { }
        }
        if (value == null) {
            problems.add(new Problem(p.name(), "must be " + article(p.type())));
            return;
        }
        for (Problem e : problems(p.schema().validate(value), p.name())) {
            problems.add(e);
        }
    }

    /**
     * One problem per field from the library's flat error list: container keywords are skipped for the nested
     * failure, a missing member is reported on the member, and an {@code additionalProperties} failure counts only
     * for a member nothing else complained about (the library also lists declared members that failed their own
     * schema there).
     */
    private List<Problem> problems(OutputUnit result, String root) {
        Map<String, String> byField = new LinkedHashMap<>();
        Map<String, String> unknown = new LinkedHashMap<>();
        if (Boolean.TRUE.equals(result.getValid()) || result.getErrors() == null) {
            return List.of();
        }
        for (OutputUnit e : result.getErrors()) {
            String kw = e.getKeywordLocation() == null ? "" : e.getKeywordLocation();
            String keyword = kw.substring(kw.lastIndexOf('/') + 1);
            String field = field(root, e.getInstanceLocation());
            String error = e.getError() == null ? "is invalid" : e.getError();
            switch (keyword) {
                case "required" -> {
                    Matcher m = REQUIRED.matcher(error);
                    byField.putIfAbsent(m.find() ? join(field, m.group(1)) : field, "is required");
                }
                case "additionalProperties" -> unknown.putIfAbsent(field, "unknown field");
                case "type" -> {
                    Matcher m = EXPECTED.matcher(error);
                    byField.putIfAbsent(field, m.find() ? "must be " + article(m.group(1)) : error);
                }
                default -> {
                    if (!CONTAINERS.contains(keyword)) {
                        byField.putIfAbsent(field, message(keyword, e.getAbsoluteKeywordLocation(), error));
                    }
                }
            }
        }
        // A declared member whose own members failed is listed under additionalProperties too: not unknown.
        unknown.forEach((f, m) -> {
            if (byField.keySet().stream().noneMatch(k -> k.startsWith(f + ".") || k.startsWith(f + "["))) {
                byField.putIfAbsent(f, m);
            }
        });
        List<Problem> out = new ArrayList<>();
        byField.forEach((f, m) -> out.add(new Problem(f, m)));
        return out;
    }

    /**
     * A message in the words the handlers use ("must be at least 12 characters"), from the failed keyword's value
     * in the document; the library's own message when that value cannot be found.
     */
    private String message(String keyword, String absoluteLocation, String fallback) {
        Object limit = null;
        int hash = absoluteLocation == null ? -1 : absoluteLocation.indexOf('#');
        if (hash >= 0) {
            try {
                String pointer = URLDecoder.decode(absoluteLocation.substring(hash + 1), StandardCharsets.UTF_8);
                limit = JsonPointer.from(pointer).queryJson(document);
            } catch (IllegalArgumentException e) {
                limit = null; // not a pointer into the document (an inlined parameter schema)
            }
        }
        if (limit == null) {
            return fallback;
        }
        return switch (keyword) {
            case "minLength" -> "must be at least " + limit + " characters";
            case "maxLength" -> "must be at most " + limit + " characters";
            case "minimum" -> "must be at least " + limit;
            case "maximum" -> "must be at most " + limit;
            case "enum" -> limit instanceof JsonArray a
                    ? "must be one of " + String.join(", ", a.stream().map(String::valueOf).toList()) : fallback;
            case "pattern" -> "must match " + limit;
            default -> fallback;
        };
    }

    /** The field as the handlers name it: {@code interfaces[1].role} for the pointer {@code /interfaces/1/role}. */
    private static String field(String root, String location) {
        String s = location == null ? "" : location.startsWith("#") ? location.substring(1) : location;
        StringBuilder out = new StringBuilder(root);
        for (String seg : s.split("/")) {
            if (seg.isEmpty()) {
                continue;
            }
            String name = seg.replace("~1", "/").replace("~0", "~");
            if (name.chars().allMatch(Character::isDigit)) {
                out.append('[').append(name).append(']');
            } else {
                out.append(out.length() == 0 ? "" : ".").append(name);
            }
        }
        return out.toString();
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + "." + b;
    }

    private static String article(String type) {
        return switch (type) {
            case "integer" -> "an integer";
            case "object" -> "an object";
            case "array" -> "an array";
            case "boolean" -> "true or false";
            default -> "a " + type;
        };
    }
}
