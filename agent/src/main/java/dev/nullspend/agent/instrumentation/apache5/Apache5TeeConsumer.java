package dev.nullspend.agent.instrumentation.apache5;

import dev.nullspend.agent.core.LlmCall;
import dev.nullspend.agent.exchange.Headers;
import dev.nullspend.agent.exchange.ResponseFilter;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.instrumentation.entity.EntityHeaders;
import dev.nullspend.agent.proxy.ProxyDenials;
import dev.nullspend.api.NullSpendException;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

import java.io.ByteArrayOutputStream;
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
 * denial is held by a {@link HeldResponse} until its body decides.
 */
public final class Apache5TeeConsumer<T> implements AsyncResponseConsumer<T> {
    private final AsyncResponseConsumer<T> delegate;
    private final LlmCall call;
    private volatile boolean responded;
    private volatile ResponseSink sink;
    private volatile ResponseFilter filter;
    /** A NullSpend proxy response that may be a denial, until its body decides. */
    private volatile HeldResponse held;

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
            HeldResponse h = new HeldResponse(response, entityDetails, context, resultCallback);
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
        HeldResponse h = held;
        if (h != null && h.held()) {
            h.updateCapacity(capacityChannel);
            return;
        }
        delegate.updateCapacity(capacityChannel);
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        HeldResponse h = held;
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
        HeldResponse h = held;
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

    /**
     * An async NullSpend proxy response that may be a denial, held back from the program's consumer
     * until its body (at most {@link ProxyDenials#MAX_BODY} bytes) decides: a denial fails the
     * exchange's result (the future and the program's callback get it) and the program's consumer
     * never sees the response; anything else is handed to it as it came — the head, the bytes held,
     * then the rest of the body under the consumer's own flow control.
     */
    private final class HeldResponse {
        private final HttpResponse response;
        private final EntityDetails entity;
        private final HttpContext context;
        private final FutureCallback<T> resultCallback;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private CapacityChannel capacity;
        private boolean holding = true;

        HeldResponse(HttpResponse response, EntityDetails entity, HttpContext context, FutureCallback<T> resultCallback) {
            this.response = response;
            this.entity = entity;
            this.context = context;
            this.resultCallback = resultCallback;
        }

        /** True while the response is held; the consumer then hands everything here. */
        boolean held() {
            return holding;
        }

        /** The client asks how much more it may deliver: enough for a whole denial. */
        void updateCapacity(CapacityChannel channel) throws IOException {
            capacity = channel;
            channel.update(ProxyDenials.MAX_BODY + 1);
        }

        void consume(ByteBuffer src) throws HttpException, IOException {
            byte[] bytes = new byte[src.remaining()];
            src.get(bytes);
            body.write(bytes, 0, bytes.length);
            if (body.size() > ProxyDenials.MAX_BODY) {
                pass(); // too long for a denial
            }
        }

        /** The body ended: a denial, or the whole response for the program. */
        void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
            if (!denied()) {
                pass();
                delegate.streamEnd(trailers);
            }
        }

        /** The response has no body: a denial, or the response for the program. */
        void noBody() throws HttpException, IOException {
            if (!denied()) {
                pass();
            }
        }

        /** True when the body read is a denial, which then fails the exchange's result. */
        private boolean denied() {
            NullSpendException denial = call.denial(response.getCode(),
                    EntityHeaders.of(Apache5Adapter.CLIENT, response, entity), body.toByteArray());
            if (denial == null) {
                return false;
            }
            holding = false;
            resultCallback.failed(denial);
            return true;
        }

        /** Hands the head and the bytes held to the program's consumer; from now on it gets everything. */
        private void pass() throws HttpException, IOException {
            holding = false;
            delegate.consumeResponse(response, entity, context, resultCallback);
            if (body.size() > 0) {
                delegate.consume(ByteBuffer.wrap(body.toByteArray()));
            }
            if (capacity != null) {
                delegate.updateCapacity(capacity);
            }
        }
    }
}
