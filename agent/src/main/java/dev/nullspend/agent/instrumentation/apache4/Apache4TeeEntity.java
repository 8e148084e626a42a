package dev.nullspend.agent.instrumentation.apache4;

import dev.nullspend.agent.exchange.ResponseFilter;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.instrumentation.entity.EntityTee;
import org.apache.http.HttpEntity;
import org.apache.http.entity.HttpEntityWrapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The response entity the program gets: the client's own entity, with both ways of taking its
 * body teed through {@link EntityTee} ({@link #getContent()} and {@link #writeTo(OutputStream)},
 * which {@code HttpEntityWrapper} would otherwise send straight to the wrapped entity).
 * Everything else (type, encoding, chunked, streaming) is the wrapped entity's. Not repeatable,
 * as it forwards a one-shot network stream.
 */
public final class Apache4TeeEntity extends HttpEntityWrapper {
    private final EntityTee<HttpEntity> tee;

    /** @param filter what the program reads instead of the body's bytes, or {@code null} */
    public Apache4TeeEntity(HttpEntity wrapped, ResponseSink sink, ResponseFilter filter) {
        super(wrapped);
        this.tee = new EntityTee<>(Apache4Adapter.CLIENT, wrapped, sink, filter);
    }

    @Override
    public long getContentLength() {
        return tee.contentLength(super.getContentLength());
    }

    @Override
    public InputStream getContent() throws IOException {
        return tee.content();
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        tee.writeTo(out);
    }

    @Override
    public boolean isRepeatable() {
        return false;
    }

    /** The deprecated way to let go of a body unread: the program did not read what is left. */
    @Override
    @Deprecated
    public void consumeContent() throws IOException {
        tee.cancel();
        super.consumeContent();
    }
}
