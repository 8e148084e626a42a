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
 * is replaced by asking upstream for one more, and bytes still held at the end, also when the
 * body fails (a stream cut mid-event), reach the program only once it has demand, before its
 * {@code onComplete} or {@code onError}. A failure waits for the program to ask again after
 * those bytes, as the client itself fails a body only after the program took every byte it
 * received: {@code ofInputStream} throws at its next read once failed, even with bytes queued.
 */
public final class TeeBodySubscriber<T> implements HttpResponse.BodySubscriber<T> {
    private final HttpResponse.BodySubscriber<T> delegate;
    private final ResponseSink sink;
    private final ResponseFilter filter;
    /** The program's demand not yet met, saturating at {@code Long.MAX_VALUE}; kept only with a filter. */
    private final AtomicLong demand = new AtomicLong();
    private final AtomicBoolean tailSent = new AtomicBoolean();
    private final AtomicBoolean failureSent = new AtomicBoolean();
    private volatile Flow.Subscription upstream;
    private volatile ByteBuffer tail;
    /** How the body ended after the {@link #tail}: {@code null} normally. Set before the tail. */
    private volatile Throwable failure;
    private volatile boolean tailDelivered;

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
        end(throwable);
    }

    @Override
    public void onComplete() {
        sink.onComplete();
        end(null);
    }

    /** The body ended ({@code failure} null) or failed: the held-back bytes first, if any. */
    private void end(Throwable failure) {
        ByteBuffer rest = filter == null ? null : filter.finish();
        if (rest == null || !rest.hasRemaining()) {
            if (failure == null) {
                delegate.onComplete();
            } else {
                delegate.onError(failure);
            }
            return;
        }
        this.failure = failure;
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

    /**
     * Sends the held-back bytes once the program has demand, then the end: at once when it ended
     * normally; a failure once the program has taken the bytes and has demand again. Whichever
     * thread sees the demand sends; the flags let each signal go once, and in order.
     */
    private void sendTail() {
        ByteBuffer t = tail;
        if (t == null) {
            return;
        }
        if (!tailDelivered && demand.get() > 0 && tailSent.compareAndSet(false, true)) {
            addDemand(-1);
            delegate.onNext(List.of(t));
            if (failure == null) {
                delegate.onComplete();
                return;
            }
            tailDelivered = true;
        }
        if (tailDelivered && demand.get() > 0 && failureSent.compareAndSet(false, true)) {
            delegate.onError(failure);
        }
    }
}
