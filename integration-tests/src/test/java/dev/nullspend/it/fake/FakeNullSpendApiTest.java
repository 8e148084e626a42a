package dev.nullspend.it.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake NullSpend API on its own: it refuses what the real API refuses, and records the rest. */
class FakeNullSpendApiTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private FakeNullSpendApi api;

    @BeforeEach
    void start() {
        api = FakeNullSpendApi.start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static String event(String key, String extra) {
        return "{\"provider\":\"openai\",\"model\":\"gpt-4o\",\"inputTokens\":10,\"outputTokens\":2,"
                + "\"costMicrodollars\":45,\"eventType\":\"llm\",\"idempotencyKey\":\"" + key + "\"" + extra + "}";
    }

    private static String batch(String... events) {
        return "{\"events\":[" + String.join(",", events) + "]}";
    }

    private HttpRequest.Builder post(String body) {
        return HttpRequest.newBuilder(URI.create(api.baseUrl() + FakeNullSpendApi.BATCH_PATH))
                .header("x-nullspend-key", FakeNullSpendApi.TEST_KEY)
                .header("NullSpend-Version", "2026-04-01")
                .header("X-NullSpend-SDK", "java/test")
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "ns_" + UUID.randomUUID())
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.build(), BodyHandlers.ofString());
    }

    @Test
    void aValidBatchIsStoredOncePerIdempotencyKey() throws Exception {
        HttpResponse<String> first = send(post(batch(event("ns_a", ""), event("ns_b", ",\"tags\":{\"_ns_estimated\":\"true\"}"))));
        HttpResponse<String> second = send(post(batch(event("ns_b", ""), event("ns_c", ""))));

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.body()).startsWith("{\"inserted\":2,\"ids\":[\"ns_evt_");
        assertThat(second.body()).startsWith("{\"inserted\":1,");
        assertThat(api.eventKeys()).containsExactlyInAnyOrder("ns_a", "ns_b", "ns_c");
        assertThat(api.duplicateEvents()).isEqualTo(1);
        assertThat(api.events().get(1).get("tags")).isEqualTo(java.util.Map.of("_ns_estimated", "true"));
        assertThat(api.violations()).isEmpty();
    }

    @Test
    void oneInvalidEventRefusesTheWholeBatch() throws Exception {
        List<String> invalid = List.of(
                ",\"traceId\":\"4BF92F3577B34DA6A3CE929D0E0E4736\"",
                ",\"costMicrodollars\":-1",
                ",\"costMicrodollars\":9007199254740992",
                ",\"durationMs\":1.5",
                ",\"sessionId\":\"" + "s".repeat(201) + "\"",
                ",\"customer\":\"\"",
                ",\"eventType\":\"other\"",
                ",\"costBreakdown\":{\"input\":1,\"output\":2}",
                ",\"tags\":{\"a b\":\"x\"}",
                ",\"tags\":{\"k\":\"" + "v".repeat(257) + "\"}",
                ",\"tags\":{" + String.join(",", java.util.stream.IntStream.range(0, 11).mapToObj(i -> "\"t" + i + "\":\"v\"").toList()) + "}");
        for (String extra : invalid) {
            // a later field of the same name wins in MiniJson, so the extra replaces the valid value
            HttpResponse<String> r = send(post(batch(event("ns_ok", ""), event("ns_bad", extra))));

            assertThat(r.statusCode()).as(extra).isEqualTo(400);
            assertThat(r.body()).as(extra).startsWith("{\"error\":{\"code\":\"validation_error\",\"message\":\"events[1].");
        }
        assertThat(api.events()).isEmpty();
    }

    @Test
    void batchSizeBodySizeAndContentTypeAreChecked() throws Exception {
        List<String> hundredAndOne = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            hundredAndOne.add(event("ns_" + i, ""));
        }

        assertThat(send(post(batch())).statusCode()).isEqualTo(400);
        assertThat(send(post(batch(hundredAndOne.toArray(String[]::new)))).statusCode()).isEqualTo(400);
        assertThat(send(post(batch(event("ns_big", ",\"sessionId\":\"" + "x".repeat(1_048_576) + "\""))))
                .statusCode()).isEqualTo(413);
        assertThat(send(post(batch(event("ns_t", ""))).setHeader("Content-Type", "text/plain")).statusCode()).isEqualTo(415);
        assertThat(send(post("{\"events\":")).statusCode()).isEqualTo(400);
        assertThat(api.events()).isEmpty();
    }

    @Test
    void aWrongKeyIsUnauthorized() throws Exception {
        HttpResponse<String> r = send(post(batch(event("ns_a", ""))).setHeader("x-nullspend-key", "Bearer " + FakeNullSpendApi.TEST_KEY));

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("\"code\":\"unauthorized\"");
    }

    @Test
    void whatTheRealApiToleratesIsRecordedAsViolations() throws Exception {
        send(post(batch(event("ns_a", ",\"createdAt\":\"2026-04-12T10:00:00.000Z\""))).setHeader("NullSpend-Version", "2025-01-01")
                .setHeader("Idempotency-Key", "retry-1"));
        send(post(batch("{\"provider\":\"openai\",\"model\":\"m\",\"inputTokens\":1,\"outputTokens\":1,\"costMicrodollars\":1}")));

        assertThat(api.violations()).containsExactly(
                "NullSpend-Version is 2025-01-01, expected 2026-04-01",
                "Idempotency-Key is retry-1, expected ns_<uuid>",
                "event field 'createdAt' is not part of the cost-event schema",
                "an event without idempotencyKey (the server made one up: no deduplication)");
        assertThat(api.events()).hasSize(2);
    }

    @Test
    void aRepeatedIdempotencyKeyGetsTheSameAnswerReplayed() throws Exception {
        HttpRequest.Builder request = post(batch(event("ns_a", "")));
        HttpResponse<String> first = send(request);
        HttpResponse<String> again = send(request);

        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("X-Idempotent-Replayed")).hasValue("true");
        assertThat(api.duplicateEvents()).as("a replay never reaches the events").isZero();
    }

    @Test
    void scriptedFailuresComeFirstAndAreNotCached() throws Exception {
        api.failNext(1, 503);
        api.rateLimitNext(1, "2");
        HttpRequest.Builder request = post(batch(event("ns_a", "")));

        HttpResponse<String> unavailable = send(request);
        HttpResponse<String> limited = send(request);
        HttpResponse<String> accepted = send(request);

        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(accepted.statusCode()).isEqualTo(201);
        assertThat(api.requests()).extracting(FakeNullSpendApi.Received::status).containsExactly(503, 429, 201);
    }

    @Test
    void theSixtyFirstRequestOfAMinuteIsRateLimited() throws Exception {
        for (int i = 0; i < 60; i++) {
            assertThat(send(post(batch(event("ns_" + i, "")))).statusCode()).isEqualTo(201);
        }

        HttpResponse<String> r = send(post(batch(event("ns_60", ""))));

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("X-RateLimit-Limit")).hasValue("60");
        assertThat(api.rateLimitedRequests()).isEqualTo(1);
    }

    @Test
    void itCanStopListeningAndComeBackOnTheSamePort() throws Exception {
        api.stopListening();
        assertThatThrownBy(() -> send(post(batch(event("ns_a", ""))))).isInstanceOf(ConnectException.class);

        api.startListening();
        assertThat(send(post(batch(event("ns_a", "")))).statusCode()).isEqualTo(201);
    }

    @Test
    void aSlowApiProcessesFirstAndAnswersLate() throws Exception {
        api.slowDown(Duration.ofMillis(400));
        long start = System.nanoTime();

        HttpResponse<String> r = send(post(batch(event("ns_a", ""))));

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(400);
    }
}
