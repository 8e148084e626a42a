package dev.nullspend.agent.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.ConfigSource;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.log.CapturedLog;
import dev.nullspend.api.NullSpendException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Calls that reach {@link LlmCalls#begin} before the core runtime is installed: past the wait,
 * {@code nullspend.fail-mode} decides, out loud. (No runtime is installed in these tests: the
 * wait of 0 ms is over at once.)
 */
class AgentStartupTest {
    private static final byte[] CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
            .getBytes(StandardCharsets.UTF_8);

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    private static AgentStartup startup(String failMode, String... more) throws Exception {
        Map<String, String> props = new HashMap<>(Map.of("nullspend.fail-mode", failMode, "nullspend.startup.wait-ms", "0",
                "nullspend.ledger", "off"));
        for (int i = 0; i < more.length; i += 2) {
            props.put(more[i], more[i + 1]);
        }
        AgentConfig config = AgentConfig.read(new ConfigSource(props, Map.of(), Map.of(), Map.of(), "test"));
        return new AgentStartup(config, System.nanoTime());
    }

    private static Exchange post(String url) {
        return new Exchange("POST", URI.create(url), null, CHAT, CHAT.length);
    }

    private List<String> logLines() {
        return log.text().lines().toList();
    }

    @Test
    void failOpenLetsEachEarlyLlmCallThroughLogsOnceAndCountsThemAll() throws Exception {
        AgentStartup startup = startup("open");

        assertThat(startup.runtimeFor(post("https://api.openai.com/v1/chat/completions"))).isNull();
        assertThat(startup.runtimeFor(post("https://api.openai.com/v1/chat/completions"))).isNull();

        assertThat(logLines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("[nullspend] WARN an LLM call (openai gpt-4o-mini) came before the agent was ready (")
                .endsWith("nullspend.fail-mode=open lets it through neither costed nor checked, as every call until"
                        + " the agent is ready (counted in the summary)"));
        assertThat(startup.earlyCalls())
                .isEqualTo("2 LLM calls came before the agent was ready and went through unchecked (nullspend.fail-mode=open)");
    }

    /** One early call, said once with {@code decision}, and counted for the summary with its {@code outcome}. */
    private void assertOneEarlyCall(AgentStartup startup, String decision, String outcome) {
        assertThat(logLines()).singleElement().satisfies(line -> assertThat(line).contains(decision));
        assertThat(startup.earlyCalls()).isEqualTo("1 LLM call came before the agent was ready and " + outcome);
    }

    @Test
    void failClosedDeniesEachEarlyLlmCallWithBudgetUnavailable() throws Exception {
        AgentStartup startup = startup("closed");

        NullSpendException denial = catchThrowableOfType(NullSpendException.class,
                () -> startup.runtimeFor(post("https://api.openai.com/v1/chat/completions")));

        assertThat(denial.getClass()).isEqualTo(NullSpendException.class);
        assertThat(denial.code()).isEqualTo("budget_unavailable");
        assertThat(denial.getMessage()).startsWith("Agent not ready: the NullSpend agent is still starting (")
                .contains("nullspend.startup.wait-ms=0), and nullspend.fail-mode=closed denies LLM calls it cannot check yet.");
        assertThat(denial.recovery().retryable()).isTrue();
        assertThat(denial.recovery().retryAfterSeconds()).isEqualTo(1);
        assertOneEarlyCall(startup, "nullspend.fail-mode=closed denies it with budget_unavailable",
                "was denied with budget_unavailable (nullspend.fail-mode=closed)");
    }

    @Test
    void callsTheAgentWouldNotTouchGoOnWithoutADecision() throws Exception {
        AgentStartup startup = startup("closed", "nullspend.base-url", "https://nullspend.example.com");

        assertThat(startup.runtimeFor(post("https://example.com/v1/other"))).isNull();
        assertThat(startup.runtimeFor(post("https://nullspend.example.com/v1/chat/completions")))
                .as("the agent's own API traffic").isNull();

        assertThat(logLines()).isEmpty();
        assertThat(startup.earlyCalls()).isNull();
    }

    @Test
    void aCallToTheProxyIsTheAgentsBusinessToo() throws Exception {
        AgentStartup startup = startup("closed", "nullspend.proxy-url", "https://proxy.example.com");

        NullSpendException denial = catchThrowableOfType(NullSpendException.class,
                () -> startup.runtimeFor(post("https://proxy.example.com/v1/anything")));

        assertThat(denial.code()).isEqualTo("budget_unavailable");
        assertThat(logLines()).singleElement().satisfies(line -> assertThat(line).contains("an LLM call (NullSpend proxy)"));
    }

    @Test
    void failClosedInDryRunLetsTheCallThroughAndSaysWhy() throws Exception {
        AgentStartup startup = startup("closed", "nullspend.enforcement", "dry-run");

        assertThat(startup.runtimeFor(post("https://api.openai.com/v1/chat/completions"))).isNull();

        assertOneEarlyCall(startup, "nullspend.enforcement=dry-run lets it through neither costed nor checked",
                "went through unchecked (nullspend.enforcement=dry-run)");
    }

    @Test
    void atExitBeforeTheAgentWasReadyTheSummarySaysSoWithTheEarlyCalls() throws Exception {
        AgentStartup startup = startup("open");
        startup.runtimeFor(post("https://api.openai.com/v1/chat/completions"));

        startup.shutdown();

        assertThat(logLines()).hasSize(2);
        assertThat(logLines().get(1)).startsWith("[nullspend] WARN NullSpend summary: the agent had not finished starting"
                + " at exit (").endsWith("s); 1 LLM call came before the agent was ready and went through unchecked"
                + " (nullspend.fail-mode=open)");
    }

    @Test
    void atExitAfterAFailedStartNothingMoreIsSaid() throws Exception {
        AgentStartup startup = startup("open");
        startup.failed();

        startup.shutdown();

        assertThat(logLines()).isEmpty();
    }

    @Test
    void afterAFailedStartCallsGoOnUntouched() throws Exception {
        AgentStartup startup = startup("closed");
        startup.failed();

        assertThat(startup.runtimeFor(post("https://api.openai.com/v1/chat/completions"))).isNull();

        assertThat(logLines()).isEmpty();
        assertThat(startup.earlyCalls()).isNull();
    }
}
