package dev.nullspend.agent.instrumentation.jdkhttp;

import dev.nullspend.agent.exchange.ResponseSink;

import java.util.concurrent.Flow;

/**
 * The subscription the program's subscriber gets: a cancel before the end cancels the call;
 * requests go upstream, and to the filtering {@link TeeBodySubscriber} (if any), which keeps
 * count of the program's demand.
 */
public final class TeeSubscription implements Flow.Subscription {
    private final Flow.Subscription delegate;
    private final ResponseSink sink;
    private final TeeBodySubscriber<?> filtering;

    /** @param filtering the subscriber to tell about demand, or {@code null} when it does not filter */
    public TeeSubscription(Flow.Subscription delegate, ResponseSink sink, TeeBodySubscriber<?> filtering) {
        this.delegate = delegate;
        this.sink = sink;
        this.filtering = filtering;
    }

    @Override
    public void request(long n) {
        if (filtering != null) {
            filtering.requested(n);
        }
        delegate.request(n);
    }

    @Override
    public void cancel() {
        sink.onCancel();
        delegate.cancel();
    }
}
