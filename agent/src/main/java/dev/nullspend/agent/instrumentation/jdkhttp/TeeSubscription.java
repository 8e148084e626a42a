package dev.nullspend.agent.instrumentation.jdkhttp;

import dev.nullspend.agent.exchange.ResponseSink;

import java.util.concurrent.Flow;

/** Passes demand through; a cancel (the program stopped reading) also ends the call. */
public final class TeeSubscription implements Flow.Subscription {
    private final Flow.Subscription delegate;
    private final ResponseSink sink;

    public TeeSubscription(Flow.Subscription delegate, ResponseSink sink) {
        this.delegate = delegate;
        this.sink = sink;
    }

    @Override
    public void request(long n) {
        delegate.request(n);
    }

    @Override
    public void cancel() {
        sink.onCancel();
        delegate.cancel();
    }
}
