package dev.nullspend.agent.instrumentation.apache4;

import dev.nullspend.agent.exchange.Headers;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpMessage;

/**
 * {@link Headers} over an HttpClient 4 message ({@code getFirstHeader} ignores case). A request's
 * {@code Content-Type}/{@code Content-Encoding} often live only on its entity until the protocol
 * interceptors copy them into headers, so the entity answers for them when the headers do not.
 */
public final class Apache4Headers implements Headers {
    private final HttpMessage message;
    private final HttpEntity entity;

    public Apache4Headers(HttpMessage message, HttpEntity entity) {
        this.message = message;
        this.entity = entity;
    }

    @Override
    public String first(String name) {
        Header h = message.getFirstHeader(name);
        if (h == null && entity != null) {
            if ("content-type".equalsIgnoreCase(name)) {
                h = entity.getContentType();
            } else if ("content-encoding".equalsIgnoreCase(name)) {
                h = entity.getContentEncoding();
            }
        }
        return h == null ? null : h.getValue();
    }
}
