package dev.nullspend.agent.instrumentation.apache5;

import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

/**
 * The body the agent sends instead of the program's for one classic {@code execute} (see
 * {@code RequestRewrite}): the new bytes, the original's content type. It remembers the
 * original, which {@link Apache5Adapter} puts back on the program's request afterwards.
 */
public final class Apache5RewrittenEntity extends ByteArrayEntity {
    private final HttpEntity original;

    public Apache5RewrittenEntity(HttpEntity original, byte[] body) {
        super(body, Apache5Requests.contentType(original.getContentType()));
        this.original = original;
    }

    public HttpEntity original() {
        return original;
    }
}
