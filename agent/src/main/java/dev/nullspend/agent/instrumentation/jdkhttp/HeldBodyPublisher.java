package dev.nullspend.agent.instrumentation.jdkhttp;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the client sends in place of a body the agent read ahead ({@link HeldBody}): the same
 * length as the program's publisher declared ({@code -1} stays chunked, a known length stays that
 * length), and exactly its bytes. A whole body is sent from the held bytes on every
 * subscription (a redirect or an authentication retry sends it again, as the body publisher
 * contract asks); any other is sent once through the open subscription, and a second
 * subscription goes to the program's publisher, as it would without the agent.
 */
public final class HeldBodyPublisher implements HttpRequest.BodyPublisher {
    private final HttpRequest.BodyPublisher original;
    private final HeldBody held;
    private final AtomicBoolean attached = new AtomicBoolean();

    public HeldBodyPublisher(HttpRequest.BodyPublisher original, HeldBody held) {
        this.original = original;
        this.held = held;
    }

    public HeldBody held() {
        return held;
    }

    @Override
    public long contentLength() {
        return original.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        if (held.whole() && !attached.get()) {
            HttpRequest.BodyPublishers.ofByteArrays(held.chunks()).subscribe(subscriber);
        } else if (attached.compareAndSet(false, true)) {
            held.attach(subscriber);
        } else {
            original.subscribe(subscriber);
        }
    }
}
