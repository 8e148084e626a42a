package dev.nullspend.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.ConfigSource;
import dev.nullspend.agent.exchange.Headers;
import dev.nullspend.agent.guard.Guard;
import dev.nullspend.agent.pricing.PriceTable;
import dev.nullspend.agent.provider.Providers;
import dev.nullspend.agent.report.Reporter;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which requests a client that streams its bodies (Netty) holds back for the core to read: POSTs to the
 * NullSpend proxy and to paths a provider API wants the body of; never the agent's own API, never a GET,
 * never another path.
 */
class MayBeLlmCallTest {

    private final Reporter reporter = Reporter.start(List.of());

    @AfterEach
    void stop() {
        reporter.shutdown();
    }

    private AgentRuntime runtime() throws Exception {
        AgentConfig config = AgentConfig.read(new ConfigSource(Map.of("nullspend.base-url", "http://127.0.0.1:8080",
                "nullspend.proxy-url", "https://proxy.example.com", "nullspend.ledger", "off"), Map.of(), Map.of(), Map.of(), "test"));
        return new AgentRuntime(config, Providers.defaults(), PriceTable.bundled(), reporter, Guard.create(config, null),
                null, null, null, null);
    }

    private static boolean may(AgentRuntime rt, String method, String url) {
        return LlmCalls.mayBeLlmCall(rt, method, URI.create(url), Headers.NONE);
    }

    @Test
    void postsToAProviderPathOnAnyHostAndToTheProxyAreHeld() throws Exception {
        AgentRuntime rt = runtime();

        assertThat(may(rt, "POST", "https://api.openai.com/v1/chat/completions")).isTrue();
        assertThat(may(rt, "POST", "http://127.0.0.1:9/v1/chat/completions")).as("a gateway: its body decides").isTrue();
        assertThat(may(rt, "POST", "https://api.anthropic.com/v1/messages")).isTrue();
        assertThat(may(rt, "POST", "https://proxy.example.com/anything")).as("the NullSpend proxy").isTrue();
    }

    @Test
    void otherPathsGetsAndTheAgentsOwnApiAreNot() throws Exception {
        AgentRuntime rt = runtime();

        assertThat(may(rt, "POST", "http://127.0.0.1:9/upload")).isFalse();
        assertThat(may(rt, "GET", "https://api.openai.com/v1/chat/completions")).isFalse();
        assertThat(may(rt, "POST", "http://127.0.0.1:8080/v1/chat/completions")).as("nullspend.base-url's origin").isFalse();
    }

    @Test
    void whileTheAgentStartsEveryPostMayBeOne() {
        assertThat(may(null, "POST", "http://127.0.0.1:9/upload")).isTrue();
        assertThat(may(null, "GET", "http://127.0.0.1:9/v1/chat/completions")).isFalse();
    }
}
