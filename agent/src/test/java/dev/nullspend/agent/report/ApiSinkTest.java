package dev.nullspend.agent.report;

import static dev.nullspend.agent.api.ScriptedTransport.batchAccepted;
import static dev.nullspend.agent.api.ScriptedTransport.error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.api.FakeClock;
import dev.nullspend.agent.api.HttpTransport;
import dev.nullspend.agent.api.NullSpendApiClient;
import dev.nullspend.agent.api.ScriptedTransport;
import dev.nullspend.agent.log.CapturedLog;
import dev.nullspend.api.CostEvent;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ApiSinkTest {
    private static final Pattern KEY = Pattern.compile("\"idempotencyKey\":\"([^\"]+)\"");
    private static final String RUN = "20260412T100000Z-1-abcd";

    private static final String KEY_VALUE = "ns_test_sk_0123456789abcdef0123456789abcdef";
    private static final SpoolOwner OWNER = SpoolOwner.of(KEY_VALUE, "https://api.test");

    @TempDir
    Path root;
    /** The owner's folder, where all of the sink's spool files are. */
    Path dir;

    private final FakeClock clock = new FakeClock();
    @RegisterExtension
    final CapturedLog log = new CapturedLog();
    /** Every event key the "API" stored, in arrival order; a key arrives once even when sent twice. */
    private final List<String> stored = new ArrayList<>();

    @BeforeEach
    void ownersFolder() {
        dir = root.resolve(OWNER.dirName());
    }

    private ApiSink sink(ScriptedTransport transport, long spoolMaxBytes) {
        NullSpendApiClient client = new NullSpendApiClient(
                NullSpendApiClient.Settings.of("https://api.test", KEY_VALUE, "t"),
                () -> transport, clock, () -> 0.5);
        return new ApiSink(client, new Spool(root, spoolMaxBytes, Spool.SEGMENT_BYTES, RUN, OWNER), clock);
    }

    /** An API that stores (deduplicating) what it accepts; {@code failure} answers instead when it returns non-null. */
    private ScriptedTransport api(Function<HttpTransport.Request, Object> failure) {
        return new ScriptedTransport(request -> {
            Object f = failure.apply(request);
            if (f != null) {
                return f;
            }
            int inserted = 0;
            for (String key : keys(request)) {
                if (!stored.contains(key)) {
                    stored.add(key);
                    inserted++;
                }
            }
            return batchAccepted(inserted);
        });
    }

    private static List<String> keys(HttpTransport.Request request) {
        List<String> keys = new ArrayList<>();
        Matcher m = KEY.matcher(ScriptedTransport.bodyText(request));
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    private List<String> spoolFiles() throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void batchesGoOutAsRequestsOfAtMostOneHundredEventsWithoutCreatedAt() throws IOException {
        ScriptedTransport transport = api(r -> null);
        ApiSink sink = sink(transport, Spool.DEFAULT_MAX_BYTES);

        sink.write(TestEvents.events(0, 250));

        assertThat(transport.requests()).extracting(r -> keys(r).size()).containsExactly(100, 100, 50);
        for (HttpTransport.Request r : transport.requests()) {
            String body = ScriptedTransport.bodyText(r);
            assertThat(body).startsWith("{\"events\":[{\"provider\":\"openai\"").endsWith("}]}").doesNotContain("createdAt");
            assertThat(r.uri().getPath()).isEqualTo("/api/cost-events/batch");
        }
        assertThat(stored).isEqualTo(TestEvents.keys(TestEvents.events(0, 250)));
        assertThat(sink.stats()).isEqualTo(new ApiSink.Stats(250, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(spoolFiles()).as("nothing touches the spool when the API accepts").isEmpty();
    }

    @Test
    void requestsStayUnderOneMegabyte() throws IOException {
        ScriptedTransport transport = api(r -> null);
        ApiSink sink = sink(transport, Spool.DEFAULT_MAX_BYTES);
        List<CostEvent> heavy = new ArrayList<>();
        String controlChars = "\u0001".repeat(256); // six bytes each once escaped in JSON
        for (int i = 0; i < 100; i++) {
            CostEvent.Builder b = TestEvents.event(i).toBuilder();
            for (int t = 0; t < 10; t++) {
                b.tag("tag" + t, controlChars);
            }
            heavy.add(b.build());
        }

        sink.write(heavy);

        assertThat(transport.requests()).hasSizeGreaterThan(1);
        assertThat(transport.requests()).allSatisfy(r -> assertThat(r.body().length).isLessThanOrEqualTo(ApiSink.MAX_BODY_BYTES));
        assertThat(stored).hasSize(100);
    }

    @Test
    void anEventTheApiRefusesIsIsolatedKeptWithTheErrorAndTheOthersAreSent() throws IOException {
        ScriptedTransport transport = api(r -> ScriptedTransport.bodyText(r).contains("\"model\":\"refused-model\"")
                ? error(400, "validation_error", "events: model refused") : null);
        ApiSink sink = sink(transport, Spool.DEFAULT_MAX_BYTES);
        List<CostEvent> events = new ArrayList<>(TestEvents.events(0, 10));
        events.set(7, events.get(7).toBuilder().model("refused-model").build());

        sink.write(events);

        assertThat(transport.requests()).extracting(r -> keys(r).size())
                .as("10 → halves 5 | 5 → 2 | 3 → 1 | 2").containsExactly(10, 5, 5, 2, 3, 1, 2);
        assertThat(stored).containsExactlyInAnyOrder("k-0", "k-1", "k-2", "k-3", "k-4", "k-5", "k-6", "k-8", "k-9");
        assertThat(sink.stats().rejected()).isEqualTo(1);
        assertThat(sink.stats().sent()).isEqualTo(9);
        String rejected = Files.readString(dir.resolve("run-" + RUN + ".rejected.jsonl"));
        assertThat(rejected).contains("\"status\":400", "\"code\":\"validation_error\"", "events: model refused",
                "\"idempotencyKey\":\"k-7\"").hasLineCount(1);
        assertThat(sink.catchUp()).as("nothing left to re-send").isEqualTo(EventSink.NO_BACKLOG);
        assertThat(log.text()).contains("the API refused a cost event", "idempotencyKey k-7");
    }

    @Test
    void whenTheApiIsDownEventsAreSpooledInOrderAndResentOnceItAnswersAgain() throws IOException {
        boolean[] down = {true};
        ScriptedTransport transport = api(r -> down[0] ? error(503, "unavailable", "down") : null);
        ApiSink sink = sink(transport, Spool.DEFAULT_MAX_BYTES);

        sink.write(TestEvents.events(0, 5));
        assertThat(transport.requests()).as("1 + 2 retries").hasSize(3);
        sink.write(TestEvents.events(5, 3));
        assertThat(transport.requests()).as("while the spool holds events, new ones join them").hasSize(3);
        assertThat(sink.catchUp()).as("paused for a second").isEqualTo(TimeUnit.SECONDS.toNanos(1));

        down[0] = false;
        clock.advance(1, TimeUnit.SECONDS);
        assertThat(sink.catchUp()).isZero();
        assertThat(sink.catchUp()).isEqualTo(EventSink.NO_BACKLOG);

        assertThat(transport.requests()).hasSize(4);
        assertThat(stored).isEqualTo(TestEvents.keys(TestEvents.events(0, 8)));
        assertThat(sink.stats()).isEqualTo(new ApiSink.Stats(8, 8, 0, 2, 8, 0, 0, 0, 0));
        sink.close();
        assertThat(spoolFiles()).isEmpty();
        assertThat(log.text()).contains("POST /api/cost-events/batch failed: HTTP 503", "the API accepts cost events again");
    }

    /**
     * Re-sending a chunk that holds a bad event, while the API fails half way: what went through is
     * acknowledged, the refused event is kept aside, the rest moves to the end of the spool and is
     * sent on the next step. Every event ends up at the API once or in the rejected file.
     */
    @Test
    void aChunkThatPartlyGoesThroughLeavesOnlyItsRestInTheSpool() throws IOException {
        int[] phase = {0}; // 0: down; then counts requests since the API came back
        ScriptedTransport transport = api(r -> {
            if (phase[0] == 0) {
                return error(503, "unavailable", "down");
            }
            int n = phase[0]++;
            if (n >= 4 && n <= 6) {
                return error(503, "unavailable", "a hiccup");
            }
            return ScriptedTransport.bodyText(r).contains("\"model\":\"refused-model\"")
                    ? error(400, "validation_error", "events: model refused") : null;
        });
        ApiSink sink = sink(transport, Spool.DEFAULT_MAX_BYTES);
        List<CostEvent> events = new ArrayList<>(TestEvents.events(0, 10));
        events.set(7, events.get(7).toBuilder().model("refused-model").build());
        sink.write(events);
        phase[0] = 1;
        clock.advance(1, TimeUnit.SECONDS);

        assertThat(sink.catchUp()).as("paused after the hiccup").isEqualTo(TimeUnit.SECONDS.toNanos(1));
        assertThat(stored).containsExactly("k-0", "k-1", "k-2", "k-3", "k-4");
        assertThat(sink.stats().pending()).as("the five others, moved to the end").isEqualTo(5);
        clock.advance(1, TimeUnit.SECONDS);
        assertThat(sink.catchUp()).isZero();
        assertThat(sink.catchUp()).isEqualTo(EventSink.NO_BACKLOG);

        assertThat(stored).containsExactly("k-0", "k-1", "k-2", "k-3", "k-4", "k-5", "k-6", "k-8", "k-9");
        assertThat(sink.stats()).isEqualTo(new ApiSink.Stats(9, 9, 0, 4, 10, 0, 1, 0, 0));
        sink.close();
        assertThat(spoolFiles()).containsExactly("run-" + RUN + ".rejected.jsonl");
    }

    @Test
    void pausesGrowWhileTheApiStaysDown() throws IOException {
        ScriptedTransport transport = api(r -> new ConnectException("Connection refused"));
        ApiSink sink = sink(transport, Spool.DEFAULT_MAX_BYTES);
        sink.write(TestEvents.events(0, 1));
        List<Long> pauses = new ArrayList<>();

        for (int i = 0; i < 7; i++) {
            long pause = sink.catchUp();
            pauses.add(TimeUnit.NANOSECONDS.toSeconds(pause));
            clock.advance(pause, TimeUnit.NANOSECONDS);
            sink.catchUp();
        }

        assertThat(pauses).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L);
        assertThat(stored).isEmpty();
        assertThat(sink.stats().pending()).isEqualTo(1);
    }

    @Test
    void aRefusedKeyPausesThirtySecondsAndKeepsTheEvents() throws IOException {
        ScriptedTransport transport = api(r -> error(401, "unauthorized", "Invalid API key"));
        ApiSink sink = sink(transport, Spool.DEFAULT_MAX_BYTES);

        sink.write(TestEvents.events(0, 2));

        assertThat(transport.requests()).as("not retried").hasSize(1);
        assertThat(sink.catchUp()).isEqualTo(TimeUnit.SECONDS.toNanos(30));
        assertThat(sink.stats().spooled()).isEqualTo(2);
        assertThat(log.text()).contains("check nullspend.api-key");
    }

    @Test
    void eventsTheApiAlreadyHadAreCountedAsDuplicates() throws IOException {
        ScriptedTransport transport = api(r -> null);
        ApiSink sink = sink(transport, Spool.DEFAULT_MAX_BYTES);

        sink.write(TestEvents.events(0, 3));
        sink.write(TestEvents.events(1, 3));

        assertThat(stored).containsExactly("k-0", "k-1", "k-2", "k-3");
        assertThat(sink.stats().sent()).isEqualTo(6);
        assertThat(sink.stats().duplicates()).isEqualTo(2);
    }

    @Test
    void afterTheShutdownCutOffNothingIsSentAndEverythingIsSpooled() throws IOException {
        ScriptedTransport transport = api(r -> null);
        ApiSink sink = sink(transport, Spool.DEFAULT_MAX_BYTES);

        sink.drainWithin(Duration.ofMillis(900)); // less than the 1 s kept for spooling
        sink.write(TestEvents.events(0, 4));

        assertThat(transport.requests()).isEmpty();
        assertThat(sink.catchUp()).isEqualTo(EventSink.NO_BACKLOG);
        assertThat(sink.stats().spooled()).isEqualTo(4);
        sink.close();
        assertThat(LedgerReader.readAll(dir.resolve("run-" + RUN + ".000000.jsonl")).events())
                .extracting(CostEvent::idempotencyKey).containsExactly("k-0", "k-1", "k-2", "k-3");
    }

    @Test
    void logsWhereTheEventsStandOnceAMinuteWhileTheyFlow() throws IOException {
        ScriptedTransport transport = api(r -> null);
        ApiSink sink = sink(transport, Spool.DEFAULT_MAX_BYTES);

        sink.write(TestEvents.events(0, 120));
        assertThat(log.text()).as("no progress line in the first minute").doesNotContain("sent,");

        clock.advance(61, TimeUnit.SECONDS);
        sink.write(TestEvents.events(120, 5));
        clock.advance(10, TimeUnit.SECONDS);
        sink.write(TestEvents.events(125, 5));

        assertThat(log.text().lines().filter(l -> l.contains("sent,")).toList())
                .containsExactly("[nullspend] api: https://api.test (125 sent, 0 spooled, 0 dropped, 0 retries)");
    }

    @Test
    void aFullSpoolDropsCountsAndSaysSo() throws IOException {
        ScriptedTransport transport = api(r -> error(503, "unavailable", "down"));
        long threeEvents = CostEventJson.lines(TestEvents.events(0, 3), true).length;
        ApiSink sink = sink(transport, threeEvents);

        sink.write(TestEvents.events(0, 3));
        sink.write(TestEvents.events(3, 2));

        assertThat(sink.stats().spooled()).isEqualTo(3);
        assertThat(sink.stats().dropped()).isEqualTo(2);
        assertThat(log.text()).contains("is full, 2 cost events dropped so far");
        assertThat(sink.summary()).isEqualTo("api: https://api.test (0 sent, 3 spooled, 2 dropped, 2 retries); spool "
                + dir + ": 3 to send at the next start");
    }

    @Test
    void eventsAreSanitisedBeforeTheyAreSentOrSpooled() throws IOException {
        ScriptedTransport transport = api(r -> null);
        ApiSink sink = sink(transport, Spool.DEFAULT_MAX_BYTES);

        sink.write(List.of(TestEvents.event(0).toBuilder().costMicrodollars(-5).traceId("xyz").build()));

        String body = ScriptedTransport.bodyText(transport.requests().get(0));
        assertThat(body).contains("\"costMicrodollars\":0", "\"tags\":{\"_ns_trace_id\":\"xyz\"}").doesNotContain("traceId");
        assertThat(sink.stats().fixed()).isEqualTo(1);
        assertThat(sink.summary()).isEqualTo("api: https://api.test (1 sent, 0 spooled, 0 dropped, 0 retries, 1 fixed before sending)");
    }
}
