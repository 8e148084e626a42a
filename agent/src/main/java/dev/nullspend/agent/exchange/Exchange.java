package dev.nullspend.agent.exchange;

import java.net.URI;

/**
 * A request about to be sent, in a client-neutral form: what every client adapter builds and
 * what provider recognition reads. It holds at most a bounded prefix of the body.
 */
public final class Exchange {
    /** The largest request body copied for recognition and estimates; larger bodies are cut. */
    public static final int MAX_BODY_COPY = 4 * 1024 * 1024;

    private final String method;
    private final URI uri;
    private final Headers headers;
    private final byte[] body;
    private final long bodyLength;

    /**
     * @param body       the request body, or {@code null} when it cannot be read without
     *                   disturbing the request (a one-shot stream, a file); at most {@link #MAX_BODY_COPY} bytes
     * @param bodyLength the full body length, or -1 when unknown
     */
    public Exchange(String method, URI uri, Headers headers, byte[] body, long bodyLength) {
        this.method = method;
        this.uri = uri;
        this.headers = headers == null ? Headers.NONE : headers;
        this.body = body;
        this.bodyLength = bodyLength >= 0 ? bodyLength : (body != null && body.length < MAX_BODY_COPY ? body.length : -1);
    }

    public String method() {
        return method;
    }

    public URI uri() {
        return uri;
    }

    /** Lower-case host, or "" when the URI has none. */
    public String host() {
        String h = uri.getHost();
        return h == null ? "" : h.toLowerCase(java.util.Locale.ROOT);
    }

    /** Raw path, or "" when none. */
    public String path() {
        String p = uri.getRawPath();
        return p == null ? "" : p;
    }

    public String header(String name) {
        return headers.first(name);
    }

    /** The body bytes (complete unless {@link #bodyTruncated()}), or {@code null} when unreadable. */
    public byte[] body() {
        return body;
    }

    /** Full body length in bytes, or -1 when unknown. */
    public long bodyLength() {
        return bodyLength;
    }

    /** True when {@link #body()} holds only the first {@link #MAX_BODY_COPY} bytes. */
    public boolean bodyTruncated() {
        return body != null && (bodyLength < 0 || bodyLength > body.length);
    }
}
