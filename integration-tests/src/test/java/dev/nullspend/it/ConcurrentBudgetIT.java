package dev.nullspend.it;

import org.junit.jupiter.api.Tag;
import dev.nullspend.it.support.TestEnvironment;
import static dev.nullspend.it.support.ExpectedCost.usd;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nullspend.it.apps.ClientApp;
import dev.nullspend.it.apps.ConcurrentBudgetApp;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.ExpectedCost;
import dev.nullspend.it.support.FakeProviderTest;
import dev.nullspend.it.support.FakeServers.Fakes;
import dev.nullspend.it.support.FakeServers;
import dev.nullspend.it.support.ForkedJvm;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 64 threads of one real JVM spend one strict budget at once through a real HTTP client, every request
 * with a {@code max_tokens} cap and every answer's usage within it (so each call's estimate bounds its
 * actual cost): recorded spend never passes the limit, and every denial carries exact figures.
 *
 * <p>Why the number of admitted calls is exact although the interleaving is not: every call holds the
 * same estimate E and settles at the same cost A ≤ E. A call is admitted only when {@code spend + held + E
 * ≤ limit}; as each held call ends up costing A ≤ E, the n-th admission implies {@code (n − 1)·A + E ≤
 * limit}. Each thread goes on until a denial shows nothing held ({@code reservedMicrodollars() == 0}), i.e.
 * {@code spend + E > limit} with every admitted call settled, and spend never falls (the budget has no
 * period). So exactly {@code N = ⌊(limit − E) / A⌋ + 1} calls are admitted, whatever the order; only the
 * number of "not now" denials (held estimates in the way) varies from run to run, and each of those is
 * checked figure by figure.
 */
@Tag(TestEnvironment.AGENT_LOGIC)
class ConcurrentBudgetIT extends FakeProviderTest {

    private static final int THREADS = 64;
    private static final String MODEL = "gpt-4o";
    private static final int MAX_TOKENS = 500;
    private static final String LIMIT_USD = "0.82";
    private static final long LIMIT = 820_000;
    private static final String DENIAL = "dev.nullspend.api.BudgetExceededException";
    private static final String DENIAL_CARRIER = "dev.nullspend.agent.exchange.NullSpendDeniedIOException";

    ConcurrentBudgetIT(Fakes fakes) {
        super(fakes);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jdk", "okhttp"})
    void sixtyFourThreadsNeverTakeRecordedSpendPastTheLimitAndEveryDenialHasExactFigures(String client) {
        int bodyBytes = ClientApp.chatBody(MODEL, MAX_TOKENS, ConcurrentBudgetApp.user(0, 0))
                .getBytes(StandardCharsets.UTF_8).length;
        long estimate = ExpectedCost.openAiEstimate(MODEL, bodyBytes, MAX_TOKENS);
        // prompt tokens = the estimate's input tokens, 400 of the 500 output tokens: the usage stays within the cap
        FakeUsage usage = new FakeUsage((bodyBytes + 3) / 4, 0, 400 + client.length(), 0);
        long cost = ExpectedCost.openAiChat(MODEL, usage).total();
        assertThat(cost).as("the test's premise: the estimate bounds the actual cost").isLessThanOrEqualTo(estimate);
        long admittedCalls = (LIMIT - estimate) / cost + 1;
        String url = server.chatCompletionsUrl(Scenario.OK, usage);

        ForkedJvm.Result run = ForkedJvm.in(workDir).mainClass(ConcurrentBudgetApp.class)
                .systemProperty("nullspend.budget.limit-usd", LIMIT_USD)
                .timeout(Duration.ofSeconds(90))
                .args("client=" + client, "url=" + url, "model=" + MODEL, "max-tokens=" + MAX_TOKENS,
                        "threads=" + THREADS, "deadline-ms=60000")
                .run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutValue("other")).as("no call ended other than 200 or denied\n%s", run.describe()).isEqualTo("0");
        assertThat(run.stdoutValue("stopped")).as("every thread ended on the budget being spent\n%s", run.describe())
                .isEqualTo(String.valueOf(THREADS));
        assertThat(Long.parseLong(run.stdoutValue("admitted"))).as(run.describe()).isEqualTo(admittedCalls);
        assertThat(server.requestCount(URI.create(url).getPath())).as("one provider request per admitted call; %s",
                server.requestCounts()).isEqualTo((int) admittedCalls);

        List<JsonNode> events = run.ledger();
        assertThat(events).as(run.describe()).hasSize((int) admittedCalls);
        long recorded = 0;
        for (JsonNode event : events) {
            assertThat(event.path("costMicrodollars").asLong()).as(event.toString()).isEqualTo(cost);
            recorded += event.path("costMicrodollars").asLong();
        }
        assertThat(recorded).isEqualTo(admittedCalls * cost).isLessThanOrEqualTo(LIMIT);

        List<JsonNode> denials = run.jsonLines("denial");
        assertThat(denials).as(run.describe()).isNotEmpty();
        Set<String> surfaces = client.equals("jdk") ? Set.of(DENIAL) : Set.of(DENIAL, DENIAL_CARRIER);
        int finalDenials = 0;
        for (JsonNode d : denials) {
            assertExactBudgetDenial(d, estimate, cost, surfaces);
            JsonNode f = d.path("fields");
            if (f.path("reserved").asLong() == 0) {
                assertThat(f.path("spend").asLong()).as("nothing held: every admitted call settled\n%s", d)
                        .isEqualTo(admittedCalls * cost);
                finalDenials += d.path("count").asInt();
            }
        }
        assertThat(finalDenials).as("each thread stopped at its one denial with nothing held").isEqualTo(THREADS);
    }

    /**
     * A denial of the process budget as it must be at some point of the run: the exact limit and estimate;
     * spend a whole number of settled calls; held a whole number of estimates; denied because
     * {@code spend + held + E > limit} although what it saw was within the limit; the message's figures.
     */
    private static void assertExactBudgetDenial(JsonNode d, long estimate, long cost, Set<String> surfaces) {
        JsonNode f = d.path("fields");
        long spend = f.path("spend").asLong();
        long reserved = f.path("reserved").asLong();
        assertThat(d.path("class").asText()).as(d.toString()).isEqualTo(DENIAL);
        assertThat(surfaces).as(d.toString()).contains(d.path("surface").asText());
        assertThat(d.path("code").asText()).isEqualTo("budget_exceeded");
        assertThat(d.path("recovery").path("retryable").asBoolean()).isFalse();
        assertThat(d.path("recovery").path("ownerActionRequired").asBoolean()).isTrue();
        assertThat(d.path("recovery").path("retryAfterSeconds").isNull()).isTrue();
        assertThat(d.path("recovery").path("docs").asText()).isEqualTo("https://nullspend.dev/docs/errors/budget-exceeded");
        assertThat(f.path("entityType").asText()).isEqualTo("user");
        assertThat(f.path("entityId").asText()).isEqualTo("process");
        assertThat(f.path("limit").asLong()).isEqualTo(LIMIT);
        assertThat(f.path("estimate").asLong()).isEqualTo(estimate);
        assertThat(spend % cost).as("spend is settled calls only: %s", d).isZero();
        assertThat(reserved % estimate).as("held is whole estimates: %s", d).isZero();
        assertThat(spend + reserved + estimate).as("denied only when it would not fit: %s", d).isGreaterThan(LIMIT);
        assertThat(spend + reserved).as("what it saw was within the limit: %s", d).isLessThanOrEqualTo(LIMIT);
        assertThat(f.path("remaining").asLong()).isEqualTo(LIMIT - spend);
        assertThat(d.path("message").asText()).isEqualTo("Budget exceeded on user/process: this call may cost up to "
                + usd(estimate) + " but only " + usd(LIMIT - spend - reserved) + " of the " + usd(LIMIT)
                + " limit is left (" + usd(spend) + " spent" + (reserved > 0 ? ", " + usd(reserved) + " held by calls in flight" : "")
                + "). Raise nullspend.budget.limit-usd. See https://nullspend.dev/docs/errors/budget-exceeded");
        assertThat(d.path("count").asInt()).isPositive();
    }
}
