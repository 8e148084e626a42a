package dev.nullspend.agent.instrumentation.apache5;

import dev.nullspend.agent.exchange.Headers;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.MessageHeaders;

/**
 * {@link Headers} over an HttpClient 5 message, classic or async ({@code getFirstHeader} ignores
 * case). A request's {@code Content-Type}/{@code Content-Encoding} often live only on its entity
 * (or entity producer) until the protocol interceptors copy them into headers, so the entity
 * details answer for them when the headers do not.
 */
public final class Apache5Headers implements Headers {
    private final MessageHeaders message;
    private final EntityDetails entity;

    public Apache5Headers(MessageHeaders message, EntityDetails entity) {
        this.message = message;
        this.entity = entity;
    }

    @Override
    public String first(String name) {
        Header h = message.getFirstHeader(name);
        if (h != null) {
            return h.getValue();
        }
        if (entity == null) {
            return null;
        }
        if ("content-type".equalsIgnoreCase(name)) {
            return entity.getContentType();
        }
        return "content-encoding".equalsIgnoreCase(name) ? entity.getContentEncoding() : null;
    }
}
