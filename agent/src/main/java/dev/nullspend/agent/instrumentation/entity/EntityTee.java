package dev.nullspend.agent.instrumentation.entity;

import dev.nullspend.agent.exchange.ResponseFilter;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.exchange.StreamBodies;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What a client's tee entity does, client-neutral: both ways of taking the wrapped entity's body
 * ({@code getContent()} and {@code writeTo(OutputStream)}) go through the tee into the sink, the
 * length is unknown when a {@link ResponseFilter} changes the bytes, and letting go of the body
 * unread cancels. The client's entity subclass (it must extend the library's wrapper) forwards
 * those methods here; everything else is the wrapped entity's. Never buffers.
 */
public final class EntityTee<E> implements StreamBodies.Body {
    private final EntityClient<?, ?, ?, E> client;
    private final E wrapped;
    private final ResponseSink sink;
    private final ResponseFilter filter;

    /** @param filter what the program reads instead of the body's bytes, or {@code null} */
    public EntityTee(EntityClient<?, ?, ?, E> client, E wrapped, ResponseSink sink, ResponseFilter filter) {
        this.client = client;
        this.wrapped = wrapped;
        this.sink = sink;
        this.filter = filter;
    }

    /** The length the program is told: the wrapped entity's, unless a filter changes the bytes. */
    public long contentLength(long wrappedLength) {
        return filter == null ? wrappedLength : -1;
    }

    public InputStream content() throws IOException {
        return StreamBodies.teeContent(this, sink, filter);
    }

    public void writeTo(OutputStream out) throws IOException {
        StreamBodies.teeWriteTo(this, out, sink, filter);
    }

    /** The program let go of the body: whatever it had not read by then, it never will (ignored after the end). */
    public void cancel() {
        sink.onCancel();
    }

    /** The wrapped entity's own stream, for the tee. */
    @Override
    public InputStream openBody() throws IOException {
        return client.content(wrapped);
    }

    /** The wrapped entity's own write, for the tee. */
    @Override
    public void writeBody(OutputStream out) throws IOException {
        client.writeTo(wrapped, out);
    }
}
