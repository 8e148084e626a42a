package dev.nullspend.it;

import org.junit.jupiter.api.Tag;
import dev.nullspend.it.support.TestEnvironment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.support.FakeApiPerTest;
import dev.nullspend.api.Budget;
import dev.nullspend.api.BudgetStatus;
import dev.nullspend.api.CostSummary;
import dev.nullspend.it.apps.FacadeApiApp;
import dev.nullspend.it.fake.FakeNullSpendApi;
import dev.nullspend.it.support.ForkedJvm;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code NullSpend} facade's API calls under the real agent jar, against a
 * {@link FakeNullSpendApi} that holds them to the API's contract: budget status, budgets and the
 * cost summary with exact numbers, propose-and-wait through approval, rejection, a failing task,
 * expiry and a timeout, a budget increase; and the errors without an API key or without the agent.
 */
@Tag(TestEnvironment.AGENT_LOGIC)
class FacadeApiIT extends FakeApiPerTest {
    private static final Duration DECISION_WAIT = Duration.ofSeconds(30);


    @TempDir
    Path workDir;

    private ForkedJvm.Builder program(String... steps) {
        return ForkedJvm.in(workDir).mainClass(FacadeApiApp.class)
                .systemProperty("nullspend.api-key", api.apiKey())
                .systemProperty("nullspend.base-url", api.baseUrl())
                .systemProperty("nullspend.spool-dir", workDir.resolve("spool").toString())
                .args(steps);
    }

    @Test
    void budgetStatusBudgetsAndTheCostSummaryCarryTheApisExactNumbers() {
        api.budgetStatus(List.of(
                new BudgetStatus("api_key", "key_1", 5_000_000, 800_000, 4_200_000, "strict_block", "monthly",
                        "2026-04-01T00:00:00.000Z", List.of(50, 80, 90, 95), 250_000L, 60, 60, null, 0),
                new BudgetStatus("user", "user_9", 100_000_000, 100_000_001, 0, "warn", null, null, List.of(), null,
                        null, null, null, 0)));
        api.budgets(List.of(new Budget("ns_bgt_1", "tag", "team=search", 20_000_000, 1_234_567, "soft_block", "daily",
                "2026-04-12T00:00:00.000Z", List.of(90), null, 60, 60, 500_000L, 0, null, null, null,
                "2026-04-01T09:00:00.000Z", "2026-04-02T09:00:00.000Z")));
        Map<String, Object> breakdowns = new LinkedHashMap<>();
        Map<String, Object> day = new LinkedHashMap<>(); // Map.of would iterate in a different order per JVM
        day.put("date", "2026-04-11");
        day.put("totalCostMicrodollars", 7_000);
        breakdowns.put("daily", List.of(day));
        breakdowns.put("models", List.of());
        api.costSummary(new CostSummary("7d", 7_000, 3, breakdowns));
        api.costSummary(new CostSummary("30d", 123_456_789, 4_321, Map.of()));

        ForkedJvm.Result run = program("status", "budgets", "summary").run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).containsExactly(
                "active=true",
                "status=api_key key_1 5000000 800000 4200000 strict_block monthly [50, 80, 90, 95] 250000",
                "status=user user_9 100000000 100000001 0 warn null [] null",
                "budgets=ns_bgt_1 tag team=search 20000000 1234567 soft_block 500000",
                "summary=7d 7000 3 {daily=[{date=2026-04-11, totalCostMicrodollars=7000}], models=[]}",
                "summary=30d 123456789 4321 {}",
                "summary=90d 0 0 {}");
        // With an API key the agent's remote policy also asks for the policy and, after each, the budget status:
        // the program's own call is the one budget-status request more than there were policy requests.
        List<String> seen = api.requests().stream().map(r -> r.method() + " " + r.path() + " " + r.status()).toList();
        long policyFetches = seen.stream().filter(r -> r.startsWith("GET /api/policy ")).count();
        assertThat(seen.stream().filter(r -> r.startsWith("GET /api/budgets/status ")))
                .hasSize((int) policyFetches + 1).allMatch(r -> r.endsWith(" 200"));
        assertThat(seen).filteredOn(r -> !r.startsWith("GET /api/policy ") && !r.startsWith("GET /api/budgets/status "))
                .containsExactly("GET /api/budgets 200", "GET /api/cost-events/summary 200",
                        "GET /api/cost-events/summary 200", "GET /api/cost-events/summary 200");
        assertThat(api.violations()).isEmpty();
    }

    @Test
    void proposeAndWaitRunsATaskOnlyOnApprovalAndRecordsHowItWent() throws Exception {
        AtomicReference<Throwable> deciderFailure = new AtomicReference<>();
        Thread decider = decide(deciderFailure, (n, id) -> {
            if (n == 1) {
                api.reject(id);
            } else {
                api.approve(id);
            }
        }, 4);

        ForkedJvm.Result run = program("approve", "reject", "fail", "increase").timeout(Duration.ofSeconds(90)).run();
        decider.join(5_000);

        assertThat(deciderFailure.get()).as(run.describe()).isNull();
        assertThat(run.exitCode()).as(run.describe()).isZero();
        List<String> ids = api.actionIds();
        assertThat(ids).as(run.describe()).hasSize(4);

        assertThat(run.stdoutValue("approve")).isEqualTo("{written=3, actionId=" + ids.get(0) + "} runs=1");
        Map<String, Object> approved = api.action(ids.get(0));
        assertThat(approved.get("status")).isEqualTo("executed");
        assertThat(approved.get("agentId")).isEqualTo("billing-bot");
        assertThat(approved.get("actionType")).isEqualTo("db_write");
        assertThat(approved.get("payload")).isEqualTo(Map.of("table", "invoices", "rows", new BigDecimal(3)));
        assertThat(approved.get("metadata")).isEqualTo(Map.of("run", "r-7"));
        assertThat(approved.get("result")).isEqualTo(Map.of("written", new BigDecimal(3), "actionId", ids.get(0)));
        assertThat(approved.get("errorMessage")).isNull();

        assertThat(run.stdoutValue("reject")).isEqualTo("action_rejected rejected " + ids.get(1) + " runs=0");
        assertThat(api.action(ids.get(1)).get("status")).isEqualTo("rejected");
        assertThat(api.action(ids.get(1)).get("executedAt")).isNull();

        assertThat(run.stdoutValue("fail")).isEqualTo("java.io.IOException: disk full");
        assertThat(api.action(ids.get(2)).get("status")).isEqualTo("failed");
        assertThat(api.action(ids.get(2)).get("errorMessage")).isEqualTo("java.io.IOException: disk full");
        assertThat(api.action(ids.get(2)).get("result")).isNull();

        assertThat(run.stdoutValue("increase")).isEqualTo(ids.get(3) + " 5000000");
        Map<String, Object> increase = api.action(ids.get(3));
        assertThat(increase.get("actionType")).isEqualTo("budget_increase");
        assertThat(increase.get("payload")).isEqualTo(Map.of("entityType", "api_key", "entityId", "key_1",
                "requestedAmountMicrodollars", new BigDecimal(5_000_000), "currentLimitMicrodollars",
                new BigDecimal(10_000_000), "currentSpendMicrodollars", new BigDecimal(9_500_000), "reason",
                "month-end batch"));
        assertThat(increase.get("status")).isEqualTo("executed");
        assertThat(increase.get("result")).isEqualTo(Map.of("actionId", ids.get(3), "requestedAmountMicrodollars",
                new BigDecimal(5_000_000)));

        // Each result is marked by exactly the requests of docs/nullspend-api-contract.md#human-in-the-loop-actions: executing, then executed or failed.
        List<String> marks = new ArrayList<>();
        api.requests().stream().filter(r -> r.path().endsWith("/result"))
                .forEach(r -> marks.add(ids.indexOf(r.path().split("/")[3]) + ":" + r.status()));
        assertThat(marks).containsExactly("0:200", "0:200", "2:200", "2:200", "3:200", "3:200");
        assertThat(api.requests()).filteredOn(r -> r.method().equals("POST"))
                .allSatisfy(r -> assertThat(r.idempotencyKey()).startsWith("ns_"));
        assertThat(api.violations()).isEmpty();
    }

    @Test
    void anExpiredActionIsNotApprovedAndAWaitWithoutDecisionTimesOut() {
        ForkedJvm.Result run = program("expire", "timeout").timeout(Duration.ofSeconds(60)).run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        List<String> ids = api.actionIds();
        assertThat(ids).as(run.describe()).hasSize(2);
        assertThat(run.stdoutValue("expire")).isEqualTo("action_rejected expired " + ids.get(0) + " runs=0");
        assertThat(api.action(ids.get(0)).get("status")).isEqualTo("expired");
        assertThat(run.stdoutValue("timeout")).isEqualTo("action_timeout 1000 " + ids.get(1) + " runs=0");
        assertThat(api.action(ids.get(1)).get("status")).as("nobody decided: still pending").isEqualTo("pending");
        assertThat(api.requests()).filteredOn(r -> r.path().endsWith("/result")).isEmpty();
    }

    @Test
    void withoutAnApiKeyTheCallsSayWhatIsMissing() {
        ForkedJvm.Result run = ForkedJvm.in(workDir).mainClass(FacadeApiApp.class).args("status", "approve").run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).containsExactly("active=true",
                "status.error=api_key_missing: NullSpend.budgetStatus() calls the NullSpend API, and the agent has no "
                        + "API key: set nullspend.api-key (-Dnullspend.api-key=ns_live_sk_… or the environment variable "
                        + "NULLSPEND_API_KEY); get a key at https://nullspend.dev/app/keys",
                "approve.error=api_key_missing: NullSpend.proposeAndWait() calls the NullSpend API, and the agent has no "
                        + "API key: set nullspend.api-key (-Dnullspend.api-key=ns_live_sk_… or the environment variable "
                        + "NULLSPEND_API_KEY); get a key at https://nullspend.dev/app/keys");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void withoutTheAgentApiCallsThrowAndTrackingIsANoOp() {
        ForkedJvm.Result run = ForkedJvm.in(workDir).agent(false).mainClass(FacadeApiApp.class)
                .args("track", "summary", "increase").run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        String missing = " calls the NullSpend API through the NullSpend agent, which is not running in this JVM: "
                + "start it with -javaagent:nullspend-agent.jar and set nullspend.api-key (or NULLSPEND_API_KEY)";
        assertThat(run.stdoutLines()).as(run.describe()).containsExactly("active=false", "track=tool result",
                "summary.error=agent_not_running: NullSpend.costSummary()" + missing,
                "increase.error=agent_not_running: NullSpend.proposeAndWait()" + missing);
    }

    /**
     * Plays the person in the dashboard: decides on each of the first {@code count} actions as soon
     * as the program proposed it.
     */
    private Thread decide(AtomicReference<Throwable> failure, BiConsumer<Integer, String> decision, int count) {
        Thread t = new Thread(() -> {
            try {
                for (int n = 0; n < count; n++) {
                    decision.accept(n, api.awaitAction(n, DECISION_WAIT));
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "dashboard-user");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
