package dev.nullspend.agent.exchange;

import java.net.URI;
import java.util.Locale;

/**
 * A request about to be sent, in a client-neutral form: what every client adapter builds and
 * what provider recognition reads. The body is copied lazily, only when a recognizer asks for
 * it (after method and path matched), and at most {@link #MAX_BODY_COPY} bytes of it.
 */
public final class Exchange {
    /** The largest request body copied for recognition and estimates; larger bodies are cut. */
    public static final int MAX_BODY_COPY = 4 * 1024 * 1024;

    /** Copies a request body on demand; returns {@code null} when it cannot be read without disturbing the request. */
    @FunctionalInterface
    public interface BodySource {
        BodySource NONE = () -> null;
        /** A request without a body. */
        BodySource EMPTY = () -> new byte[0];

        /** At most {@link #MAX_BODY_COPY} bytes of the body, or {@code null} when unreadable. */
        byte[] read();

        /** Why {@link #read()} gave {@code null}, for the log: by default, a body the client lets be read only once. */
        default String unreadableReason() {
            return "a streamed or one-shot body";
        }
    }

    private final String method;
    private final URI uri;
    private final Headers headers;
    private final BodySource bodySource;
    private final long declaredLength;
    private byte[] body;
    private boolean bodyRead;

    /** An exchange whose body is already in memory (at most {@link #MAX_BODY_COPY} bytes of it). */
    public Exchange(String method, URI uri, Headers headers, byte[] body, long bodyLength) {
        this(method, uri, headers, () -> body, bodyLength);
    }

    /**
     * @param bodySource     reads the body when first needed
     * @param declaredLength the full body length when the client knows it, else -1
     */
    public Exchange(String method, URI uri, Headers headers, BodySource bodySource, long declaredLength) {
        this.method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        this.uri = uri;
        this.headers = headers == null ? Headers.NONE : headers;
        this.bodySource = bodySource == null ? BodySource.NONE : bodySource;
        this.declaredLength = declaredLength;
    }

    /** Upper-case method. */
    public String method() {
        return method;
    }

    public URI uri() {
        return uri;
    }

    /** Lower-case host, or "" when the URI has none. */
    public String host() {
        String h = uri.getHost();
        return h == null ? "" : h.toLowerCase(Locale.ROOT);
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
        if (!bodyRead) {
            bodyRead = true;
            byte[] b = bodySource.read();
            body = b != null && b.length > MAX_BODY_COPY ? java.util.Arrays.copyOf(b, MAX_BODY_COPY) : b;
        }
        return body;
    }

    /**
     * True when a recognizer asked for the body and it could not be read. A recognizer asks only
     * once the method and path are its API's, so such a request may be an LLM call the agent
     * cannot recognise. Reads nothing.
     */
    public boolean bodyUnreadable() {
        return bodyRead && body == null;
    }

    /** Why the body is unreadable ({@link #bodyUnreadable()}), in a few words. */
    public String bodyUnreadableReason() {
        return bodySource.unreadableReason();
    }

    /** Full body length in bytes, or -1 when unknown. */
    public long bodyLength() {
        if (declaredLength >= 0) {
            return declaredLength;
        }
        byte[] b = body();
        return b != null && b.length < MAX_BODY_COPY ? b.length : -1;
    }

    /** True when {@link #body()} holds only the first {@link #MAX_BODY_COPY} bytes. */
    public boolean bodyTruncated() {
        byte[] b = body();
        return b != null && (bodyLength() < 0 || bodyLength() > b.length);
    }
}
