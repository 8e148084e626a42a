package dev.nullspend.agent.instrumentation.jdkhttp;

import dev.nullspend.agent.exchange.Exchange;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.Flow;

/**
 * Copies a JDK request body for recognition: a body the adapter read ahead
 * ({@link HeldBodyPublisher}), or one of the JDK's in-memory publishers ({@code ofString},
 * {@code ofByteArray}, {@code noBody}), which hand every subscriber the same bytes, synchronously.
 * Any other publisher is never subscribed here; its body stays unknown.
 */
public final class RequestBodyCopier implements Exchange.BodySource, Flow.Subscriber<ByteBuffer> {
    private final HttpRequest request;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Flow.Subscription subscription;
    private boolean complete;
    private boolean failed;

    public RequestBodyCopier(HttpRequest request) {
        this.request = request;
    }

    @Override
    public byte[] read() {
        Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
        if (publisher.isEmpty()) {
            return null;
        }
        HttpRequest.BodyPublisher p = publisher.get();
        if (p instanceof HeldBodyPublisher held) {
            return held.held().bytes();
        }
        if (p.contentLength() == 0) {
            return new byte[0]; // noBody(), or a publisher that may never be subscribed
        }
        if (!JdkHttpAdapter.inMemory(p)) {
            return null;
        }
        p.subscribe(this);
        return complete && !failed ? out.toByteArray() : null;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ByteBuffer item) {
        int room = Exchange.MAX_BODY_COPY - out.size();
        int n = Math.min(room, item.remaining());
        if (item.hasArray()) {
            out.write(item.array(), item.arrayOffset() + item.position(), n);
        } else {
            byte[] b = new byte[n];
            item.duplicate().get(b);
            out.write(b, 0, n);
        }
        if (out.size() >= Exchange.MAX_BODY_COPY) {
            complete = true; // enough for recognition: the rest is not needed
            subscription.cancel();
        }
    }

    @Override
    public void onError(Throwable throwable) {
        failed = true;
    }

    @Override
    public void onComplete() {
        complete = true;
    }
}
