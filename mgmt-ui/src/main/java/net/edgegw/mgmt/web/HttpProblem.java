package net.edgegw.mgmt.web;

import java.util.List;
import net.edgegw.mgmt.port.Problem;

/**
 * A request that ends in an RFC 9457 problem response; handlers pass it to {@code RoutingContext.fail} and the
 * one failure handler ({@link ProblemHandler}) renders it. It carries no stack trace: it is an answer, not a bug.
 *
 * @param type   a short slug made into {@code urn:edgegw:problem:<type>}, or {@code null} for {@code about:blank}
 * @param errors the per-field problems (the {@code errors} extension member), possibly empty
 */
public final class HttpProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final transient List<Problem> errors;
    private final long retryAfterSeconds;

    public HttpProblem(int status, String type, String detail, List<Problem> errors, long retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.errors = List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public HttpProblem(int status, String type, String detail) {
        this(status, type, detail, List.of(), 0);
    }

    public static HttpProblem invalid(List<Problem> errors) {
        return new HttpProblem(422, "validation", "the request has " + errors.size() + " invalid field(s)", errors, 0);
    }

    public static HttpProblem notFound(String what) {
        return new HttpProblem(404, null, what + " not found");
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public List<Problem> errors() {
        return errors;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
