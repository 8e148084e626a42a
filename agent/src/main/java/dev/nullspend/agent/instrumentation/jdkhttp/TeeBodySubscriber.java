package dev.nullspend.agent.instrumentation.jdkhttp;

import dev.nullspend.agent.exchange.ResponseSink;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Shows every body buffer to the call's sink (through {@code duplicate()}, so the program's
 * buffers are untouched) and then hands it on, as it arrives: nothing is held back or buffered.
 */
public final class TeeBodySubscriber<T> implements HttpResponse.BodySubscriber<T> {
    private final HttpResponse.BodySubscriber<T> delegate;
    private final ResponseSink sink;

    public TeeBodySubscriber(HttpResponse.BodySubscriber<T> delegate, ResponseSink sink) {
        this.delegate = delegate;
        this.sink = sink;
    }

    @Override
    public CompletionStage<T> getBody() {
        return delegate.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        delegate.onSubscribe(new TeeSubscription(subscription, sink));
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        for (int i = 0, n = item.size(); i < n; i++) {
            sink.onBytes(item.get(i).duplicate());
        }
        delegate.onNext(item);
    }

    @Override
    public void onError(Throwable throwable) {
        sink.onError(throwable);
        delegate.onError(throwable);
    }

    @Override
    public void onComplete() {
        sink.onComplete();
        delegate.onComplete();
    }
}
