package dev.nullspend.it;

import org.junit.jupiter.api.Tag;
import dev.nullspend.it.support.TestEnvironment;
import static dev.nullspend.it.support.EventAssertions.assertExactOpenAiEvents;
import static dev.nullspend.it.support.ExpectedCost.usd;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nullspend.it.apps.ClientApp;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.EventAssertions.ExpectedCall;
import dev.nullspend.it.support.ExpectedCost;
import dev.nullspend.it.support.FakeProviderTest;
import dev.nullspend.it.support.FakeServers.Fakes;
import dev.nullspend.it.support.FakeServers;
import dev.nullspend.it.support.ForkedJvm;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An invalid value of one limit never switches enforcement off (docs/configuration.md, "Invalid values"):
 * with a typo in {@code nullspend.velocity.limit-usd}, the valid {@code nullspend.budget.limit-usd} of
 * $0.004 still bills the calls it admits and denies the one that does not fit, with its exact figures; with
 * {@code nullspend.fail-mode=closed} every LLM call is denied with code {@code config_invalid} and the
 * provider receives nothing. An invalid budgets file record is named and left out, the file's valid budgets
 * still enforced.
 */
@Tag(TestEnvironment.AGENT_LOGIC)
class ConfigInvalidIT extends FakeProviderTest {

    private static final String MODEL = "gpt-4o-mini";
    private static final int MAX_TOKENS = 2000;
    private static final long LIMIT = 4_000;
    /** A way of calling, as {@code driver:mode} of {@link ClientApp}. */
    private static final String JDK_SEND = "JdkDriver:sync";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INVALID_LINE = "[nullspend] ERROR invalid setting nullspend.velocity.limit-usd=\"abc\""
            + " (from system property): expected a dollar amount such as 5 or 0.25; ignored";

    ConfigInvalidIT(Fakes fakes) {
        super(fakes);
    }

    @Test
    void aTypoInOneLimitKeepsTheValidBudgetEnforcedWithExactFigures() throws IOException {
        ForkedJvm.Result run = thirdCallDeniedByA4000MicrodollarBudget("config-invalid-open", 5_000,
                Map.of("nullspend.budget.limit-usd", "0.004", "nullspend.velocity.limit-usd", "abc"),
                "Raise nullspend.budget.limit-usd");

        assertThat(run.agentLines()).as("the bad key is named once, and what it means\n%s", run.describe())
                .filteredOn(line -> line.contains("nullspend.velocity.limit-usd"))
                .containsExactly(INVALID_LINE, "[nullspend] ERROR invalid limit settings (nullspend.velocity.limit-usd):"
                        + " tracking stays on and every valid limit is still enforced (nullspend.fail-mode=open; closed"
                        + " would deny LLM calls until they are fixed)");
        assertThat(run.agentLines()).as(run.describe()).noneMatch(line -> line.contains("disabled"));
    }

    /** An invalid budgets file record used to disable the agent, and with it the file's valid budgets. */
    @Test
    void anInvalidBudgetsFileRecordIsNamedAndTheValidOnesAreStillEnforced() throws IOException {
        Path budgets = workDir.resolve("budgets.json");
        Files.writeString(budgets, "[{\"entityType\":\"user\",\"entityId\":\"process\",\"maxBudgetMicrodollars\":"
                + LIMIT + "},\n {\"entityType\":\"user\",\"entityId\":\"typo\",\"maxBudgetMicrodollars\":\"4000\"}]");

        ForkedJvm.Result run = thirdCallDeniedByA4000MicrodollarBudget("config-invalid-file", 5_100,
                Map.of("nullspend.budgets-file", budgets.toString()),
                "Raise maxBudgetMicrodollars of budget [0] in " + budgets);

        assertThat(run.agentLines()).as(run.describe()).filteredOn(line -> line.contains("invalid"))
                .containsExactly("[nullspend] ERROR invalid budgets file entry " + budgets + ": record [1], field"
                        + " 'maxBudgetMicrodollars': must be a whole number ≥ 0, got 4000; it is ignored, every valid"
                        + " budget is enforced", "[nullspend] ERROR invalid limit settings (nullspend.budgets-file):"
                        + " tracking stays on and every valid limit is still enforced (nullspend.fail-mode=open; closed"
                        + " would deny LLM calls until they are fixed)");
        assertThat(run.agentLines()).as(run.describe()).noneMatch(line -> line.contains("disabled"));
    }

    /**
     * Three identical-size gpt-4o-mini calls under a $0.004 budget ({@code properties} set it): the first two fit
     * and are billed exactly, the third's estimate no longer does and it is denied with every figure, its
     * message's amounts to the microdollar, and never sent. Prompt sizes from {@code base} on: each test its own
     * paths at the provider.
     */
    private ForkedJvm.Result thirdCallDeniedByA4000MicrodollarBudget(String user, long base,
                                                                     Map<String, String> properties, String fix)
            throws IOException {
        int bodyBytes = ClientApp.chatBody(MODEL, MAX_TOKENS, user).getBytes(StandardCharsets.UTF_8).length;
        long estimate = ExpectedCost.openAiEstimate(MODEL, bodyBytes, MAX_TOKENS);
        List<FakeUsage> usages = List.of(new FakeUsage(base + 1, 0, 1_000, 0), new FakeUsage(base + 2, 0, 1_000, 0),
                new FakeUsage(base + 3, 0, 1_000, 0));
        long first = ExpectedCost.openAiChat(MODEL, usages.get(0)).total();
        long spent = first + ExpectedCost.openAiChat(MODEL, usages.get(1)).total();
        assertThat(first + estimate).as("the test's premise: two calls fit, the third does not").isLessThanOrEqualTo(LIMIT);
        assertThat(spent + estimate).isGreaterThan(LIMIT);

        List<String> paths = new ArrayList<>();
        ForkedJvm.Builder jvm = ForkedJvm.in(workDir).mainClass(ClientApp.class)
                .calls(calls(List.of(JDK_SEND, JDK_SEND, JDK_SEND), usages, user, paths));
        properties.forEach(jvm::systemProperty);
        ForkedJvm.Result run = jvm.run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        List<JsonNode> results = run.results();
        assertThat(results).as(run.describe()).hasSize(3);
        assertThat(results.get(0).path("status").asInt()).as(run.describe()).isEqualTo(200);
        assertThat(results.get(1).path("status").asInt()).as(run.describe()).isEqualTo(200);
        JsonNode denial = results.get(2).path("denial");
        assertThat(denial.path("code").asText()).as(run.describe()).isEqualTo("budget_exceeded");
        assertThat(denial.path("message").asText()).isEqualTo("Budget exceeded on user/process: this call may cost up to "
                + usd(estimate) + " but only " + usd(LIMIT - spent) + " of the $0.004 limit is left (" + usd(spent)
                + " spent). " + fix + ". See https://nullspend.dev/docs/errors/budget-exceeded");
        assertThat(denial.path("fields").path("limit").asLong()).isEqualTo(LIMIT);
        assertThat(denial.path("fields").path("spend").asLong()).isEqualTo(spent);
        assertThat(denial.path("fields").path("estimate").asLong()).isEqualTo(estimate);
        assertThat(List.of(server.requestCount(paths.get(0)), server.requestCount(paths.get(1)),
                server.requestCount(paths.get(2)))).as(server.requestCounts().toString()).containsExactly(1, 1, 0);
        assertExactOpenAiEvents(run, List.of(new ExpectedCall(MODEL, usages.get(0)), new ExpectedCall(MODEL, usages.get(1))));
        return run;
    }

    @Test
    void withFailModeClosedEveryLlmCallIsDeniedAsConfigInvalidAndNothingIsSent() throws IOException {
        List<String> ways = List.of(JDK_SEND, "OkHttpDriver:sync", "Hc5Driver:sync", "Hc5AsyncDriver:async");
        List<FakeUsage> usages = List.of(new FakeUsage(6_001, 0, 10, 0), new FakeUsage(6_002, 0, 10, 0),
                new FakeUsage(6_003, 0, 10, 0), new FakeUsage(6_004, 0, 10, 0));
        List<String> paths = new ArrayList<>();
        ForkedJvm.Result run = ForkedJvm.in(workDir).mainClass(ClientApp.class)
                .calls(calls(ways, usages, "config-invalid-closed", paths))
                .systemProperty("nullspend.budget.limit-usd", "0.004")
                .systemProperty("nullspend.velocity.limit-usd", "abc")
                .systemProperty("nullspend.fail-mode", "closed")
                .run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        List<JsonNode> results = run.results();
        assertThat(results).as(run.describe()).hasSize(ways.size());
        String message = "Configuration invalid: nullspend.velocity.limit-usd has an invalid value (named in the agent's"
                + " start-up log), and nullspend.fail-mode=closed denies LLM calls until the configuration is fixed. Fix"
                + " the value and restart, or set nullspend.fail-mode=open to go on with the valid limits only.";
        JsonNode expected = JSON.readTree("{\"class\":\"dev.nullspend.api.NullSpendException\",\"code\":\"config_invalid\","
                + "\"message\":" + JSON.writeValueAsString(message) + ",\"recovery\":{\"retryable\":false,"
                + "\"ownerActionRequired\":true,\"retryAfterSeconds\":null,\"docs\":null},\"fields\":{}}");
        for (int i = 0; i < ways.size(); i++) {
            assertThat(results.get(i).path("driver").asText() + ":" + results.get(i).path("mode").asText())
                    .isEqualTo(ways.get(i));
            assertThat(results.get(i).path("denial")).as("%s\n%s", ways.get(i), run.describe()).isEqualTo(expected);
        }
        int sent = 0;
        for (String path : paths) {
            sent += server.requestCount(path);
        }
        assertThat(sent).as("requests at the provider: %s", server.requestCounts()).isZero();
        assertThat(run.ledger()).as(run.describe()).isEmpty();
        assertThat(run.agentLines()).as(run.describe())
                .filteredOn(line -> line.contains("nullspend.velocity.limit-usd"))
                .containsExactly(INVALID_LINE, "[nullspend] ERROR invalid limit settings (nullspend.velocity.limit-usd) and"
                        + " nullspend.fail-mode=closed: every LLM call is denied (code config_invalid) until they are fixed;"
                        + " tracking stays on", "[nullspend] WARN denied a call: " + message + " (later config_invalid"
                        + " denials reach the program without a log line)");
    }

    /**
     * One call per way ({@code driver:mode} of {@link ClientApp}), each with its own usage (and so its own path at
     * the provider, added to {@code paths}).
     */
    private List<List<String>> calls(List<String> ways, List<FakeUsage> usages, String user, List<String> paths) {
        List<List<String>> calls = new ArrayList<>();
        for (int i = 0; i < ways.size(); i++) {
            String url = server.chatCompletionsUrl(Scenario.OK, usages.get(i));
            paths.add(URI.create(url).getPath());
            String[] way = ways.get(i).split(":");
            calls.add(List.of("driver=" + way[0], "mode=" + way[1], "url=" + url, "chat=" + MODEL,
                    "max-tokens=" + MAX_TOKENS, "user=" + user));
        }
        return calls;
    }
}
