package dev.nullspend.agent.instrumentation.jdkhttp;

import dev.nullspend.agent.core.UnreadBodies;
import dev.nullspend.agent.exchange.Exchange;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * A request body read ahead from the program's own publisher, which is subscribed to exactly
 * once: the bytes recognition needs, sent afterwards by {@link HeldBodyPublisher} in the
 * publisher's place. It asks for one buffer at a time, up to {@link Exchange#MAX_BODY_COPY}
 * bytes; {@link #settled()} completes when the body is whole, failed or over that cap, or when
 * {@code nullspend.request-body.wait-ms} has passed.
 *
 * <p>Unless the body is whole, the subscription to the program's publisher stays open: the one
 * send that {@link #attach attaches} gets the held buffers, then the rest as the publisher
 * produces it (its demand passed on, its cancel too), so it sends exactly the program's bytes,
 * or fails as the publisher does.
 */
public final class HeldBody implements Flow.Subscriber<ByteBuffer>, Flow.Subscription, Runnable {
    /** Buffers asked for at once: one at a time costs a thread hand-over per buffer with asynchronous publishers. */
    static final int BATCH = 16;
    private final HttpRequest.BodyPublisher source;
    private final CompletableFuture<HeldBody> settled = new CompletableFuture<>();
    // Guarded by this.
    private final List<byte[]> chunks = new ArrayList<>();
    private long size;
    private Flow.Subscription upstream;
    private long asked;
    private boolean done;
    private Throwable error;
    private boolean frozen;
    private UnreadBodies.Cause unread;
    private Flow.Subscriber<? super ByteBuffer> downstream;
    private long demand;
    private int next;
    private boolean emitting;
    private boolean finished;

    public HeldBody(HttpRequest.BodyPublisher source) {
        this.source = source;
    }

    /**
     * Subscribes to the program's publisher: on this thread when {@code executor} is null (a
     * {@code send}, whose caller waits anyway), else on the executor's ({@code sendAsync}, whose
     * caller must not wait for a publisher it may feed itself after the call).
     */
    public void start(long waitMillis, Executor executor) {
        settled.completeOnTimeout(this, waitMillis, TimeUnit.MILLISECONDS);
        if (executor == null) {
            source.subscribe(this);
        } else {
            executor.execute(this);
        }
    }

    @Override
    public void run() {
        source.subscribe(this);
    }

    public CompletableFuture<HeldBody> settled() {
        return settled;
    }

    /**
     * Why the body was not read whole when first asked (then fixed), or {@code null} when it was:
     * what recognition had is all there is, and no more than the cap.
     */
    public synchronized UnreadBodies.Cause unread() {
        if (!frozen) {
            frozen = true;
            if (size > Exchange.MAX_BODY_COPY || (!done && size == Exchange.MAX_BODY_COPY)) {
                unread = UnreadBodies.Cause.OVER_CAP;
            } else if (!done) {
                unread = UnreadBodies.Cause.SLOW;
            } else if (error != null) {
                unread = UnreadBodies.Cause.FAILED;
            }
        }
        return unread;
    }

    /** True when the program's publisher completed and every byte is held. */
    public synchronized boolean whole() {
        return done && error == null;
    }

    /** The bytes held so far, at most {@link Exchange#MAX_BODY_COPY} of them; before any send. */
    public synchronized byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(size, Exchange.MAX_BODY_COPY));
        for (byte[] chunk : chunks) {
            out.write(chunk, 0, Math.min(chunk.length, Exchange.MAX_BODY_COPY - out.size()));
        }
        return out.toByteArray();
    }

    /** The held buffers of a whole body, for a send of it (the client only reads them). */
    public synchronized List<byte[]> chunks() {
        return new ArrayList<>(chunks);
    }

    // The program's publisher.

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        synchronized (this) {
            if (upstream != null || finished) {
                subscription.cancel();
                return;
            }
            upstream = subscription;
            asked = BATCH;
        }
        subscription.request(BATCH);
    }

    @Override
    public void onNext(ByteBuffer item) {
        byte[] copy = new byte[item.remaining()];
        item.get(copy);
        boolean ask;
        boolean full;
        synchronized (this) {
            asked = Math.max(asked - 1, 0); // a publisher may send more than asked for
            chunks.add(copy);
            size += copy.length;
            full = size >= Exchange.MAX_BODY_COPY;
            ask = downstream == null && !full && !finished && asked == 0;
            if (ask) {
                asked = BATCH;
            }
        }
        if (full) {
            settled.complete(this);
        }
        if (ask) {
            upstream.request(BATCH);
        } else {
            emit();
        }
    }

    @Override
    public void onError(Throwable throwable) {
        synchronized (this) {
            done = true;
            error = throwable;
        }
        settled.complete(this);
        emit();
    }

    @Override
    public void onComplete() {
        synchronized (this) {
            done = true;
        }
        settled.complete(this);
        emit();
    }

    // The one send that takes over the open subscription.

    /** Hands the held buffers, then the rest of the program's publisher, to the client's subscriber. */
    public void attach(Flow.Subscriber<? super ByteBuffer> subscriber) {
        synchronized (this) {
            downstream = subscriber;
        }
        subscriber.onSubscribe(this);
        emit();
    }

    @Override
    public void request(long n) {
        synchronized (this) {
            demand = n <= 0 || demand + n < 0 ? Long.MAX_VALUE : demand + n;
        }
        emit();
    }

    /** The client, or a denial, gives up on the body: so does the program's publisher. */
    @Override
    public void cancel() {
        Flow.Subscription s;
        synchronized (this) {
            finished = true;
            chunks.clear();
            s = upstream;
        }
        if (s != null && !done()) {
            s.cancel();
        }
    }

    private synchronized boolean done() {
        return done;
    }

    /** Passes held buffers on as the client asks for them, then the publisher's end; asks the publisher for more. */
    private void emit() {
        synchronized (this) {
            if (emitting || downstream == null || finished) {
                return;
            }
            emitting = true;
        }
        while (true) {
            ByteBuffer item = null;
            boolean end = false;
            Throwable failure = null;
            long ask = 0;
            synchronized (this) {
                if (finished) {
                    emitting = false;
                    return;
                }
                if (next < chunks.size() && demand > 0) {
                    item = ByteBuffer.wrap(chunks.set(next++, null));
                    demand--;
                } else if (next == chunks.size() && done) {
                    finished = true;
                    end = true;
                    failure = error;
                } else {
                    if (demand > 0 && !done && asked == 0 && upstream != null) {
                        ask = Math.min(demand, BATCH);
                        asked = ask;
                    }
                    emitting = false;
                }
            }
            if (item != null) {
                downstream.onNext(item);
            } else if (end) {
                if (failure != null) {
                    downstream.onError(failure);
                } else {
                    downstream.onComplete();
                }
                return;
            } else {
                if (ask > 0) {
                    upstream.request(ask);
                }
                return;
            }
        }
    }
}
