package dev.nullspend.agent.instrumentation.apache4;

import dev.nullspend.agent.instrumentation.entity.HeaderGetter;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpMessage;

/** HttpClient 4's headers for {@code EntityHeaders} ({@code getFirstHeader} ignores case). */
public final class Apache4Headers implements HeaderGetter<HttpMessage, HttpEntity> {
    static final Apache4Headers GETTER = new Apache4Headers();

    private Apache4Headers() {
    }

    @Override
    public String header(HttpMessage message, String name) {
        return value(message.getFirstHeader(name));
    }

    @Override
    public String contentType(HttpEntity entity) {
        return value(entity.getContentType());
    }

    @Override
    public String contentEncoding(HttpEntity entity) {
        return value(entity.getContentEncoding());
    }

    private static String value(Header header) {
        return header == null ? null : header.getValue();
    }
}
