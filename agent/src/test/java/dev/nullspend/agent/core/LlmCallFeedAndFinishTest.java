package dev.nullspend.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.NoSubscription;
import dev.nullspend.agent.instrumentation.jdkhttp.TeeBodySubscriber;
import dev.nullspend.agent.provider.LlmApi;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageParser;
import dev.nullspend.agent.report.EventSink;
import dev.nullspend.agent.report.Reporter;
import dev.nullspend.api.Attribution;
import dev.nullspend.api.CostEvent;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The usage parser is not thread-safe, and a program may close its body (a cancel, on its own thread)
 * while the client's thread is feeding the parser: the call then finishes on the feeding thread, once the
 * feed has returned, with every byte fed counted; never while a feed runs, never twice.
 */
class LlmCallFeedAndFinishTest {

    private final List<CostEvent> recorded = new ArrayList<>();
    private Reporter reporter;
    private AgentRuntime runtime;

    @BeforeEach
    void start() throws Exception {
        reporter = Reporter.start(List.of(new EventSink() {
            @Override
            public void write(List<CostEvent> batch) {
                synchronized (recorded) {
                    recorded.addAll(batch);
                }
            }

            @Override
            public void close() {
            }

            @Override
            public String describe() {
                return "test";
            }
        }));
        runtime = TestRuntimes.withoutLedger(reporter, Map.of());
    }

    @AfterEach
    void stop() {
        reporter.shutdown();
    }

    @Test
    void aCancelWhileTheClientThreadFeedsTheParserFinishesTheCallOnThatThreadAfterTheFeed() throws Exception {
        GatedParser parser = new GatedParser();
        LlmCall call = call(parser);
        ProgramSubscriber program = new ProgramSubscriber();
        TeeBodySubscriber<Void> tee = new TeeBodySubscriber<>(program, call.onResponse(200, name -> null), null);
        tee.onSubscribe(new NoSubscription());
        Thread client = new Thread(() -> tee.onNext(List.of(ascii("12345"))), "client-http-thread");
        client.setDaemon(true);
        client.start();
        assertThat(parser.feeding.await(30, TimeUnit.SECONDS)).as("the client thread is inside feed").isTrue();

        program.subscription.cancel(); // the program closes its body, on its own thread

        assertThat(parser.ends).as("not ended under a running feed").isZero();
        assertThat(events()).as("nothing recorded before the feed returned").isEmpty();
        parser.release.countDown();
        client.join(30_000);

        assertThat(parser.endedDuringFeed).isFalse();
        assertThat(parser.ends).as("ended once, after the feed").isEqualTo(1);
        assertThat(parser.endedOn).isEqualTo("client-http-thread");
        List<CostEvent> events = events();
        assertThat(events).hasSize(1);
        CostEvent e = events.get(0);
        assertThat(e.inputTokens()).as("the 5 bytes fed before the cancel count").isEqualTo(100);
        assertThat(e.outputTokens()).as("max_tokens: no output count was seen").isEqualTo(100);
        // gpt-4o: 100 × 2.50 + 100 × 10.00 µ$
        assertThat(e.costMicrodollars()).isEqualTo(1250);
        assertThat(e.tags()).containsExactlyInAnyOrderEntriesOf(Map.of("_ns_estimated", "true", "_ns_cancelled", "true"));

        tee.onNext(List.of(ascii("678")));
        tee.onComplete();
        assertThat(parser.fed).as("nothing fed after the end").isEqualTo(5);
        assertThat(parser.ends).isEqualTo(1);
        assertThat(events()).hasSize(1);
    }

    @Test
    void aCallEndedBetweenFeedsFinishesAtOnceOnTheEndingThread() throws Exception {
        GatedParser parser = new GatedParser();
        parser.release.countDown();
        LlmCall call = call(parser);
        TeeBodySubscriber<Void> tee = new TeeBodySubscriber<>(new ProgramSubscriber(), call.onResponse(200, name -> null), null);
        tee.onSubscribe(new NoSubscription());

        tee.onNext(List.of(ascii("1234567")));
        tee.onComplete();

        assertThat(parser.ends).isEqualTo(1);
        assertThat(parser.endedOn).isEqualTo(Thread.currentThread().getName());
        List<CostEvent> events = events();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).inputTokens()).isEqualTo(140);
        // gpt-4o: 140 × 2.50 + 100 × 10.00 µ$
        assertThat(events.get(0).costMicrodollars()).isEqualTo(1350);
        assertThat(events.get(0).tags()).as("ended, not cut").containsExactly(Map.entry("_ns_estimated", "true"));
    }

    private LlmCall call(UsageParser parser) {
        LlmApi api = new LlmApi() {
            @Override
            public LlmRequest recognize(Exchange exchange) {
                return null;
            }

            @Override
            public UsageParser newParser(LlmRequest request, String contentType) {
                return parser;
            }
        };
        LlmRequest request = new LlmRequest(api, "openai", "chat.completions", "gpt-4o", true, 100L, 400, null);
        return new LlmCall(runtime, request, runtime.admit(request, Attribution.current()), Attribution.current(), null,
                false);
    }

    private List<CostEvent> events() {
        assertThat(reporter.flush(Duration.ofSeconds(30))).isTrue();
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Reports 20 input tokens per byte fed and no output count (so that the event shows whether the call
     * was cut short); its first feed waits for {@link #release}.
     */
    private static final class GatedParser implements UsageParser {
        final CountDownLatch feeding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean inFeed;
        volatile boolean endedDuringFeed;
        volatile int fed;
        volatile int ends;
        volatile String endedOn;

        @Override
        public void feed(ByteBuffer bytes) {
            inFeed = true;
            feeding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            fed += bytes.remaining();
            inFeed = false;
        }

        @Override
        public void end() {
            endedDuringFeed |= inFeed;
            endedOn = Thread.currentThread().getName();
            ends++;
        }

        @Override
        public Usage usage() {
            return Usage.of(20L * fed, 0);
        }

        @Override
        public boolean outputCounted() {
            return false;
        }

        @Override
        public String responseModel() {
            return null;
        }
    }

    /** The program's body subscriber: keeps the subscription it was given, to cancel it. */
    private static final class ProgramSubscriber implements HttpResponse.BodySubscriber<Void> {
        volatile Flow.Subscription subscription;

        @Override
        public CompletionStage<Void> getBody() {
            return null;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }
    }
}
