package net.edgegw.mgmt.web;

/**
 * How a route takes its request body, declared with the route ({@link RouteTable#add}) and applied before any
 * handler parses it ({@link BodyLimits}): buffered up to a limit (413 problem past it), or streamed by the route's
 * own handler, which then gets the request paused and caps the size itself.
 *
 * @param limit the largest body buffered, in bytes (0 when streamed)
 * @param streamed no body handler runs: the route's handler reads the body
 */
public record BodyPolicy(long limit, boolean streamed) {
    /** Our limit for an ordinary request: a JSON object of one resource. */
    public static final long JSON_LIMIT = 64 * 1024;
    /** The default of every route: JSON bodies up to {@link #JSON_LIMIT}. */
    public static final BodyPolicy JSON = new BodyPolicy(JSON_LIMIT, false);
    /** The handler streams the body (a firmware bundle to a file): nothing buffers it. */
    public static final BodyPolicy STREAMED = new BodyPolicy(0, true);

    public BodyPolicy {
        if (streamed ? limit != 0 : limit <= 0) {
            throw new IllegalArgumentException("body limit " + limit + (streamed ? " on a streamed body" : ""));
        }
    }

    /** Buffered, up to {@code bytes} (a whole document, larger than a JSON resource). */
    public static BodyPolicy large(long bytes) {
        return new BodyPolicy(bytes, false);
    }
}
