package dev.nullspend.agent.instrumentation.jdkhttp;

import dev.nullspend.agent.core.LlmCall;
import dev.nullspend.agent.exchange.ResponseSink;

import java.net.http.HttpResponse;

/**
 * Wraps the program's {@code BodyHandler}: tells the call about the response status and headers
 * and, when its body is worth reading, puts a {@link TeeBodySubscriber} in front of the program's
 * subscriber. Works for every handler (ofString, ofInputStream, ofLines, custom ones). A NullSpend
 * proxy response that may be a denial goes through a {@link ProxyDenialSubscriber} instead.
 */
public final class TeeBodyHandler<T> implements HttpResponse.BodyHandler<T> {
    private final HttpResponse.BodyHandler<T> delegate;
    private final LlmCall call;

    public TeeBodyHandler(HttpResponse.BodyHandler<T> delegate, LlmCall call) {
        this.delegate = delegate;
        this.call = call;
    }

    @Override
    public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info) {
        JdkHeaders headers = new JdkHeaders(info.headers());
        if (call.mayBeDenial(info.statusCode(), headers)) {
            HttpResponse.BodySubscriber<T> subscriber = delegate.apply(info);
            return subscriber == null ? null : new ProxyDenialSubscriber<>(subscriber, call, info.statusCode(), headers);
        }
        ResponseSink sink = call.onResponse(info.statusCode(), headers);
        HttpResponse.BodySubscriber<T> subscriber;
        try {
            subscriber = delegate.apply(info);
        } catch (RuntimeException | Error e) {
            if (sink != null) {
                sink.onError(e);
            }
            throw e;
        }
        return sink == null || subscriber == null ? subscriber
                : new TeeBodySubscriber<>(subscriber, sink, call.responseFilter());
    }
}
