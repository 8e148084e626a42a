package dev.nullspend.agent.instrumentation.apache5;

import dev.nullspend.agent.core.LlmCall;
import dev.nullspend.agent.exchange.Headers;
import dev.nullspend.agent.exchange.ResponseFilter;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.instrumentation.entity.EntityHeaders;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Stands in for the program's {@code AsyncResponseConsumer} (simple, char, bin or its own) and
 * forwards every call to it. The response head goes to the call; each body buffer goes to the
 * sink (a {@code duplicate()}, so the program's buffer is untouched: consumers must take all of
 * it) just before the program's consumer gets it, so nothing is read ahead or held back; flow
 * control ({@code updateCapacity}) stays the program's. The call ends on {@code streamEnd}
 * (complete), {@code failed} (error, or a failure before any response), or
 * {@code releaseResources} before either (cancelled). With the call's {@link ResponseFilter} (the
 * agent rewrote the request) the program's consumer gets what the filter passes instead, and at
 * the end what it held back, before {@code streamEnd}. A NullSpend proxy response that may be a
 * denial is held by an {@link Apache5HeldResponse} until its body decides.
 */
public final class Apache5TeeConsumer<T> implements AsyncResponseConsumer<T> {
    private final AsyncResponseConsumer<T> delegate;
    private final LlmCall call;
    private volatile boolean responded;
    private volatile ResponseSink sink;
    private volatile ResponseFilter filter;
    /** A NullSpend proxy response that may be a denial, until its body decides. */
    private volatile Apache5HeldResponse<T> held;

    public Apache5TeeConsumer(AsyncResponseConsumer<T> delegate, LlmCall call) {
        this.delegate = delegate;
        this.call = call;
    }

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entityDetails, HttpContext context,
                                FutureCallback<T> resultCallback) throws HttpException, IOException {
        responded = true;
        Headers headers = EntityHeaders.of(Apache5Adapter.CLIENT, response, entityDetails);
        if (call.mayBeDenial(response.getCode(), headers)) {
            Apache5HeldResponse<T> h = new Apache5HeldResponse<>(delegate, call, response, entityDetails, context, resultCallback);
            held = h;
            if (entityDetails == null) {
                h.noBody();
            }
            return;
        }
        ResponseSink s = call.onResponse(response.getCode(), headers);
        if (s != null && entityDetails == null) {
            s.onComplete(); // no body follows
        } else {
            sink = s;
            filter = s == null ? null : call.responseFilter();
        }
        delegate.consumeResponse(response, entityDetails, context, resultCallback);
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) throws HttpException, IOException {
        delegate.informationResponse(response, context);
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        Apache5HeldResponse<T> h = held;
        if (h != null && h.held()) {
            h.updateCapacity(capacityChannel);
            return;
        }
        delegate.updateCapacity(capacityChannel);
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        Apache5HeldResponse<T> h = held;
        if (h != null && h.held()) {
            try {
                h.consume(src);
            } catch (HttpException e) {
                throw new IOException(e);
            }
            return;
        }
        ResponseSink s = sink;
        if (s != null) {
            s.onBytes(src.duplicate());
        }
        ResponseFilter f = filter;
        if (f == null) {
            delegate.consume(src);
            return;
        }
        ByteBuffer passed = f.filter(src);
        if (passed.hasRemaining()) {
            delegate.consume(passed);
        }
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
        Apache5HeldResponse<T> h = held;
        if (h != null && h.held()) {
            h.streamEnd(trailers);
            return;
        }
        ResponseSink s = sink;
        if (s != null) {
            s.onComplete();
        }
        ResponseFilter f = filter;
        ByteBuffer rest = f == null ? null : f.finish();
        if (rest != null && rest.hasRemaining()) {
            delegate.consume(rest);
        }
        delegate.streamEnd(trailers);
    }

    @Override
    public void failed(Exception cause) {
        ResponseSink s = sink;
        if (s != null) {
            s.onError(cause);
        } else if (!responded) {
            call.onFailure(cause);
        }
        delegate.failed(cause);
    }

    @Override
    public void releaseResources() {
        ResponseSink s = sink;
        if (s != null) {
            s.onCancel(); // ignored when the stream already ended
        } else if (!responded) {
            call.onFailure(new CancellationException("released before a response"));
        }
        delegate.releaseResources();
    }
}
