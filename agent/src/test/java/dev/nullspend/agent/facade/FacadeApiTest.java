package dev.nullspend.agent.facade;

import static dev.nullspend.agent.api.ScriptedTransport.error;
import static dev.nullspend.agent.api.ScriptedTransport.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nullspend.agent.api.FakeClock;
import dev.nullspend.agent.api.HttpTransport;
import dev.nullspend.agent.api.NullSpendApiClient;
import dev.nullspend.agent.api.RetryPolicy;
import dev.nullspend.agent.api.ScriptedTransport;
import dev.nullspend.api.Action;
import dev.nullspend.api.ActionCreated;
import dev.nullspend.api.ActionRejectedException;
import dev.nullspend.api.ActionTimeoutException;
import dev.nullspend.api.ActionUpdate;
import dev.nullspend.api.Budget;
import dev.nullspend.api.BudgetStatus;
import dev.nullspend.api.CostSummary;
import dev.nullspend.api.NullSpendException;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The facade's API calls over a scripted transport and a clock that moves only when slept on. */
class FacadeApiTest {
    private static final String KEY = "ns_test_sk_0123456789abcdef0123456789abcdef";
    private static final String ID = "ns_act_7f3a";
    private static final Duration POLL = Duration.ofSeconds(2);

    private final FakeClock clock = new FakeClock();
    /** Answers by "METHOD path", in order; the last answer of a route repeats. */
    private final Map<String, Deque<Object>> routes = new HashMap<>();
    private final ScriptedTransport transport = new ScriptedTransport(request -> {
        Deque<Object> answers = routes.get(request.method() + " " + request.uri().getRawPath());
        if (answers == null) {
            return error(404, "not_found", "no route");
        }
        return answers.size() > 1 ? answers.pollFirst() : answers.peekFirst();
    });
    private final FacadeApi api = new FacadeApi(new NullSpendApiClient(new NullSpendApiClient.Settings(
            "https://api.example.test", KEY, "1.0.0", RetryPolicy.defaults(), Duration.ofSeconds(30), 6000, 100),
            () -> transport, clock, () -> 0.5), clock);

    private void answer(String route, Object... answers) {
        routes.put(route, new ArrayDeque<>(List.of(answers)));
    }

    private static HttpTransport.Response action(String status) {
        return response(200, "{\"data\":{\"id\":\"" + ID + "\",\"agentId\":\"bot-1\",\"actionType\":\"http_post\","
                + "\"status\":\"" + status + "\",\"payload\":{\"url\":\"https://example.com\"},\"metadata\":null,"
                + "\"createdAt\":\"2026-04-12T10:00:00.000Z\",\"expiresAt\":\"2026-04-12T11:00:00.000Z\"}}");
    }

    private static final HttpTransport.Response CREATED = response(201,
            "{\"data\":{\"id\":\"" + ID + "\",\"status\":\"pending\",\"expiresAt\":\"2026-04-12T11:00:00.000Z\"}}");

    private List<String> sent() {
        return transport.requests().stream().map(r -> r.method() + " " + r.uri().getRawPath()
                + (r.body() == null ? "" : " " + ScriptedTransport.bodyText(r))).toList();
    }

    @Test
    void budgetStatusMapsEveryField() {
        answer("GET /api/budgets/status", response(200, "{\"entities\":[{\"entityType\":\"api_key\",\"entityId\":\"key_1\","
                + "\"limitMicrodollars\":5000000,\"spendMicrodollars\":800000,\"remainingMicrodollars\":4200000,"
                + "\"policy\":\"strict_block\",\"resetInterval\":\"monthly\",\"currentPeriodStart\":\"2026-04-01T00:00:00.000Z\","
                + "\"thresholdPercentages\":[50,80,90,95],\"velocityLimitMicrodollars\":100000,\"velocityWindowSeconds\":60,"
                + "\"velocityCooldownSeconds\":120,\"sessionLimitMicrodollars\":null,\"finalizationReserveMicrodollars\":2500},"
                + "{\"entityType\":\"user\",\"entityId\":\"u_1\",\"limitMicrodollars\":1,\"spendMicrodollars\":2,"
                + "\"remainingMicrodollars\":0,\"policy\":\"warn\"}]}"));

        List<BudgetStatus> status = api.budgetStatus();

        assertThat(status).containsExactly(
                new BudgetStatus("api_key", "key_1", 5_000_000, 800_000, 4_200_000, "strict_block", "monthly",
                        "2026-04-01T00:00:00.000Z", List.of(50, 80, 90, 95), 100_000L, 60, 120, null, 2500),
                new BudgetStatus("user", "u_1", 1, 2, 0, "warn", null, null, List.of(), null, null, null, null, 0));
        assertThat(sent()).containsExactly("GET /api/budgets/status");
    }

    @Test
    void budgetsMapEveryField() {
        answer("GET /api/budgets", response(200, "{\"data\":[{\"id\":\"ns_bgt_1\",\"entityType\":\"tag\","
                + "\"entityId\":\"team=search\",\"maxBudgetMicrodollars\":20000000,\"spendMicrodollars\":1234567,"
                + "\"policy\":\"soft_block\",\"resetInterval\":\"daily\",\"currentPeriodStart\":\"2026-04-12T00:00:00.000Z\","
                + "\"thresholdPercentages\":[90],\"velocityLimitMicrodollars\":null,\"velocityWindowSeconds\":60,"
                + "\"velocityCooldownSeconds\":60,\"sessionLimitMicrodollars\":500000,"
                + "\"finalizationReserveMicrodollars\":0,\"loopMaxCalls\":50,\"loopWindowSeconds\":60,"
                + "\"loopAggregateMaxKeys\":5,\"createdAt\":\"2026-04-01T09:00:00.000Z\",\"updatedAt\":\"2026-04-02T09:00:00.000Z\"}]}"));

        assertThat(api.budgets()).containsExactly(new Budget("ns_bgt_1", "tag", "team=search", 20_000_000, 1_234_567,
                "soft_block", "daily", "2026-04-12T00:00:00.000Z", List.of(90), null, 60, 60, 500_000L, 0, 50, 60, 5,
                "2026-04-01T09:00:00.000Z", "2026-04-02T09:00:00.000Z"));
    }

    @Test
    void theCostSummaryKeepsItsTotalsAndBreakdowns() {
        answer("GET /api/cost-events/summary", response(200, "{\"data\":{\"daily\":[{\"date\":\"2026-04-11\","
                + "\"totalCostMicrodollars\":7000}],\"models\":[],\"totals\":{\"totalCostMicrodollars\":7000,"
                + "\"totalRequests\":3,\"period\":\"7d\"},\"costBreakdown\":{\"inputCost\":1500.0,\"outputCost\":5500}}}"));

        CostSummary summary = api.costSummary("7d");

        assertThat(summary.period()).isEqualTo("7d");
        assertThat(summary.totalCostMicrodollars()).isEqualTo(7000);
        assertThat(summary.totalRequests()).isEqualTo(3);
        assertThat(summary.breakdowns()).isEqualTo(Map.of(
                "daily", List.of(Map.of("date", "2026-04-11", "totalCostMicrodollars", 7000L)),
                "models", List.of(),
                "costBreakdown", Map.of("inputCost", 1500.0, "outputCost", 5500L)));
        assertThat(transport.requests().get(0).uri().getRawQuery()).isEqualTo("period=7d");
    }

    @Test
    void createActionSendsOnlyWhatWasGiven() {
        answer("POST /api/actions", CREATED);

        ActionCreated created = api.createAction("bot-1", "http_post", Map.of("url", "https://example.com"), null, null);
        api.createAction("bot-1", "db_write", Map.of("rows", List.of(1, 2)), Map.of("run", "r-9"), 0);

        assertThat(created).isEqualTo(new ActionCreated(ID, "pending", "2026-04-12T11:00:00.000Z"));
        assertThat(sent()).containsExactly(
                "POST /api/actions {\"agentId\":\"bot-1\",\"actionType\":\"http_post\",\"payload\":{\"url\":\"https://example.com\"}}",
                "POST /api/actions {\"agentId\":\"bot-1\",\"actionType\":\"db_write\",\"payload\":{\"rows\":[1,2]},"
                        + "\"metadata\":{\"run\":\"r-9\"},\"expiresInSeconds\":0}");
    }

    @Test
    void getActionAndMarkResultMapTheirAnswers() {
        answer("GET /api/actions/" + ID, action("approved"));
        answer("POST /api/actions/" + ID + "/result", response(200, "{\"data\":{\"id\":\"" + ID + "\",\"status\":\"executed\","
                + "\"approvedAt\":\"2026-04-12T10:01:00.000Z\",\"executedAt\":\"2026-04-12T10:02:00.000Z\"}}"));

        Action a = api.getAction(ID);
        ActionUpdate update = api.markResult(ID, "executed", Map.of("ok", true), null);

        assertThat(a).isEqualTo(new Action(ID, "bot-1", "http_post", "approved", Map.of("url", "https://example.com"),
                null, "2026-04-12T10:00:00.000Z", null, null, null, "2026-04-12T11:00:00.000Z", null, null, null, null,
                null, null, null));
        assertThat(update).isEqualTo(new ActionUpdate(ID, "executed", "2026-04-12T10:01:00.000Z", null,
                "2026-04-12T10:02:00.000Z", null));
        assertThat(sent().get(1)).isEqualTo("POST /api/actions/" + ID + "/result {\"status\":\"executed\",\"result\":{\"ok\":true}}");
    }

    @Test
    void apiErrorsCarryTheServersCodeAndMessage() {
        answer("POST /api/actions", error(400, "validation_error", "payload: must be at most 65536 bytes"));
        answer("GET /api/budgets", error(503, "unavailable", "busy"));
        answer("GET /api/budgets/status", response(200, "{\"entities\":[{\"entityType\":\"user\"}]}"));
        answer("GET /api/cost-events/summary", response(200, "[]"));

        NullSpendException refused = catchThrowableOfType(
                () -> api.createAction("bot-1", "http_post", Map.of(), null, null), NullSpendException.class);
        NullSpendException unavailable = catchThrowableOfType(api::budgets, NullSpendException.class);
        NullSpendException missing = catchThrowableOfType(api::budgetStatus, NullSpendException.class);
        NullSpendException notObject = catchThrowableOfType(() -> api.costSummary("30d"), NullSpendException.class);

        assertThat(refused.code()).isEqualTo("validation_error");
        assertThat(refused).hasMessage("POST /api/actions failed: payload: must be at most 65536 bytes (HTTP 400, validation_error)");
        assertThat(unavailable.code()).isEqualTo("api_unavailable");
        assertThat(unavailable).hasMessage("GET /api/budgets failed: HTTP 503");
        assertThat(missing.code()).isEqualTo("api_unexpected_response");
        assertThat(missing).hasMessage("GET /api/budgets/status returned an unexpected answer: missing field entityId");
        assertThat(notObject).hasMessage("GET /api/cost-events/summary returned an unexpected answer: not a JSON object");
    }

    @Test
    void waitForDecisionPollsUntilTheStatusChanges() {
        answer("GET /api/actions/" + ID, action("pending"), action("pending"), action("rejected"));

        Action decided = api.waitForDecision(ID, POLL, Duration.ofMinutes(5));

        assertThat(decided.status()).isEqualTo("rejected");
        assertThat(transport.requests()).hasSize(3);
        assertThat(clock.slept()).isEqualTo(TimeUnit.SECONDS.toNanos(4));
    }

    @Test
    void aWaitWithoutDecisionTimesOutAtItsDeadline() {
        answer("GET /api/actions/" + ID, action("pending"));

        ActionTimeoutException e = catchThrowableOfType(() -> api.waitForDecision(ID, POLL, Duration.ofSeconds(5)),
                ActionTimeoutException.class);

        assertThat(e.code()).isEqualTo("action_timeout");
        assertThat(e.actionId()).isEqualTo(ID);
        assertThat(e.timeoutMillis()).isEqualTo(5000);
        assertThat(e).hasMessage("No decision on action ns_act_7f3a within 5000 ms; it is still pending");
        // GETs at 0, 2 and 4 s; the last sleep is shortened to the deadline
        assertThat(transport.requests()).hasSize(3);
        assertThat(clock.slept()).isEqualTo(TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void anApprovedProposalRunsOnceAndRecordsItsResult() {
        answer("POST /api/actions", CREATED);
        answer("GET /api/actions/" + ID, action("pending"), action("approved"));
        answer("POST /api/actions/" + ID + "/result", response(200, "{\"data\":{\"id\":\"" + ID + "\",\"status\":\"executing\"}}"));
        AtomicInteger runs = new AtomicInteger();

        Map<String, Object> result = api.proposeAndWait("bot-1", "http_post", Map.of("url", "https://example.com"),
                id -> {
                    runs.incrementAndGet();
                    assertThat(dev.nullspend.api.Attribution.current().actionId())
                            .as("the task's calls carry the action's id").isEqualTo(id);
                    return Map.of("status", 204L, "id", id);
                }, null, 600, POLL, Duration.ofMinutes(1));

        assertThat(result).isEqualTo(Map.of("status", 204L, "id", ID));
        assertThat(runs).hasValue(1);
        assertThat(dev.nullspend.api.Attribution.current().actionId()).as("only while the task runs").isNull();
        assertThat(sent()).hasSize(5);
        assertThat(sent().get(0)).isEqualTo("POST /api/actions {\"agentId\":\"bot-1\",\"actionType\":\"http_post\","
                + "\"payload\":{\"url\":\"https://example.com\"},\"expiresInSeconds\":600}");
        assertThat(sent().get(3)).isEqualTo("POST /api/actions/" + ID + "/result {\"status\":\"executing\"}");
        assertThat(sent().get(4)).startsWith("POST /api/actions/" + ID + "/result {\"status\":\"executed\",\"result\":{")
                .contains("\"status\":204", "\"id\":\"" + ID + "\"");
    }

    @Test
    void aResultThatIsNotAMapIsWrappedAsValue() {
        answer("POST /api/actions", CREATED);
        answer("GET /api/actions/" + ID, action("approved"));
        answer("POST /api/actions/" + ID + "/result", response(200, "{\"data\":{}}"));

        Integer result = api.proposeAndWait("bot-1", "shell_command", Map.of("cmd", "ls"), id -> 42, null, null, POLL,
                Duration.ofMinutes(1));

        assertThat(result).isEqualTo(42);
        assertThat(sent().get(3)).isEqualTo("POST /api/actions/" + ID + "/result {\"status\":\"executed\",\"result\":{\"value\":42}}");
    }

    @Test
    void aRejectedProposalRunsNothing() {
        answer("POST /api/actions", CREATED);
        answer("GET /api/actions/" + ID, action("expired"));

        ActionRejectedException e = catchThrowableOfType(() -> api.proposeAndWait("bot-1", "file_delete",
                Map.of("path", "/tmp/x"), id -> {
                    throw new AssertionError("must not run");
                }, null, 1, POLL, Duration.ofMinutes(1)), ActionRejectedException.class);

        assertThat(e.code()).isEqualTo("action_rejected");
        assertThat(e.actionId()).isEqualTo(ID);
        assertThat(e.status()).isEqualTo("expired");
        assertThat(e).hasMessage("Action ns_act_7f3a was not approved: its status is expired; nothing was executed");
        assertThat(sent()).hasSize(2);
    }

    @Test
    void aFailingTaskIsMarkedFailedAndItsExceptionReachesTheCaller() {
        answer("POST /api/actions", CREATED);
        answer("GET /api/actions/" + ID, action("approved"));
        answer("POST /api/actions/" + ID + "/result", response(200, "{\"data\":{}}"));
        IOException thrown = new IOException("disk full");

        IOException e = catchThrowableOfType(() -> api.proposeAndWait("bot-1", "file_write", Map.of("path", "/x"),
                id -> {
                    throw thrown;
                }, null, null, POLL, Duration.ofMinutes(1)), IOException.class);

        assertThat(e).isSameAs(thrown);
        assertThat(sent()).hasSize(4);
        assertThat(sent().get(3)).isEqualTo("POST /api/actions/" + ID
                + "/result {\"status\":\"failed\",\"errorMessage\":\"java.io.IOException: disk full\"}");
    }

    @Test
    void anErrorTextIsCutToTheApisLimitAndAFailedMarkNeverHidesTheTasksException() {
        answer("POST /api/actions", CREATED);
        answer("GET /api/actions/" + ID, action("approved"));
        routes.put("POST /api/actions/" + ID + "/result", new ArrayDeque<>(List.of(
                response(200, "{\"data\":{}}"), error(400, "validation_error", "bad"))));
        IllegalStateException thrown = new IllegalStateException("x".repeat(5000));

        IllegalStateException e = catchThrowableOfType(() -> api.proposeAndWait("bot-1", "db_write", Map.of(),
                id -> {
                    throw thrown;
                }, null, null, POLL, Duration.ofMinutes(1)), IllegalStateException.class);

        assertThat(e).isSameAs(thrown);
        String failed = ScriptedTransport.bodyText(transport.requests().get(3));
        assertThat(failed).hasSize("{\"status\":\"failed\",\"errorMessage\":\"\"}".length() + 4000);
    }

    @Test
    void aConflictIsToleratedOnlyWhenTheActionHasTheStatusAlready() {
        answer("POST /api/actions", CREATED);
        answer("GET /api/actions/" + ID, action("approved"), action("executing"), action("failed"));
        answer("POST /api/actions/" + ID + "/result",
                error(409, "invalid_action_transition", "Cannot transition from executing to executing"),
                error(409, "invalid_action_transition", "Cannot transition from failed to executed"));

        NullSpendException e = catchThrowableOfType(() -> api.proposeAndWait("bot-1", "http_post", Map.of(),
                id -> "done", null, null, POLL, Duration.ofMinutes(1)), NullSpendException.class);

        assertThat(e.code()).isEqualTo("invalid_action_transition");
        assertThat(e).hasMessage("POST /api/actions/ns_act_7f3a/result failed: Cannot transition from failed to "
                + "executed (HTTP 409, invalid_action_transition)");
        assertThat(transport.requests()).extracting(r -> r.method() + " " + r.uri().getRawPath()).containsExactly("POST /api/actions",
                "GET /api/actions/" + ID, "POST /api/actions/" + ID + "/result", "GET /api/actions/" + ID,
                "POST /api/actions/" + ID + "/result", "GET /api/actions/" + ID);
    }
}
