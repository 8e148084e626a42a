package dev.nullspend.agent.instrumentation.okhttp;

import dev.nullspend.agent.exchange.Headers;
import okhttp3.MediaType;
import okhttp3.RequestBody;

import java.util.List;

/**
 * {@link Headers} over OkHttp's (already case-insensitive) headers. An application interceptor
 * sees a request before OkHttp's bridge turns its body's media type into a
 * {@code Content-Type} header, so for requests that header falls back to the body's type.
 */
public final class OkHttpHeaders implements Headers {
    private final okhttp3.Headers headers;
    private final RequestBody body;

    /** @param body the request's body, or {@code null} (responses, requests without one) */
    public OkHttpHeaders(okhttp3.Headers headers, RequestBody body) {
        this.headers = headers;
        this.body = body;
    }

    @Override
    public String first(String name) {
        List<String> values = headers.values(name);
        if (!values.isEmpty()) {
            return values.get(0);
        }
        if (body != null && "Content-Type".equalsIgnoreCase(name)) {
            MediaType type = body.contentType();
            return type == null ? null : type.toString();
        }
        return null;
    }
}
