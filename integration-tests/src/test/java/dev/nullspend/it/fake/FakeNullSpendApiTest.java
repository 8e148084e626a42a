package dev.nullspend.it.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nullspend.it.support.FakeApiPerTest;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import dev.nullspend.api.Budget;
import dev.nullspend.api.BudgetStatus;
import dev.nullspend.api.CostSummary;
import org.junit.jupiter.api.Test;

/** The fake NullSpend API on its own: it refuses what the real API refuses, and records the rest. */
class FakeNullSpendApiTest extends FakeApiPerTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

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

    // ---- the facade's endpoints: budgets, cost summary, actions ----

    private HttpRequest.Builder get(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(api.baseUrl() + pathAndQuery))
                .header("x-nullspend-key", FakeNullSpendApi.TEST_KEY)
                .header("NullSpend-Version", "2026-04-01")
                .header("X-NullSpend-SDK", "java/test")
                .header("Accept", "application/json")
                .GET();
    }

    private HttpRequest.Builder postTo(String path, String body) {
        return post(body).uri(URI.create(api.baseUrl() + path));
    }

    private static Object json(HttpResponse<String> r) {
        return MiniJson.parse(r.body());
    }

    private static String errorCode(HttpResponse<String> r) {
        return (String) MiniJson.path(json(r), "error", "code");
    }

    /** Creates an action and returns its id. */
    private String create(String extra) throws Exception {
        HttpResponse<String> r = send(postTo("/api/actions",
                "{\"agentId\":\"bot-1\",\"actionType\":\"http_post\",\"payload\":{\"url\":\"https://x\"}" + extra + "}"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return (String) MiniJson.path(json(r), "data", "id");
    }

    private HttpResponse<String> result(String id, String body) throws Exception {
        return send(postTo("/api/actions/" + id + "/result", body));
    }

    @Test
    void budgetStatusAndBudgetsAnswerWhatATestSet() throws Exception {
        api.budgetStatus(List.of(new BudgetStatus("api_key", "key_1", 5_000_000, 800_000, 4_200_000, "strict_block",
                "monthly", "2026-04-01T00:00:00.000Z", List.of(50, 80), 100_000L, 60, 60, null, 0)));
        api.budgets(List.of(new Budget("ns_bgt_1", "tag", "team=search", 20_000_000, 1_234_567, "warn", null, null,
                List.of(), null, null, null, null, 0, null, null, null, "2026-04-01T09:00:00.000Z", null)));

        HttpResponse<String> status = send(get("/api/budgets/status"));
        HttpResponse<String> budgets = send(get("/api/budgets"));

        assertThat(status.body()).isEqualTo("{\"entities\":[{\"entityType\":\"api_key\",\"entityId\":\"key_1\","
                + "\"limitMicrodollars\":5000000,\"spendMicrodollars\":800000,\"remainingMicrodollars\":4200000,"
                + "\"policy\":\"strict_block\",\"resetInterval\":\"monthly\",\"currentPeriodStart\":\"2026-04-01T00:00:00.000Z\","
                + "\"thresholdPercentages\":[50,80],\"velocityLimitMicrodollars\":100000,\"velocityWindowSeconds\":60,"
                + "\"velocityCooldownSeconds\":60,\"sessionLimitMicrodollars\":null,\"finalizationReserveMicrodollars\":0}]}");
        assertThat(MiniJson.path(json(budgets), "data")).asList().hasSize(1);
        assertThat(((Map<?, ?>) ((List<?>) MiniJson.path(json(budgets), "data")).get(0)).get("maxBudgetMicrodollars"))
                .isEqualTo(new java.math.BigDecimal("20000000"));
    }

    @Test
    void theCostSummaryIsPerPeriod() throws Exception {
        api.costSummary(new CostSummary("7d", 7000, 3, Map.of("daily", List.of())));

        HttpResponse<String> week = send(get("/api/cost-events/summary?period=7d"));
        HttpResponse<String> quarter = send(get("/api/cost-events/summary?period=90d"));
        HttpResponse<String> year = send(get("/api/cost-events/summary?period=1y"));

        assertThat(week.body()).isEqualTo("{\"data\":{\"daily\":[],\"totals\":{\"totalCostMicrodollars\":7000,"
                + "\"totalRequests\":3,\"period\":\"7d\"}}}");
        assertThat(MiniJson.path(json(quarter), "data", "totals", "totalCostMicrodollars")).isEqualTo(new java.math.BigDecimal(0));
        assertThat(MiniJson.path(json(quarter), "data", "totals", "period")).isEqualTo("90d");
        assertThat(year.statusCode()).isEqualTo(400);
    }

    @Test
    void anActionGoesFromPendingThroughApprovalToExecuted() throws Exception {
        String id = create("");
        Map<?, ?> pending = (Map<?, ?>) MiniJson.path(json(send(get("/api/actions/" + id))), "data");

        assertThat(id).startsWith("ns_act_");
        assertThat(pending.get("status")).isEqualTo("pending");
        assertThat(Instant.parse((String) pending.get("expiresAt")))
                .isEqualTo(Instant.parse((String) pending.get("createdAt")).plusSeconds(3600));
        assertThat(errorCode(result(id, "{\"status\":\"executing\"}"))).as("not approved yet").isEqualTo("invalid_action_transition");

        api.approve(id);
        assertThat(result(id, "{\"status\":\"executing\",\"result\":{\"a\":1}}").statusCode()).isEqualTo(400);
        HttpResponse<String> executing = result(id, "{\"status\":\"executing\"}");
        HttpResponse<String> executed = result(id, "{\"status\":\"executed\",\"result\":{\"value\":42}}");
        HttpResponse<String> again = result(id, "{\"status\":\"executed\",\"result\":{\"value\":42}}");

        assertThat(executing.statusCode()).isEqualTo(200);
        assertThat(MiniJson.path(json(executing), "data", "status")).isEqualTo("executing");
        assertThat(MiniJson.path(json(executed), "data", "status")).isEqualTo("executed");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(errorCode(again)).isEqualTo("invalid_action_transition");
        Map<String, Object> done = api.action(id);
        assertThat(done.get("status")).isEqualTo("executed");
        assertThat(done.get("result")).isEqualTo(Map.of("value", new java.math.BigDecimal(42)));
        assertThat(done.get("approvedAt")).isNotNull();
        assertThat(done.get("executedAt")).isNotNull();
        assertThat(api.actionIds()).containsExactly(id);
    }

    @Test
    void createActionValidatesLikeTheApi() throws Exception {
        String big = "\"" + "x".repeat(65_536) + "\"";
        String deep = "{\"a\":".repeat(21) + "1" + "}".repeat(21);
        List<String> invalid = List.of(
                "{\"agentId\":\"bot\",\"actionType\":\"launch_rocket\",\"payload\":{}}",
                "{\"agentId\":\"\",\"actionType\":\"http_post\",\"payload\":{}}",
                "{\"agentId\":\"" + "a".repeat(256) + "\",\"actionType\":\"http_post\",\"payload\":{}}",
                "{\"agentId\":\"bot\",\"actionType\":\"http_post\"}",
                "{\"agentId\":\"bot\",\"actionType\":\"http_post\",\"payload\":{\"b\":" + big + "}}",
                "{\"agentId\":\"bot\",\"actionType\":\"http_post\",\"payload\":{},\"metadata\":{\"b\":\"" + "m".repeat(16_384) + "\"}}",
                "{\"agentId\":\"bot\",\"actionType\":\"http_post\",\"payload\":" + deep + "}",
                "{\"agentId\":\"bot\",\"actionType\":\"http_post\",\"payload\":{},\"expiresInSeconds\":-1}",
                "{\"agentId\":\"bot\",\"actionType\":\"http_post\",\"payload\":{},\"expiresInSeconds\":2592001}",
                "{\"agentId\":\"bot\",\"actionType\":\"http_post\",\"payload\":{},\"expiresInSeconds\":1.5}");
        for (String body : invalid) {
            HttpResponse<String> r = send(postTo("/api/actions", body));

            assertThat(r.statusCode()).as(body.length() > 200 ? body.substring(0, 200) : body).isEqualTo(400);
            assertThat(errorCode(r)).isEqualTo("validation_error");
        }
        assertThat(send(postTo("/api/actions", invalid.get(0)).setHeader("Content-Type", "text/plain")).statusCode())
                .isEqualTo(415);
        assertThat(api.actionIds()).isEmpty();
        // the limits themselves are accepted: 255 characters, 20 levels, 64 KB of payload
        assertThat(send(postTo("/api/actions", "{\"agentId\":\"" + "a".repeat(255) + "\",\"actionType\":\"budget_increase\","
                + "\"payload\":" + "{\"a\":".repeat(20) + "1" + "}".repeat(20) + "}")).statusCode()).isEqualTo(201);
        assertThat(send(postTo("/api/actions", "{\"agentId\":\"b\",\"actionType\":\"db_write\",\"payload\":{\"b\":\""
                + "x".repeat(65_536 - 8) + "\"}}")).statusCode()).isEqualTo(201);
    }

    @Test
    void expiryIsCappedAtSevenDaysAndANullExpiryNeverExpires() throws Exception {
        Map<String, Object> capped = api.action(create(",\"expiresInSeconds\":999999"));
        Map<String, Object> never = api.action(create(",\"expiresInSeconds\":null"));

        assertThat(Instant.parse((String) capped.get("expiresAt")))
                .isEqualTo(Instant.parse((String) capped.get("createdAt")).plusSeconds(604_800));
        assertThat(never.get("expiresAt")).isNull();
        assertThat(never.get("status")).isEqualTo("pending");
    }

    @Test
    void aPendingActionExpiresAtItsTimeOrWhenTheTestSays() throws Exception {
        String dueNow = create(",\"expiresInSeconds\":0");
        String expired = create("");
        String rejected = create("");
        api.expire(expired);
        api.reject(rejected);

        Map<?, ?> due = (Map<?, ?>) MiniJson.path(json(send(get("/api/actions/" + dueNow))), "data");
        assertThat(due.get("status")).isEqualTo("expired");
        assertThat(due.get("expiredAt")).isNotNull();
        assertThat(api.action(expired).get("status")).isEqualTo("expired");
        assertThat(api.action(rejected).get("status")).isEqualTo("rejected");
        assertThat(api.action(rejected).get("rejectedBy")).isEqualTo("user_fake_dashboard");
        assertThat(errorCode(result(expired, "{\"status\":\"executing\"}"))).isEqualTo("action_expired");
        assertThat(errorCode(result(rejected, "{\"status\":\"executing\"}"))).isEqualTo("invalid_action_transition");
        assertThatThrownBy(() -> api.approve(rejected)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aResultFollowsTheRulesOfItsStatus() throws Exception {
        String id = create("");
        api.approve(id);
        result(id, "{\"status\":\"executing\"}");

        assertThat(result(id, "{\"status\":\"failed\"}").statusCode()).as("failed needs an error").isEqualTo(400);
        assertThat(result(id, "{\"status\":\"executed\",\"errorMessage\":\"x\"}").statusCode()).isEqualTo(400);
        assertThat(result(id, "{\"status\":\"failed\",\"errorMessage\":\"" + "e".repeat(4001) + "\"}").statusCode())
                .isEqualTo(400);
        assertThat(result(id, "{\"status\":\"done\"}").statusCode()).isEqualTo(400);
        assertThat(result("ns_act_missing", "{\"status\":\"executing\"}").statusCode()).isEqualTo(404);
        assertThat(send(get("/api/actions/ns_act_missing")).statusCode()).isEqualTo(404);

        HttpResponse<String> failed = result(id, "{\"status\":\"failed\",\"errorMessage\":\"" + "e".repeat(4000) + "\"}");

        assertThat(failed.statusCode()).isEqualTo(200);
        assertThat(api.action(id).get("status")).isEqualTo("failed");
        assertThat(api.action(id).get("errorMessage")).isEqualTo("e".repeat(4000));
    }

    @Test
    void aRetriedCreateGetsTheSameActionReplayed() throws Exception {
        HttpRequest.Builder request = postTo("/api/actions",
                "{\"agentId\":\"bot\",\"actionType\":\"send_email\",\"payload\":{\"to\":\"a@b.c\"}}");

        HttpResponse<String> first = send(request);
        HttpResponse<String> again = send(request);

        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("X-Idempotent-Replayed")).hasValue("true");
        assertThat(api.actionIds()).hasSize(1);
    }

    @Test
    void awaitActionReturnsTheNthActionOnceCreated() throws Exception {
        String first = create("");

        assertThat(api.awaitAction(0, Duration.ofSeconds(1))).isEqualTo(first);
        assertThatThrownBy(() -> api.awaitAction(1, Duration.ofMillis(50))).isInstanceOf(IllegalStateException.class);
    }
}
