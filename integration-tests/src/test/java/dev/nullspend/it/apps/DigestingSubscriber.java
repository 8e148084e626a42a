package dev.nullspend.it.apps;

import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A program's own {@link BodySubscriber}: asks for one list of buffers at a time (real back-pressure,
 * unlike the JDK's ready-made subscribers) and digests each one as it arrives.
 */
final class DigestingSubscriber implements BodySubscriber<ReceivedBytes> {

    private final ReceivedBytes received;
    private final CompletableFuture<ReceivedBytes> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    DigestingSubscriber() {
        this(new ReceivedBytes());
    }

    DigestingSubscriber(ReceivedBytes received) {
        this.received = received;
    }

    @Override
    public CompletionStage<ReceivedBytes> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer buffer : buffers) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            received.accept(bytes);
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(received);
    }
}
