package dev.nullspend.agent.instrumentation.jdkhttp;

import dev.nullspend.agent.exchange.Exchange;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.Flow;

/**
 * Copies a JDK request body for recognition, but only from the JDK's in-memory publishers
 * ({@code ofString}, {@code ofByteArray}, {@code noBody}): they hand every subscriber the same
 * bytes, synchronously. Stream, file and custom publishers are never subscribed twice; their
 * body stays unknown.
 */
public final class RequestBodyCopier implements Exchange.BodySource, Flow.Subscriber<ByteBuffer> {
    private static final String IN_MEMORY = "jdk.internal.net.http.RequestPublishers$ByteArrayPublisher";
    private static final String EMPTY = "jdk.internal.net.http.RequestPublishers$EmptyPublisher";

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
        if (is(p.getClass(), EMPTY)) {
            return new byte[0];
        }
        if (!is(p.getClass(), IN_MEMORY)) {
            return null;
        }
        p.subscribe(this);
        return complete && !failed ? out.toByteArray() : null;
    }

    private static boolean is(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return true;
            }
        }
        return false;
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
