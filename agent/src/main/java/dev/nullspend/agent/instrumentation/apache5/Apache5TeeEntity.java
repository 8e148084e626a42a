package dev.nullspend.agent.instrumentation.apache5;

import dev.nullspend.agent.exchange.ResponseFilter;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.instrumentation.entity.EntityTee;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The classic response entity the program gets: the client's own entity, with both ways of
 * taking its body teed through {@link EntityTee} ({@link #getContent()} and
 * {@link #writeTo(OutputStream)}, which {@code HttpEntityWrapper} would otherwise send straight to
 * the wrapped entity). Everything else (type, encoding, chunked, streaming, trailers) is the
 * wrapped entity's. Not repeatable, as it forwards a one-shot network stream.
 */
public final class Apache5TeeEntity extends HttpEntityWrapper {
    private final EntityTee<HttpEntity> tee;

    /** @param filter what the program reads instead of the body's bytes, or {@code null} */
    public Apache5TeeEntity(HttpEntity wrapped, ResponseSink sink, ResponseFilter filter) {
        super(wrapped);
        this.tee = new EntityTee<>(Apache5Adapter.CLIENT, wrapped, sink, filter);
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

    /** Closing the response closes its entity: whatever the program had not read by then, it never will. */
    @Override
    public void close() throws IOException {
        tee.cancel();
        super.close();
    }
}
