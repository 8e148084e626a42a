package dev.nullspend.agent.instrumentation.jdkhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.core.UnreadBodies;
import dev.nullspend.agent.exchange.Exchange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A body read ahead from a publisher the client cannot subscribe to twice: the publisher is
 * subscribed to once, recognition gets the first 4 MiB, and what the client then sends is exactly
 * the program's bytes, with the program's declared length, or the program's failure.
 */
class HeldBodyTest {

    private static final long WAIT = TimeUnit.MINUTES.toMillis(1);

    @TempDir
    Path dir;

    @Test
    void aPublisherFedFromAnotherThreadIsHeldWholeAndSentAsItsExactBytesOnEverySubscription() throws Exception {
        byte[] body = bytes(100_003);
        try (SubmissionPublisher<ByteBuffer> source = new SubmissionPublisher<>()) {
            CountingPublisher counted = new CountingPublisher(BodyPublishers.fromPublisher(source));
            HeldBody held = new HeldBody(counted);
            ExecutorService feeder = Executors.newSingleThreadExecutor();
            try {
                held.start(WAIT, feeder);
                while (source.getNumberOfSubscribers() == 0) {
                    Thread.onSpinWait(); // a SubmissionPublisher drops what is submitted before anyone subscribed
                }
                // the program feeds its publisher only after it handed the request over, as with sendAsync
                for (int i = 0; i < body.length; i += 7_000) {
                    source.submit(ByteBuffer.wrap(Arrays.copyOfRange(body, i, Math.min(body.length, i + 7_000))));
                }
                source.close();
                held.settled().get(1, TimeUnit.MINUTES);
            } finally {
                feeder.shutdown();
            }
            HeldBodyPublisher sent = new HeldBodyPublisher(counted, held);

            assertThat(held.unread()).isNull();
            assertThat(held.bytes()).isEqualTo(body);
            assertThat(sent.contentLength()).as("unknown length stays unknown: chunked").isEqualTo(-1);
            assertThat(received(sent).bytes).isEqualTo(body);
            assertThat(received(sent).bytes).as("a resend (redirect) gets the same bytes").isEqualTo(body);
            assertThat(counted.subscriptions.get()).as("the program's publisher, subscribed once").isEqualTo(1);
        }
    }

    @Test
    void aStreamAFileAndAConcatKeepTheirLengthsAndBytesAndAreReadOnce() throws Exception {
        byte[] body = bytes(50_001);
        Path file = Files.write(dir.resolve("body.json"), body);
        AtomicInteger streams = new AtomicInteger();
        HttpRequest.BodyPublisher[] publishers = {
            BodyPublishers.ofInputStream(() -> {
                streams.incrementAndGet();
                return new ByteArrayInputStream(body);
            }),
            BodyPublishers.ofFile(file),
            BodyPublishers.concat(BodyPublishers.ofByteArray(Arrays.copyOf(body, 10)),
                    BodyPublishers.ofByteArray(Arrays.copyOfRange(body, 10, body.length))),
            BodyPublishers.fromPublisher(BodyPublishers.ofByteArray(body), body.length),
        };
        long[] lengths = {-1, body.length, body.length, body.length};
        for (int i = 0; i < publishers.length; i++) {
            HeldBody held = new HeldBody(publishers[i]);
            held.start(WAIT, null);
            held.settled().get(1, TimeUnit.MINUTES);
            HeldBodyPublisher sent = new HeldBodyPublisher(publishers[i], held);

            assertThat(held.unread()).as("publisher %d", i).isNull();
            assertThat(held.bytes()).as("publisher %d", i).isEqualTo(body);
            assertThat(sent.contentLength()).as("publisher %d", i).isEqualTo(lengths[i]);
            assertThat(received(sent).bytes).as("publisher %d", i).isEqualTo(body);
        }
        assertThat(streams.get()).as("the stream supplier, called once").isEqualTo(1);
    }

    @Test
    void aBodyOverTheCapIsCutForRecognitionAndSentWholeThroughTheOpenSubscription() throws Exception {
        byte[] body = bytes(Exchange.MAX_BODY_COPY + 1_234_567);
        CountingPublisher counted = new CountingPublisher(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        HeldBody held = new HeldBody(counted);
        held.start(WAIT, null);
        held.settled().get(1, TimeUnit.MINUTES);
        HeldBodyPublisher sent = new HeldBodyPublisher(counted, held);

        assertThat(held.unread()).isEqualTo(UnreadBodies.Cause.OVER_CAP);
        assertThat(held.bytes()).isEqualTo(Arrays.copyOf(body, Exchange.MAX_BODY_COPY));
        Received got = received(sent);
        assertThat(got.bytes.length).isEqualTo(body.length);
        assertThat(got.bytes).isEqualTo(body);
        assertThat(got.failure).isNull();
        assertThat(counted.subscriptions.get()).isEqualTo(1);
    }

    @Test
    void aFailingPublisherGivesTheClientItsBytesThenItsOwnFailure() throws Exception {
        IOException broken = new IOException("the program's body broke");
        HttpRequest.BodyPublisher publisher = BodyPublishers.fromPublisher(new FailingPublisher(bytes(300), broken), 1000);
        HeldBody held = new HeldBody(publisher);
        held.start(WAIT, null);
        held.settled().get(1, TimeUnit.MINUTES);
        HeldBodyPublisher sent = new HeldBodyPublisher(publisher, held);

        assertThat(held.unread()).isEqualTo(UnreadBodies.Cause.FAILED);
        assertThat(sent.contentLength()).isEqualTo(1000);
        Received got = received(sent);
        assertThat(got.bytes).isEqualTo(bytes(300));
        assertThat(got.failure).isSameAs(broken);
    }

    @Test
    void aPublisherNotDoneInTimeGoesOnWithWhatCameAndTheRestFollows() throws Exception {
        byte[] body = bytes(20_000);
        try (SubmissionPublisher<ByteBuffer> source = new SubmissionPublisher<>(Runnable::run, 16)) {
            HttpRequest.BodyPublisher publisher = BodyPublishers.fromPublisher(source);
            HeldBody held = new HeldBody(publisher);
            held.start(0, null); // no wait: settled at once, with nothing yet
            held.settled().get(1, TimeUnit.MINUTES);
            source.submit(ByteBuffer.wrap(Arrays.copyOf(body, 5_000)));
            HeldBodyPublisher sent = new HeldBodyPublisher(publisher, held);

            assertThat(held.unread()).isEqualTo(UnreadBodies.Cause.SLOW);
            Collector client = new Collector();
            sent.subscribe(client);
            source.submit(ByteBuffer.wrap(Arrays.copyOfRange(body, 5_000, body.length)));
            source.close();

            assertThat(client.done.get(1, TimeUnit.MINUTES).bytes).isEqualTo(body);
        }
    }

    @Test
    void aDenialCancelsTheProgramsPublisher() throws Exception {
        try (SubmissionPublisher<ByteBuffer> source = new SubmissionPublisher<>(Runnable::run, 16)) {
            HeldBody held = new HeldBody(BodyPublishers.fromPublisher(source));
            held.start(0, null);
            held.settled().get(1, TimeUnit.MINUTES);

            held.cancel();

            assertThat(source.getNumberOfSubscribers()).isZero();
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + (i * 31 + i / 7) % 26);
        }
        return b;
    }

    private record Received(byte[] bytes, Throwable failure) {
    }

    private static Received received(HttpRequest.BodyPublisher publisher) throws Exception {
        Collector c = new Collector();
        publisher.subscribe(c);
        return c.done.get(1, TimeUnit.MINUTES);
    }

    /** The client's side: asks for one buffer at a time, as the JDK's HTTP/1.1 writer does. */
    private static final class Collector implements Flow.Subscriber<ByteBuffer> {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final CompletableFuture<Received> done = new CompletableFuture<>();
        Flow.Subscription s;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            s = subscription;
            s.request(1);
        }

        @Override
        public void onNext(ByteBuffer item) {
            byte[] b = new byte[item.remaining()];
            item.get(b);
            out.writeBytes(b);
            s.request(1);
        }

        @Override
        public void onError(Throwable throwable) {
            done.complete(new Received(out.toByteArray(), throwable));
        }

        @Override
        public void onComplete() {
            done.complete(new Received(out.toByteArray(), null));
        }
    }

    /** Hands over one buffer when asked, then fails. */
    private record FailingPublisher(byte[] first, Throwable failure) implements Flow.Publisher<ByteBuffer> {
        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            subscriber.onSubscribe(new Flow.Subscription() {
                boolean sent;

                @Override
                public void request(long n) {
                    if (!sent) {
                        sent = true;
                        subscriber.onNext(ByteBuffer.wrap(first));
                        subscriber.onError(failure);
                    }
                }

                @Override
                public void cancel() {
                }
            });
        }
    }

    private static final class CountingPublisher implements HttpRequest.BodyPublisher {
        final HttpRequest.BodyPublisher delegate;
        final AtomicInteger subscriptions = new AtomicInteger();

        CountingPublisher(HttpRequest.BodyPublisher delegate) {
            this.delegate = delegate;
        }

        @Override
        public long contentLength() {
            return delegate.contentLength();
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            subscriptions.incrementAndGet();
            delegate.subscribe(subscriber);
        }
    }
}
