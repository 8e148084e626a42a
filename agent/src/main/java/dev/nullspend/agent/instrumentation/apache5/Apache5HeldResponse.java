package dev.nullspend.agent.instrumentation.apache5;

import dev.nullspend.agent.core.LlmCall;
import dev.nullspend.agent.proxy.ProxyDenials;
import dev.nullspend.api.NullSpendException;
import dev.nullspend.agent.instrumentation.entity.EntityHeaders;
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

/**
 * An async NullSpend proxy response that may be a denial, held back from the program's consumer
 * until its body (at most {@link ProxyDenials#MAX_BODY} bytes) decides: a denial fails the
 * exchange's result (the future and the program's callback get it) and the program's consumer
 * never sees the response; anything else is handed to it as it came — the head, the bytes held,
 * then the rest of the body under the consumer's own flow control.
 */
public final class Apache5HeldResponse<T> {
    private final AsyncResponseConsumer<T> delegate;
    private final LlmCall call;
    private final HttpResponse response;
    private final EntityDetails entity;
    private final HttpContext context;
    private final FutureCallback<T> resultCallback;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private CapacityChannel capacity;
    private boolean held = true;

    public Apache5HeldResponse(AsyncResponseConsumer<T> delegate, LlmCall call, HttpResponse response, EntityDetails entity,
                               HttpContext context, FutureCallback<T> resultCallback) {
        this.delegate = delegate;
        this.call = call;
        this.response = response;
        this.entity = entity;
        this.context = context;
        this.resultCallback = resultCallback;
    }

    /** True while the response is held; the consumer then hands everything here. */
    public boolean held() {
        return held;
    }

    /** The client asks how much more it may deliver: enough for a whole denial. */
    public void updateCapacity(CapacityChannel channel) throws IOException {
        capacity = channel;
        channel.update(ProxyDenials.MAX_BODY + 1);
    }

    public void consume(ByteBuffer src) throws HttpException, IOException {
        byte[] bytes = new byte[src.remaining()];
        src.get(bytes);
        body.write(bytes, 0, bytes.length);
        if (body.size() > ProxyDenials.MAX_BODY) {
            pass(); // too long for a denial
        }
    }

    /** The body ended: a denial, or the whole response for the program. */
    public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
        if (!denied()) {
            pass();
            delegate.streamEnd(trailers);
        }
    }

    /** The response has no body: a denial, or the response for the program. */
    public void noBody() throws HttpException, IOException {
        if (!denied()) {
            pass();
        }
    }

    /** True when the body read is a denial, which then fails the exchange's result. */
    private boolean denied() {
        NullSpendException denial = call.denial(response.getCode(), EntityHeaders.of(Apache5Adapter.CLIENT, response, entity),
                body.toByteArray());
        if (denial == null) {
            return false;
        }
        held = false;
        resultCallback.failed(denial);
        return true;
    }

    /** Hands the head and the bytes held to the program's consumer; from now on it gets everything. */
    private void pass() throws HttpException, IOException {
        held = false;
        delegate.consumeResponse(response, entity, context, resultCallback);
        if (body.size() > 0) {
            delegate.consume(ByteBuffer.wrap(body.toByteArray()));
        }
        if (capacity != null) {
            delegate.updateCapacity(capacity);
        }
    }
}
