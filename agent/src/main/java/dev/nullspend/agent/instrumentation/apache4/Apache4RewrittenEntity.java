package dev.nullspend.agent.instrumentation.apache4;

import org.apache.http.HttpEntity;
import org.apache.http.entity.ByteArrayEntity;

/**
 * The body the agent sends instead of the program's for one {@code execute} (see
 * {@code RequestRewrite}): the new bytes, the original's content type. It remembers the
 * original, which {@link Apache4Adapter} puts back on the program's request afterwards.
 */
public final class Apache4RewrittenEntity extends ByteArrayEntity {
    private final HttpEntity original;

    public Apache4RewrittenEntity(HttpEntity original, byte[] body) {
        super(body);
        this.original = original;
        setContentType(original.getContentType());
    }

    public HttpEntity original() {
        return original;
    }
}
