package net.edgegw.mgmt.api;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import net.edgegw.mgmt.port.Problem;
import net.edgegw.mgmt.web.HttpProblem;

/**
 * Reads fields of a JSON body and collects every problem instead of stopping at the first; {@link #check()} then
 * refuses the request with all of them (422).
 */
final class Fields {
    /** DNS-label-like names for config items and users: lower case, digits, '-', 1..63 chars. */
    static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    static final int MAX_TEXT = 256;
    static final int MIN_PASSWORD = 12;
    static final int MAX_PASSWORD = 1024;

    private final JsonObject body;
    private final List<Problem> problems = new ArrayList<>();

    Fields(JsonObject body) {
        this.body = body;
    }

    void problem(String field, String message) {
        problems.add(new Problem(field, message));
    }

    boolean ok(String field) {
        return problems.stream().noneMatch(p -> p.field().equals(field));
    }

    /** Refuses members other than {@code allowed}, so that a typo is not silently ignored. */
    Fields only(Set<String> allowed) {
        for (String k : body.fieldNames()) {
            if (!allowed.contains(k)) {
                problem(k, "unknown field");
            }
        }
        return this;
    }

    /** A string member as it is, without any check ({@code ""} if absent or not a string). */
    String text(String field) {
        return body.getValue(field) instanceof String s ? s : "";
    }

    /** A string member; {@code ""} when absent and optional. */
    String string(String field, boolean required, int maxLen) {
        Object v = body.getValue(field);
        if (v == null) {
            if (required) {
                problem(field, "is required");
            }
            return "";
        }
        if (!(v instanceof String s)) {
            problem(field, "must be a string");
            return "";
        }
        if (required && s.isBlank()) {
            problem(field, "must not be empty");
        } else if (s.length() > maxLen) {
            problem(field, "must be at most " + maxLen + " characters");
        } else if (s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            problem(field, "must not contain control characters");
        }
        return s;
    }

    /** A PEM text member: lines (CR, LF allowed), ASCII, at most {@code maxLen}; {@code ""} when absent. */
    String pem(String field, boolean required, int maxLen) {
        Object v = body.getValue(field);
        if (v == null) {
            if (required) {
                problem(field, "is required");
            }
            return "";
        }
        if (!(v instanceof String s) || s.length() > maxLen
                || s.chars().anyMatch(c -> c > 0x7e || c < 0x20 && c != '\n' && c != '\r' && c != '\t')) {
            problem(field, "must be PEM text of at most " + maxLen + " characters");
            return "";
        }
        return s;
    }

    String name(String field) {
        String s = string(field, true, 63);
        if (ok(field) && !NAME.matcher(s).matches()) {
            problem(field, "must be lower-case letters, digits and '-' (1-63, not starting or ending with '-')");
        }
        return s;
    }

    /** A new password: 12 to 1024 characters (NIST SP 800-63B §5.1.1.2: length, not composition rules). */
    String password(String field) {
        Object v = body.getValue(field);
        String s = v instanceof String str ? str : "";
        if (v == null) {
            problem(field, "is required");
        } else if (!(v instanceof String)) {
            problem(field, "must be a string");
        } else if (s.codePointCount(0, s.length()) < MIN_PASSWORD) {
            problem(field, "must be at least " + MIN_PASSWORD + " characters");
        } else if (s.length() > MAX_PASSWORD) {
            problem(field, "must be at most " + MAX_PASSWORD + " characters");
        }
        return s;
    }

    /** A CIDR member; {@code null} when absent and optional or bad. */
    Cidr cidr(String field, boolean required) {
        String s = string(field, required, 64);
        if (!ok(field) || s.isEmpty()) {
            return null;
        }
        String[] why = new String[1];
        Cidr c = Cidr.parse(s, why);
        if (c == null) {
            problem(field, why[0]);
        }
        return c;
    }

    String oneOf(String field, Set<String> values, String dflt) {
        String s = string(field, dflt == null, 64);
        if (s.isEmpty() && dflt != null && ok(field)) {
            return dflt;
        }
        if (ok(field) && !values.contains(s)) {
            problem(field, "must be one of " + String.join(", ", values.stream().sorted().toList()));
        }
        return s;
    }

    /** An integer member in {@code min..max}; {@code dflt} when absent. */
    int integer(String field, int dflt, int min, int max) {
        Object v = body.getValue(field);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min
                || ((Number) v).longValue() > max) {
            problem(field, "must be a whole number " + min + ".." + max);
            return dflt;
        }
        return ((Number) v).intValue();
    }

    /** The items of a ", "-separated list field, stripped, empty ones dropped. */
    static List<String> list(String text) {
        return java.util.Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    boolean bool(String field, boolean dflt) {
        Object v = body.getValue(field);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Boolean b)) {
            problem(field, "must be true or false");
            return dflt;
        }
        return b;
    }

    void check() {
        if (!problems.isEmpty()) {
            throw HttpProblem.invalid(problems);
        }
    }
}
