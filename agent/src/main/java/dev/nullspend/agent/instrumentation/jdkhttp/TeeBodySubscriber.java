package dev.nullspend.agent.instrumentation.jdkhttp;

import dev.nullspend.agent.exchange.ResponseFilter;
import dev.nullspend.agent.exchange.ResponseSink;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows every body buffer to the call's sink (through {@code duplicate()}, so the program's
 * buffers are untouched) and then hands it on, as it arrives: nothing is held back or buffered.
 *
 * <p>With a {@link ResponseFilter} (the agent rewrote the request) the program gets the
 * filtered buffers instead. Flow's demand stays exact: a batch the filter holds back entirely
 * is replaced by asking upstream for one more, and bytes still held at the end reach the
 * program only once it has demand, before its {@code onComplete}.
 */
public final class TeeBodySubscriber<T> implements HttpResponse.BodySubscriber<T> {
    private final HttpResponse.BodySubscriber<T> delegate;
    private final ResponseSink sink;
    private final ResponseFilter filter;
    /** The program's demand not yet met, saturating at {@code Long.MAX_VALUE}; kept only with a filter. */
    private final AtomicLong demand = new AtomicLong();
    private final AtomicBoolean tailSent = new AtomicBoolean();
    private volatile Flow.Subscription upstream;
    private volatile ByteBuffer tail;

    public TeeBodySubscriber(HttpResponse.BodySubscriber<T> delegate, ResponseSink sink, ResponseFilter filter) {
        this.delegate = delegate;
        this.sink = sink;
        this.filter = filter;
    }

    @Override
    public CompletionStage<T> getBody() {
        return delegate.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        upstream = subscription;
        delegate.onSubscribe(new TeeSubscription(subscription, sink, filter == null ? null : this));
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        for (int i = 0, n = item.size(); i < n; i++) {
            sink.onBytes(item.get(i).duplicate());
        }
        if (filter == null) {
            delegate.onNext(item);
            return;
        }
        List<ByteBuffer> out = new ArrayList<>(item.size());
        for (int i = 0, n = item.size(); i < n; i++) {
            ByteBuffer passed = filter.filter(item.get(i));
            if (passed.hasRemaining()) {
                out.add(passed);
            }
        }
        if (out.isEmpty()) {
            upstream.request(1); // the program's demand for this batch is still open
        } else {
            addDemand(-1);
            delegate.onNext(out);
        }
    }

    @Override
    public void onError(Throwable throwable) {
        sink.onError(throwable);
        delegate.onError(throwable);
    }

    @Override
    public void onComplete() {
        sink.onComplete();
        ByteBuffer rest = filter == null ? null : filter.finish();
        if (rest == null || !rest.hasRemaining()) {
            delegate.onComplete();
            return;
        }
        tail = rest;
        sendTail();
    }

    /** The program asked for {@code n} more: counted, and lets held-back bytes at the end go. */
    void requested(long n) {
        if (n > 0) {
            addDemand(n);
            sendTail();
        }
    }

    /** Adds {@code n} (negative: met) to the demand; {@code Long.MAX_VALUE} means unbounded and stays. No lambda: helpers must not link one. */
    private void addDemand(long n) {
        for (long d = demand.get(); d != Long.MAX_VALUE; d = demand.get()) {
            long next = n > 0 && d + n < 0 ? Long.MAX_VALUE : d + n;
            if (demand.compareAndSet(d, next)) {
                return;
            }
        }
    }

    private void sendTail() {
        ByteBuffer t = tail;
        if (t != null && demand.get() > 0 && tailSent.compareAndSet(false, true)) {
            delegate.onNext(List.of(t));
            delegate.onComplete();
        }
    }
}
