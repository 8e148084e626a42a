package dev.nullspend.agent.api;

import static dev.nullspend.agent.api.ScriptedTransport.batchAccepted;
import static dev.nullspend.agent.api.ScriptedTransport.error;
import static dev.nullspend.agent.api.ScriptedTransport.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NullSpendApiClientTest {
    private static final String KEY = "ns_test_sk_0123456789abcdef0123456789abcdef";
    private static final byte[] BODY = "{\"events\":[]}".getBytes(StandardCharsets.UTF_8);

    private final FakeClock clock = new FakeClock();

    private NullSpendApiClient client(ScriptedTransport transport) {
        return new NullSpendApiClient(NullSpendApiClient.Settings.of("https://api.example.test/", KEY, "1.2.3"),
                () -> transport, clock, () -> 0.5);
    }

    @Test
    void aPostCarriesEveryHeaderAndTheBody() throws IOException {
        ScriptedTransport transport = ScriptedTransport.sequence(batchAccepted(0));

        ApiResponse answer = client(transport).postCostEventBatch(BODY, Deadline.NONE);

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.attempts()).isEqualTo(1);
        assertThat(answer.insertedCount()).isZero();
        HttpTransport.Request request = transport.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.uri()).isEqualTo(URI.create("https://api.example.test/api/cost-events/batch"));
        assertThat(request.body()).isEqualTo(BODY);
        assertThat(request.timeout()).isEqualTo(Duration.ofSeconds(30));
        Map<String, String> h = request.headers();
        assertThat(h).containsEntry("x-nullspend-key", KEY)
                .containsEntry("NullSpend-Version", "2026-04-01")
                .containsEntry("X-NullSpend-SDK", "java/1.2.3")
                .containsEntry("Accept", "application/json")
                .containsEntry("Content-Type", "application/json")
                .doesNotContainKey("Authorization");
        assertThat(h.get("Idempotency-Key")).matches("ns_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(h).hasSize(6);
    }

    @Test
    void aGetHasNeitherContentTypeNorIdempotencyKey() throws IOException {
        ScriptedTransport transport = ScriptedTransport.sequence(response(200, "{\"entities\":[]}"));

        ApiResponse answer = client(transport).budgetStatus(Deadline.NONE);

        assertThat(answer.text()).isEqualTo("{\"entities\":[]}");
        HttpTransport.Request request = transport.requests().get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.body()).isNull();
        assertThat(request.headers()).containsOnlyKeys("x-nullspend-key", "NullSpend-Version", "X-NullSpend-SDK", "Accept");
    }

    @Test
    void everyEndpointHasItsPath() throws IOException {
        ScriptedTransport transport = ScriptedTransport.sequence(response(200, "{}"));
        NullSpendApiClient client = client(transport);

        client.postCostEvent(BODY, Deadline.NONE);
        client.budgetStatus(Deadline.NONE);
        client.budgets(Deadline.NONE);
        client.policy(Deadline.NONE);
        client.costSummary("30d", Deadline.NONE);
        client.createAction(BODY, Deadline.NONE);
        client.action("ns_act_1f2e", Deadline.NONE);
        client.actionResult("ns_act_1f2e", BODY, Deadline.NONE);

        assertThat(transport.requests()).extracting(r -> r.method() + " " + r.uri().getRawPath()
                + (r.uri().getRawQuery() == null ? "" : "?" + r.uri().getRawQuery())).containsExactly(
                "POST /api/cost-events", "GET /api/budgets/status", "GET /api/budgets", "GET /api/policy",
                "GET /api/cost-events/summary?period=30d", "POST /api/actions", "GET /api/actions/ns_act_1f2e",
                "POST /api/actions/ns_act_1f2e/result");
    }

    @Test
    void argumentsThatWouldMakeABadUrlAreRefusedBeforeSending() {
        ScriptedTransport transport = ScriptedTransport.sequence(response(200, "{}"));
        NullSpendApiClient client = client(transport);

        assertThatThrownBy(() -> client.costSummary("14d", Deadline.NONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.action("../budgets", Deadline.NONE)).isInstanceOf(IllegalArgumentException.class);
        assertThat(transport.requests()).isEmpty();
    }

    @Test
    void retriesKeepTheIdempotencyKeyAndEachCallGetsItsOwn() throws IOException {
        ScriptedTransport transport = ScriptedTransport.sequence(error(503, "unavailable", "busy"),
                new ConnectException("refused"), batchAccepted(3), batchAccepted(3));
        NullSpendApiClient client = client(transport);

        ApiResponse first = client.postCostEventBatch(BODY, Deadline.NONE);
        client.postCostEventBatch(BODY, Deadline.NONE);

        assertThat(first.attempts()).isEqualTo(3);
        assertThat(client.retries()).isEqualTo(2);
        List<String> keys = transport.requests().stream().map(r -> r.headers().get("Idempotency-Key")).toList();
        assertThat(keys.get(0)).isEqualTo(keys.get(1)).isEqualTo(keys.get(2));
        assertThat(keys.get(3)).isNotEqualTo(keys.get(0));
        // jitter with random 0.5: 0.25 s before the first retry, 0.5 s before the second
        assertThat(clock.slept()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(750));
    }

    @Test
    void exhaustedRetriesOnAStatusFailWithHttpStatus() {
        ScriptedTransport transport = ScriptedTransport.sequence(error(503, "unavailable", "busy", "Retry-After", "3"));

        ApiException e = catchThrowableOfType(() -> client(transport).postCostEventBatch(BODY, Deadline.NONE),
                ApiException.class);

        assertThat(e).hasMessage("POST /api/cost-events/batch failed: HTTP 503");
        assertThat(e.kind()).isEqualTo(ApiException.Kind.UNAVAILABLE);
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.attempts()).isEqualTo(3);
        assertThat(e.retryAfterNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(3));
        assertThat(transport.requests()).hasSize(3);
        // Retry-After 3 capped at 1 s, then at 2 s
        assertThat(clock.slept()).isEqualTo(TimeUnit.SECONDS.toNanos(3));
    }

    @Test
    void exhaustedRetriesOnIoErrorsFailAsNetworkErrors() {
        ScriptedTransport transport = ScriptedTransport.sequence(new ConnectException("Connection refused"));

        ApiException e = catchThrowableOfType(() -> client(transport).postCostEventBatch(BODY, Deadline.NONE),
                ApiException.class);

        assertThat(e).hasMessage("POST /api/cost-events/batch network error: java.net.ConnectException: Connection refused");
        assertThat(e.kind()).isEqualTo(ApiException.Kind.NETWORK);
        assertThat(e.getCause()).isInstanceOf(ConnectException.class);
        assertThat(transport.requests()).hasSize(3);
    }

    @Test
    void aRefusalIsNotRetriedAndCarriesTheApisMessageAndCode() {
        ScriptedTransport transport = ScriptedTransport.sequence(
                error(400, "validation_error", "events[3].traceId: Invalid"));

        ApiException e = catchThrowableOfType(() -> client(transport).postCostEventBatch(BODY, Deadline.NONE),
                ApiException.class);

        assertThat(e).hasMessage("POST /api/cost-events/batch failed: events[3].traceId: Invalid (HTTP 400, validation_error)");
        assertThat(e.kind()).isEqualTo(ApiException.Kind.REFUSED);
        assertThat(e.code()).isEqualTo("validation_error");
        assertThat(transport.requests()).hasSize(1);
    }

    @Test
    void unauthorizedAddsAHintAboutTheKey() {
        ScriptedTransport transport = ScriptedTransport.sequence(error(401, "unauthorized", "Invalid API key"));

        assertThatThrownBy(() -> client(transport).policy(Deadline.NONE))
                .hasMessage("GET /api/policy failed: Invalid API key (HTTP 401, unauthorized); check nullspend.api-key");
    }

    @Test
    void aRefusalWithoutAJsonBodyIsDescribedByItsStatus() {
        ScriptedTransport transport = ScriptedTransport.sequence(response(415, "Unsupported Media Type"));

        assertThatThrownBy(() -> client(transport).postCostEventBatch(BODY, Deadline.NONE))
                .hasMessage("POST /api/cost-events/batch failed: HTTP 415");
    }

    @Test
    void aReplayedAnswerIsFlagged() throws IOException {
        ScriptedTransport transport = ScriptedTransport.sequence(
                response(201, "{\"inserted\":2,\"ids\":[\"a\",\"b\"]}", "X-Idempotent-Replayed", "true"));

        ApiResponse answer = client(transport).postCostEventBatch(BODY, Deadline.NONE);

        assertThat(answer.replayed()).isTrue();
        assertThat(answer.insertedCount()).isEqualTo(2);
    }

    @Test
    void aDeadlineTooCloseForTheNextRetryEndsTheCallWithoutSleeping() {
        ScriptedTransport transport = ScriptedTransport.sequence(error(503, "unavailable", "busy"));
        long end = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);

        ApiException e = catchThrowableOfType(
                () -> client(transport).postCostEventBatch(BODY, () -> end - clock.nanoTime()), ApiException.class);

        assertThat(e.kind()).isEqualTo(ApiException.Kind.ABANDONED);
        assertThat(e).hasMessage("POST /api/cost-events/batch abandoned: its deadline passed");
        assertThat(transport.requests()).hasSize(1);
        assertThat(clock.slept()).isZero();
    }

    @Test
    void aPassedDeadlineSendsNothing() {
        ScriptedTransport transport = ScriptedTransport.sequence(batchAccepted(1));

        assertThatThrownBy(() -> client(transport).postCostEventBatch(BODY, () -> 0))
                .isInstanceOf(ApiException.class).hasMessageContaining("abandoned");
        assertThat(transport.requests()).isEmpty();
    }

    /** The shutdown drain moves a deadline closer while a request hangs: the client cancels it at once. */
    @Test
    void aHangingExchangeIsCancelledWhenItsDeadlineMovesCloser() throws Exception {
        ScriptedTransport transport = new ScriptedTransport(request -> null);
        NullSpendApiClient client = new NullSpendApiClient(NullSpendApiClient.Settings.of("http://127.0.0.1:9", KEY, "t"),
                () -> transport);
        AtomicLong end = new AtomicLong(Long.MAX_VALUE);
        Thread shortener = new Thread(() -> {
            sleep(200);
            end.set(System.nanoTime());
        });
        shortener.start();
        long start = System.nanoTime();

        ApiException e = catchThrowableOfType(
                () -> client.postCostEventBatch(BODY, () -> end.get() == Long.MAX_VALUE ? Long.MAX_VALUE : end.get() - System.nanoTime()),
                ApiException.class);

        shortener.join();
        assertThat(e.kind()).isEqualTo(ApiException.Kind.ABANDONED);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(190L, 1_000L);
        assertThat(transport.futures().get(0).isCancelled()).isTrue();
    }

    @Test
    void theTransportIsCreatedOnFirstUseOnly() throws IOException {
        AtomicInteger created = new AtomicInteger();
        ScriptedTransport transport = ScriptedTransport.sequence(batchAccepted(0));
        NullSpendApiClient client = new NullSpendApiClient(NullSpendApiClient.Settings.of("https://x.test", KEY, "t"),
                () -> {
                    created.incrementAndGet();
                    return transport;
                }, clock, () -> 0.5);

        assertThat(created).hasValue(0);
        client.postCostEventBatch(BODY, Deadline.NONE);
        client.postCostEventBatch(BODY, Deadline.NONE);
        assertThat(created).hasValue(1);
    }

    @Test
    void requestsBeyondTheBurstWaitForTheRateLimiter() throws IOException {
        ScriptedTransport transport = ScriptedTransport.sequence(batchAccepted(0));
        NullSpendApiClient client = client(transport);

        for (int i = 0; i < 12; i++) {
            client.postCostEventBatch(BODY, Deadline.NONE);
        }

        assertThat(transport.requests()).hasSize(12);
        assertThat(clock.slept()).as("two refills of 1.5 s after the burst of 10").isEqualTo(TimeUnit.SECONDS.toNanos(3));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
