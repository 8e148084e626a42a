package dev.nullspend.agent.instrumentation.jdkhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.provider.openai.UsageChunkFilter;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A stream cut mid-event while the usage-chunk filter holds that event: the program's
 * {@code ofInputStream} still reads every byte the server sent before the cut, then the failure, as
 * without the agent (the client fails a body only after the program took the bytes it received).
 */
class TeeBodySubscriberTest {

    private static final String EVENT = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n";
    private static final String CUT_EVENT = "data: {\"choices\":[{\"index\":0,\"delta\":{\"con";

    @Test
    void aStreamCutMidEventGivesTheProgramEveryByteBeforeTheFailure() throws Exception {
        Reading reading = new Reading();

        reading.tee.onNext(List.of(ascii(EVENT + CUT_EVENT)));
        int first = reading.in.read(reading.buf); // the program takes what has come, as the client's reader does
        IOException cut = new IOException("cut");
        reading.tee.onError(cut);
        int total = first;
        StringBuilder read = new StringBuilder(new String(reading.buf, 0, first, StandardCharsets.US_ASCII));
        int n;
        IOException failure = null;
        try {
            while ((n = reading.in.read(reading.buf)) != -1) {
                total += n;
                read.append(new String(reading.buf, 0, n, StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            failure = e;
        }

        assertThat(first).as("the whole event first").isEqualTo(EVENT.length());
        assertThat(total).isEqualTo(EVENT.length() + CUT_EVENT.length());
        assertThat(read.toString()).isEqualTo(EVENT + CUT_EVENT);
        assertThat(failure).as("then the failure").isNotNull().hasCause(cut);
        assertThatThrownBy(() -> reading.in.read(reading.buf)).isInstanceOf(IOException.class);
    }

    @Test
    void aFailureWithNothingHeldReachesTheProgramAtOnce() throws Exception {
        Reading reading = new Reading();

        reading.tee.onNext(List.of(ascii(EVENT)));
        assertThat(reading.in.read(reading.buf)).isEqualTo(EVENT.length());
        reading.tee.onError(new IOException("cut"));

        assertThatThrownBy(() -> reading.in.read(reading.buf)).isInstanceOf(IOException.class);
    }

    /** A program reading with {@code ofInputStream} through the tee, with the usage chunk filter, subscribed. */
    private static final class Reading {
        final TeeBodySubscriber<InputStream> tee;
        final InputStream in;
        final byte[] buf = new byte[4096];

        Reading() throws Exception {
            HttpResponse.BodySubscriber<InputStream> program = HttpResponse.BodySubscribers.ofInputStream();
            tee = new TeeBodySubscriber<>(program, new NoSink(), new UsageChunkFilter());
            tee.onSubscribe(new NoSubscription());
            in = program.getBody().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static final class NoSink implements ResponseSink {
        @Override
        public void onBytes(ByteBuffer bytes) {
        }

        @Override
        public void onComplete() {
        }

        @Override
        public void onError(Throwable error) {
        }

        @Override
        public void onCancel() {
        }
    }

    private static final class NoSubscription implements Flow.Subscription {
        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
        }
    }
}
