package dev.nullspend.agent.instrumentation.jdkhttp;

import dev.nullspend.agent.core.LlmCall;
import dev.nullspend.agent.exchange.Headers;
import dev.nullspend.agent.proxy.ProxyDenials;
import dev.nullspend.api.NullSpendException;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.BiConsumer;

/**
 * Reads a NullSpend proxy response that may be a denial before the program's subscriber sees
 * it: at most {@link ProxyDenials#MAX_BODY} bytes, one buffer at a time. A denial fails the
 * body (so {@code send} throws it, {@code sendAsync}'s future fails with it) and the program's
 * subscriber is never subscribed; otherwise the program's subscriber gets exactly the bytes
 * read so far, then the rest of the body as it comes, with its own demand.
 */
public final class ProxyDenialSubscriber<T> implements HttpResponse.BodySubscriber<T>, Flow.Subscription,
        BiConsumer<T, Throwable> {
    private final HttpResponse.BodySubscriber<T> delegate;
    private final LlmCall call;
    private final int status;
    private final Headers headers;
    private final CompletableFuture<T> body = new CompletableFuture<>();
    private final ByteArrayOutputStream read = new ByteArrayOutputStream();
    private Flow.Subscription upstream;
    /** The program's subscriber has been handed the response. */
    private volatile boolean passing;
    /** The bytes read ahead, until the program's subscriber got them. */
    private byte[] replay;
    /** The body had ended when the program's subscriber got the response. */
    private boolean ended;

    public ProxyDenialSubscriber(HttpResponse.BodySubscriber<T> delegate, LlmCall call, int status, Headers headers) {
        this.delegate = delegate;
        this.call = call;
        this.status = status;
        this.headers = headers;
    }

    @Override
    public CompletionStage<T> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        upstream = subscription;
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        if (passing) {
            delegate.onNext(item);
            return;
        }
        for (ByteBuffer b : item) {
            ByteBuffer copy = b.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            read.write(bytes, 0, bytes.length);
        }
        if (read.size() > ProxyDenials.MAX_BODY) {
            pass(false); // too long for a denial
        } else {
            upstream.request(1);
        }
    }

    @Override
    public void onError(Throwable throwable) {
        if (!passing) {
            pass(false);
        }
        delegate.onError(throwable);
    }

    @Override
    public void onComplete() {
        if (passing) {
            delegate.onComplete();
            return;
        }
        NullSpendException denial = call.denial(status, headers, read.toByteArray());
        if (denial != null) {
            body.completeExceptionally(denial);
        } else {
            pass(true);
        }
    }

    /** Hands the response to the program's subscriber: first what was read, then the rest. */
    private void pass(boolean atEnd) {
        replay = read.toByteArray();
        ended = atEnd;
        passing = true;
        delegate.onSubscribe(this);
        delegate.getBody().whenComplete(this);
        if (replay.length == 0 && ended) {
            replay = null;
            delegate.onComplete();
        }
    }

    /** The program's demand: the bytes read ahead count as one buffer, the rest goes upstream. */
    @Override
    public void request(long n) {
        if (n <= 0) {
            upstream.request(n); // lets the upstream signal the error Flow requires
            return;
        }
        byte[] first = replay;
        if (first != null) {
            replay = null;
            delegate.onNext(List.of(ByteBuffer.wrap(first)));
            if (ended) {
                delegate.onComplete();
                return;
            }
            n--;
        }
        if (n > 0 && !ended) {
            upstream.request(n);
        }
    }

    @Override
    public void cancel() {
        upstream.cancel();
    }

    /** The program's subscriber produced its body: it is the response's. */
    @Override
    public void accept(T value, Throwable error) {
        if (error != null) {
            body.completeExceptionally(error);
        } else {
            body.complete(value);
        }
    }
}
