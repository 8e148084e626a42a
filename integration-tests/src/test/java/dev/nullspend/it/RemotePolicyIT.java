package dev.nullspend.it;

import org.junit.jupiter.api.Tag;
import dev.nullspend.it.support.TestEnvironment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.support.FakeApiPerTest;
import dev.nullspend.it.apps.LoopingChatApp;
import dev.nullspend.it.fake.FakeNullSpendApi;
import dev.nullspend.it.fake.FakePolicyEndpoints;
import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.ExpectedCost;
import dev.nullspend.it.support.FakeServers.Fakes;
import dev.nullspend.it.support.FakeServers;
import dev.nullspend.it.support.ForkedJvm;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NullSpend API's remote policy enforced end to end: {@link LoopingChatApp} (java.net.http) under
 * the agent calls the fake provider, with {@code nullspend.api-key} and {@code nullspend.base-url}
 * pointing at a {@link FakeNullSpendApi} whose policy and budget status the test sets. Calls are
 * denied before they leave the process, with exact figures: what the API says is left, minus what
 * this run spent since.
 *
 * <p>Tests that need the policy from the very first call run with {@code nullspend.fail-mode=closed},
 * whose calls wait (bounded) for the first fetch; with {@code open} the first calls of a run may go
 * out before the policy has arrived.
 */
@Tag(TestEnvironment.AGENT_LOGIC)
@ExtendWith(FakeServers.class)
class RemotePolicyIT extends FakeApiPerTest {
    private static final String MODEL = "gpt-4o";

    private final FakeProviderServer provider;

    RemotePolicyIT(Fakes fakes) {
        provider = fakes.provider();
    }

    @TempDir
    Path workDir;

    @Test
    void theRemoteBudgetDeniesOnceLocalSpendHasUsedUpWhatTheApiSaidWasLeft() {
        long estimate = estimate(MODEL);
        long spentHere = cost(0) + cost(1) + cost(2);
        long remaining = estimate + spentHere - 1; // room for calls 0, 1, 2; call 3's estimate no longer fits
        long max = 5_000_000;
        api.policy().policy("{\"budget\":{\"remaining_microdollars\":" + remaining + ",\"max_microdollars\":" + max
                + ",\"spend_microdollars\":" + (max - remaining) + ",\"period_end\":\"2099-01-01T00:00:00Z\","
                + "\"entity_type\":\"api_key\",\"entity_id\":\"key_123\"},\"allowed_models\":null,"
                + "\"allowed_providers\":null,\"cheapest_per_provider\":null,\"cheapest_overall\":null,"
                + "\"restrictions_active\":true,\"session_limit_microdollars\":null}");

        ForkedJvm.Result run = program("closed", MODEL, 0, 5).run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        String denied = "denied=dev.nullspend.api.BudgetExceededException code=budget_exceeded retryable=false"
                + " retry-after=null limit=" + max + " spend=" + (max - remaining + spentHere) + " estimate=" + estimate
                + " reserved=0";
        assertThat(calls(run)).containsExactly("call=0 status=200", "call=1 status=200", "call=2 status=200",
                "call=3 " + denied, "call=4 " + denied);
        assertThat(providerCalls(0, 5)).as(provider.requestCounts().toString()).containsExactly(1, 1, 1, 0, 0);
        assertThat(run.ledger()).as(run.describe()).hasSize(3);
        assertThat(run.agentLines()).as(run.describe()).contains("[nullspend] remote policy from " + api.baseUrl()
                + ": budget api_key/key_123 (" + ExpectedCost.usd(remaining) + " of $5.00 left) (refreshed every 60s"
                + " while LLM calls are made)",
                "[nullspend] WARN denied a call: Budget exceeded on api_key/key_123: this call may cost up to "
                + ExpectedCost.usd(estimate) + " but only " + ExpectedCost.usd(estimate - 1) + " of the $5.00 limit is"
                + " left (" + ExpectedCost.usd(max - remaining + spentHere) + " spent in the current period). Increase it at"
                + " https://nullspend.dev/app/budgets, or wait for the reset at 2099-01-01T00:00:00Z. See"
                + " https://nullspend.dev/docs/errors/budget-exceeded (later budget_exceeded denials reach the program"
                + " without a log line)");
        assertThat(api.events()).as("the three calls' events reached the API").hasSize(3);
        assertThat(api.policy().requestCount(FakePolicyEndpoints.POLICY_PATH)).as("one fetch: the run is shorter than"
                + " the 60 s TTL").isEqualTo(1);
        assertThat(api.policy().requestCount(FakePolicyEndpoints.BUDGETS_STATUS_PATH)).isEqualTo(1);
        assertThat(api.violations()).isEmpty();
    }

    @Test
    void aTagBudgetOfTheBudgetStatusDeniesTheRunsTaggedCalls() {
        long estimate = estimate(MODEL);
        long spentHere = cost(100) + cost(101);
        long limit = 2_000_000;
        long spend = limit - (estimate + spentHere - 1);
        api.policy().budgetStatus("{\"entities\":[{\"entityType\":\"tag\",\"entityId\":\"team=search\","
                + "\"limitMicrodollars\":" + limit + ",\"spendMicrodollars\":" + spend + ",\"remainingMicrodollars\":"
                + (limit - spend) + ",\"policy\":\"strict_block\",\"resetInterval\":null,\"currentPeriodStart\":null,"
                + "\"thresholdPercentages\":[50,80,90,95],\"velocityLimitMicrodollars\":null,\"velocityWindowSeconds\":60,"
                + "\"velocityCooldownSeconds\":60,\"sessionLimitMicrodollars\":null,\"finalizationReserveMicrodollars\":0}]}");

        ForkedJvm.Result run = program("closed", MODEL, 100, 3).systemProperty("nullspend.tags", "team=search").run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(calls(run)).containsExactly("call=100 status=200", "call=101 status=200",
                "call=102 denied=dev.nullspend.api.TagBudgetExceededException code=tag_budget_exceeded retryable=false"
                        + " retry-after=null limit=" + limit + " spend=" + (spend + spentHere) + " estimate=" + estimate
                        + " reserved=0");
        assertThat(providerCalls(100, 3)).containsExactly(1, 1, 0);
    }

    @Test
    void theKeysAllowedModelsDenyAnotherModelBeforeItIsSent() {
        api.policy().policy("{\"budget\":null,\"allowed_models\":[\"gpt-4o-mini\"],\"allowed_providers\":null,"
                + "\"session_limit_microdollars\":null}");

        ForkedJvm.Result denied = program("closed", MODEL, 200, 1).run();
        ForkedJvm.Result allowed = program("closed", "gpt-4o-mini", 201, 1).run();

        assertThat(calls(denied)).as(denied.describe()).containsExactly("call=200 denied="
                + "dev.nullspend.api.MandateViolationException code=mandate_violation retryable=false retry-after=null");
        assertThat(denied.agentLines()).anyMatch(l -> l.startsWith("[nullspend] WARN denied a call: Mandate violation:"
                + " model gpt-4o is not allowed (allowed_models: gpt-4o-mini). Call an allowed model, or ask the owner of"
                + " the NullSpend API key to change it at https://nullspend.dev/app/budgets."));
        assertThat(providerCalls(200, 1)).containsExactly(0);
        assertThat(calls(allowed)).as(allowed.describe()).containsExactly("call=201 status=200");
        assertThat(provider.requestCount(path(201))).isEqualTo(1);
    }

    @Test
    void failingClosedWithTheApiDownEveryCallIsDeniedAndNothingIsSent() {
        api.stopListening();

        ForkedJvm.Result run = program("closed", MODEL, 300, 2).run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        List<String> calls = calls(run);
        assertThat(calls).as(run.describe()).hasSize(2).allMatch(l -> l.matches("call=30[01] denied="
                + "dev\\.nullspend\\.api\\.NullSpendException code=budget_unavailable retryable=true retry-after=[1-5]"));
        assertThat(providerCalls(300, 2)).containsExactly(0, 0);
        assertThat(run.ledger()).isEmpty();
        assertThat(run.agentLines()).anyMatch(l -> l.startsWith("[nullspend] WARN cannot fetch the remote policy from "
                + api.baseUrl() + ": GET /api/policy network error: java.net.ConnectException"))
                .anyMatch(l -> l.startsWith("[nullspend] WARN denied a call: Remote policy unavailable: the NullSpend"
                        + " policy could not be fetched from " + api.baseUrl() + " (GET /api/policy network error:")
                        && l.contains("Check nullspend.api-key and nullspend.base-url, or set nullspend.fail-mode=open"));
    }

    @Test
    void failingOpenWithTheApiDownCallsGoOnUnderLocalLimits() {
        api.stopListening();

        // a pause after each call: the run outlives the first fetch's retries, so its warning is in the log
        ForkedJvm.Result run = program("open", MODEL, 400, 3).args("pause-ms=700").run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(calls(run)).containsExactly("call=400 status=200", "call=401 status=200", "call=402 status=200");
        assertThat(providerCalls(400, 3)).containsExactly(1, 1, 1);
        assertThat(run.ledger()).hasSize(3);
        assertThat(run.agentLines()).as(run.describe()).filteredOn(l -> l.contains("remote policy")).singleElement()
                .satisfies(l -> assertThat(l).startsWith("[nullspend] WARN cannot fetch the remote policy from "
                        + api.baseUrl() + ": GET /api/policy network error: java.net.ConnectException")
                        .contains("; nullspend.fail-mode=open: only local limits apply until it can be fetched"));
    }

    // ---- helpers ----

    /** {@link LoopingChatApp} under the agent, reporting to the fake API. */
    private ForkedJvm.Builder program(String failMode, String model, int first, int calls) {
        return ForkedJvm.in(workDir).mainClass(LoopingChatApp.class)
                .systemProperty("nullspend.api-key", api.apiKey())
                .systemProperty("nullspend.base-url", api.baseUrl())
                .systemProperty("nullspend.spool-dir", workDir.resolve("spool").toString())
                .systemProperty("nullspend.fail-mode", failMode)
                .args("origin=" + provider.origin(), "model=" + model, "first=" + first, "calls=" + calls);
    }

    private static List<String> calls(ForkedJvm.Result run) {
        return run.stdoutLines().stream().filter(l -> l.startsWith("call=")).toList();
    }

    /** Requests the provider got for calls {@code first …}, in order. */
    private List<Integer> providerCalls(int first, int count) {
        return IntStream.range(first, first + count).mapToObj(i -> provider.requestCount(path(i))).toList();
    }

    private String path(int call) {
        return URI.create(provider.chatCompletionsUrl(Scenario.OK, LoopingChatApp.usage(call))).getPath();
    }

    private static long cost(int call) {
        return ExpectedCost.openAiChat(MODEL, LoopingChatApp.usage(call)).total();
    }

    /**
     * The proxy's estimate (docs/nullspend-api-contract.md#pre-request-estimate) of the app's request: ⌈body bytes / 4⌉ input tokens and
     * gpt-4o's 16,384 output tokens at $2.50 / $10 per MTok, × 1.1, rounded half up.
     */
    private static long estimate(String model) {
        int bytes = LoopingChatApp.body(model).getBytes(StandardCharsets.UTF_8).length;
        BigDecimal micros = BigDecimal.valueOf((bytes + 3) / 4).multiply(new BigDecimal("2.50"))
                .add(BigDecimal.valueOf(16_384).multiply(BigDecimal.TEN)).multiply(new BigDecimal("1.1"));
        return micros.setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
}
