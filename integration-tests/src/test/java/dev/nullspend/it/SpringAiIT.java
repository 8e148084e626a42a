package dev.nullspend.it;

import static dev.nullspend.it.support.EventAssertions.assertExactEvents;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.fake.ChatResponses;
import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.EventAssertions.Breakdown;
import dev.nullspend.it.support.EventAssertions.ExpectedEvent;
import dev.nullspend.it.support.ExpectedCost;
import dev.nullspend.it.support.FakeServers;
import dev.nullspend.it.support.FakeServers.Fakes;
import dev.nullspend.it.support.ForkedJvm;
import dev.nullspend.it.support.TestEnvironment;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spring AI's OpenAI and Anthropic starters, {@code ChatClient} call and stream, under the agent: the cases every
 * Spring AI program of {@code it-apps} (one source, built against each Spring AI and Boot) must pass; each subclass
 * names its module and the clients its Boot chooses.
 */
@ExtendWith(FakeServers.class)
abstract class SpringAiIT {

    private static final String APP = "dev.nullspend.it.springai.SpringAiBoot3App";
    private static final List<String> CALLS = List.of("openai-call", "openai-stream", "anthropic-call", "anthropic-stream");
    private static final Map<String, String> NO_TAGS = Map.of();

    /** What the program prints when Boot chose Reactor Netty for both {@code RestClient} and {@code WebClient}. */
    protected static final List<String> REACTOR_CLIENTS = List.of(
            "request-factory=org.springframework.boot.http.client.ReactorClientHttpRequestFactoryBuilder",
            "connector=[org.springframework.http.client.reactive.ReactorClientHttpConnector]");

    private final FakeProviderServer server;
    private final String module;
    private final List<String> chosenClients;

    @TempDir
    Path workDir;

    /** The cases with the program of {@code it-apps/<module>}, whose Boot chooses the clients it prints as {@code chosenClients}. */
    protected SpringAiIT(Fakes fakes, String module, List<String> chosenClients) {
        server = fakes.provider();
        this.module = module;
        this.chosenClients = chosenClients;
    }

    /**
     * Base URLs at the fake provider's address, which is no known vendor's host (a gateway, vLLM, LiteLLM):
     * each call and stream is recognised from its body and billed exactly, and the program gets every reply.
     */
    @Test
    void callsAndStreamsToACustomBaseUrlAreCostedExactly() {
        FakeUsage openAi = new FakeUsage(1000, 0, 50, 0);

        ForkedJvm.Result run = program(openAi, 1000, 200).run();

        assertReplies(run);
        assertExactEvents(run, List.of(openAi("gpt-4o-mini", openAi), openAi("gpt-4o", openAi),
                // 1000 × $3 + 200 × $15 per MTok; 1000 × $1 + 200 × $5
                new ExpectedEvent("anthropic", "claude-sonnet-4-5", 1000, 0, 200, 0, 6000, new Breakdown(3000, 0, 3000, 0), NO_TAGS),
                new ExpectedEvent("anthropic", "claude-haiku-4-5", 1000, 0, 200, 0, 2000, new Breakdown(1000, 0, 1000, 0), NO_TAGS)));
        assertThat(server.requestCount(openAiPath(openAi))).as("%s", server.requestCounts()).isEqualTo(2);
        assertThat(server.requestCount(anthropicPath(1000, 200))).as("%s", server.requestCounts()).isEqualTo(2);
    }

    /** The same address named as OpenAI's and Anthropic's host ({@code nullspend.providers.extra-hosts}): the same events. */
    @Test
    void callsAndStreamsToAKnownHostAreCostedExactly() {
        FakeUsage openAi = new FakeUsage(1100, 0, 60, 0);

        ForkedJvm.Result run = program(openAi, 1100, 220).systemProperty("nullspend.providers.extra-hosts",
                "openai=127.0.0.1:" + server.port() + ",anthropic=127.0.0.1:" + server.port()).run();

        assertReplies(run);
        assertExactEvents(run, List.of(openAi("gpt-4o-mini", openAi), openAi("gpt-4o", openAi),
                // 1100 × $3 + 220 × $15 per MTok; 1100 × $1 + 220 × $5
                new ExpectedEvent("anthropic", "claude-sonnet-4-5", 1100, 0, 220, 0, 6600, new Breakdown(3300, 0, 3300, 0), NO_TAGS),
                new ExpectedEvent("anthropic", "claude-haiku-4-5", 1100, 0, 220, 0, 2200, new Breakdown(1100, 0, 1100, 0), NO_TAGS)));
    }

    /**
     * A budget of $0.001: every call and stream is denied before a byte is sent; the program gets the typed
     * denial in the cause chain of what Spring AI throws.
     */
    @Test
    void aBudgetOfATenthOfACentDeniesCallsAndStreamsBeforeAnyByte() {
        FakeUsage openAi = new FakeUsage(1200, 0, 70, 0);

        ForkedJvm.Result run = program(openAi, 1200, 240).systemProperty("nullspend.budget.limit-usd", "0.001").run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).filteredOn(line -> line.startsWith("result="))
                .extracting(line -> line.substring(line.indexOf(' ') + 1).replaceFirst("^error=\\S+ ", ""))
                .containsExactly("denial=dev.nullspend.api.BudgetExceededException code=budget_exceeded",
                        "denial=dev.nullspend.api.BudgetExceededException code=budget_exceeded",
                        "denial=dev.nullspend.api.BudgetExceededException code=budget_exceeded",
                        "denial=dev.nullspend.api.BudgetExceededException code=budget_exceeded");
        assertThat(server.requestCount(openAiPath(openAi))).as("%s", server.requestCounts()).isZero();
        assertThat(server.requestCount(anthropicPath(1200, 240))).as("%s", server.requestCounts()).isZero();
        assertThat(run.ledger()).as(run.describe()).isEmpty();
    }


    /** {@code spring.ai.openai.base-url} for an API at {@code v1} ({@code …/v1}): Spring AI 1.1 adds the {@code /v1} itself. */
    protected String openAiBaseUrl(String v1) {
        return v1.substring(0, v1.length() - "/v1".length());
    }

    /** The program's own Spring options, beside the base URLs. */
    protected List<String> options() {
        return List.of();
    }

    /** The program with the four calls, its OpenAI and Anthropic base URLs at the fake with these usages. */
    private ForkedJvm.Builder program(FakeUsage openAi, long anthropicInput, long anthropicOutput) {
        String openAiBase = server.openAiBaseUrl(Scenario.OK, openAi);
        return ForkedJvm.in(workDir).classPath(TestEnvironment.itAppClassPath(module)).mainClass(APP)
                .systemProperty("nullspend.providers.include-usage-hosts", "127.0.0.1:" + server.port())
                .timeout(Duration.ofMinutes(3))
                .args(join(Stream.concat(Stream.of(
                        "--spring.ai.openai.base-url=" + openAiBaseUrl(openAiBase),
                        "--spring.ai.anthropic.base-url=" + server.origin() + "/u/" + anthropicInput + "-0-0-0-" + anthropicOutput),
                        options().stream()).toList(), CALLS));
    }

    private static String[] join(List<String> options, List<String> calls) {
        return Stream.concat(options.stream(), calls.stream()).toArray(String[]::new);
    }

    /** Boot chose the expected clients, and each call got the whole reply. */
    private void assertReplies(ForkedJvm.Result run) {
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).containsAll(chosenClients);
        assertThat(run.stdoutLines()).as(run.describe()).filteredOn(line -> line.startsWith("result="))
                .containsExactlyElementsOf(CALLS.stream().map(c -> "result=" + c + " text=" + ChatResponses.replyText()).toList());
        assertThat(run.agentLines()).as("nothing the agent could not read or cost\n%s", run.describe())
                .noneMatch(line -> line.contains("WARN"));
    }

    private String openAiPath(FakeUsage usage) {
        return URI.create(server.openAiBaseUrl(Scenario.OK, usage)).getPath() + "/chat/completions";
    }

    private static String anthropicPath(long input, long output) {
        return "/u/" + input + "-0-0-0-" + output + "/v1/messages";
    }

    private static ExpectedEvent openAi(String model, FakeUsage usage) {
        ExpectedCost cost = ExpectedCost.openAiChat(model, usage);
        return new ExpectedEvent("openai", model, usage.promptTokens(), usage.cachedTokens(), usage.completionTokens(),
                usage.reasoningTokens(), cost.total(), new Breakdown(cost.input(), cost.cached(), cost.output(), cost.reasoning()),
                NO_TAGS);
    }
}
