package dev.nullspend.agent.instrumentation.apache5;

import dev.nullspend.agent.instrumentation.entity.HeaderGetter;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.MessageHeaders;

/**
 * HttpClient 5's headers for {@code EntityHeaders}, classic or async ({@code getFirstHeader}
 * ignores case); the entity details of a classic entity or an async entity producer.
 */
public final class Apache5Headers implements HeaderGetter<MessageHeaders, EntityDetails> {
    static final Apache5Headers GETTER = new Apache5Headers();

    private Apache5Headers() {
    }

    @Override
    public String header(MessageHeaders message, String name) {
        Header h = message.getFirstHeader(name);
        return h == null ? null : h.getValue();
    }

    @Override
    public String contentType(EntityDetails entity) {
        return entity.getContentType();
    }

    @Override
    public String contentEncoding(EntityDetails entity) {
        return entity.getContentEncoding();
    }
}
