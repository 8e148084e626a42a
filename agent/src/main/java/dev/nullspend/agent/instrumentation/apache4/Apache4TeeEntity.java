package dev.nullspend.agent.instrumentation.apache4;

import dev.nullspend.agent.exchange.ResponseFilter;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.exchange.StreamBodies;
import org.apache.http.HttpEntity;
import org.apache.http.entity.HttpEntityWrapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The response entity the program gets: the client's own entity, with both ways of taking its
 * body teed ({@link #getContent()} and {@link #writeTo(OutputStream)}, which
 * {@code HttpEntityWrapper} would otherwise send straight to the wrapped entity). Everything
 * else (type, encoding, length, chunked, streaming) is the wrapped entity's. Never buffers;
 * not repeatable, as it forwards a one-shot network stream.
 */
public final class Apache4TeeEntity extends HttpEntityWrapper implements StreamBodies.Body {
    private final ResponseSink sink;
    private final ResponseFilter filter;

    /** @param filter what the program reads instead of the body's bytes, or {@code null} */
    public Apache4TeeEntity(HttpEntity wrapped, ResponseSink sink, ResponseFilter filter) {
        super(wrapped);
        this.sink = sink;
        this.filter = filter;
    }

    @Override
    public long getContentLength() {
        return filter == null ? super.getContentLength() : -1;
    }

    @Override
    public InputStream getContent() throws IOException {
        return StreamBodies.teeContent(this, sink, filter);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        StreamBodies.teeWriteTo(this, out, sink, filter);
    }

    /** The wrapped entity's own stream, for the tee. */
    @Override
    public InputStream openBody() throws IOException {
        return super.getContent();
    }

    /** The wrapped entity's own write, for the tee. */
    @Override
    public void writeBody(OutputStream out) throws IOException {
        super.writeTo(out);
    }

    @Override
    public boolean isRepeatable() {
        return false;
    }

    /** The deprecated way to let go of a body unread: the program did not read what is left. */
    @Override
    @Deprecated
    public void consumeContent() throws IOException {
        sink.onCancel();
        super.consumeContent();
    }
}
