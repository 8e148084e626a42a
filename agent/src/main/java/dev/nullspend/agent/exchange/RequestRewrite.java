package dev.nullspend.agent.exchange;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * What the core asks a client adapter to send instead of the program's request: headers to add
 * (the core only names headers the request does not have) and, optionally, a replacement body
 * of the same content type. Each adapter applies it in its client's own way, on a copy of the
 * request where the client allows one; the program's own request object is never left changed.
 * Immutable.
 */
public final class RequestRewrite {
    /** For {@code HttpRequest.newBuilder(request, filter)}: keep every header (defined here, not in a helper, see {@link StreamBodies}). */
    public static final BiPredicate<String, String> ALL_HEADERS = (name, value) -> true;

    private final List<String> names;
    private final List<String> values;
    private final byte[] body;

    private RequestRewrite(List<String> names, List<String> values, byte[] body) {
        this.names = names;
        this.values = values;
        this.body = body;
    }

    /** A rewrite that only replaces the body. */
    public static RequestRewrite body(byte[] body) {
        return new RequestRewrite(List.of(), List.of(), body);
    }

    /** Headers to add, as name/value pairs in order, and an optional replacement body ({@code null}: keep the body). */
    public static RequestRewrite of(List<String> names, List<String> values, byte[] body) {
        if (names.size() != values.size()) {
            throw new IllegalArgumentException("names and values differ in length");
        }
        return new RequestRewrite(List.copyOf(names), List.copyOf(values), body);
    }

    /** This rewrite plus {@code other}'s headers; {@code other}'s body wins when it has one. */
    public RequestRewrite and(RequestRewrite other) {
        if (other == null) {
            return this;
        }
        List<String> n = new ArrayList<>(names);
        List<String> v = new ArrayList<>(values);
        n.addAll(other.names);
        v.addAll(other.values);
        return of(n, v, other.body != null ? other.body : body);
    }

    /** Number of headers to add. */
    public int headerCount() {
        return names.size();
    }

    public String headerName(int i) {
        return names.get(i);
    }

    public String headerValue(int i) {
        return values.get(i);
    }

    /** The body to send instead of the program's, or {@code null} to send the program's own. */
    public byte[] body() {
        return body;
    }

    public boolean replacesBody() {
        return body != null;
    }
}
