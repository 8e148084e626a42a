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
 * Whether a request could be tracked, from method, URI and headers alone (for a client that must hold
 * a streamed body back before the call can be decided): never reads the body, so a request only its
 * body could make an LLM call counts as possible; the agent's own API and other paths do not.
 */
class MayTrackTest {
    private final Reporter reporter = Reporter.start(List.of());

    @AfterEach
    void stop() {
        reporter.shutdown();
    }

    private AgentRuntime runtime(Map<String, String> settings) throws Exception {
        AgentConfig config = AgentConfig.read(new ConfigSource(settings, Map.of(), Map.of(), Map.of(), "test"));
        return new AgentRuntime(config, Providers.defaults(), PriceTable.bundled(), reporter, Guard.create(config, null),
                null, null, null, null);
    }

    private static boolean mayTrack(AgentRuntime rt, String method, String url) {
        return LlmCalls.mayTrack(rt, method, URI.create(url), Headers.NONE);
    }

    @Test
    void llmPathsOnAnyHostMayBeTrackedOtherPathsAndMethodsNot() throws Exception {
        AgentRuntime rt = runtime(Map.of("nullspend.base-url", "http://127.0.0.1:8080", "nullspend.ledger", "off"));

        assertThat(mayTrack(rt, "POST", "https://api.openai.com/v1/chat/completions")).as("known host").isTrue();
        assertThat(mayTrack(rt, "POST", "http://10.0.0.7:8000/v1/chat/completions")).as("only the body can tell").isTrue();
        assertThat(mayTrack(rt, "POST", "https://api.anthropic.com/v1/messages")).isTrue();
        assertThat(mayTrack(rt, "POST", "https://example.com/upload")).as("another path").isFalse();
        assertThat(mayTrack(rt, "GET", "https://api.openai.com/v1/chat/completions")).as("not a POST").isFalse();
        assertThat(mayTrack(rt, "POST", "http://127.0.0.1:8080/v1/chat/completions")).as("the agent's own API").isFalse();
    }

    @Test
    void everyCallToTheNullSpendProxyMayBeTracked() throws Exception {
        AgentRuntime rt = runtime(Map.of("nullspend.proxy-url", "https://proxy.example.com/", "nullspend.ledger", "off"));

        assertThat(mayTrack(rt, "POST", "https://proxy.example.com/any/path")).isTrue();
        assertThat(mayTrack(rt, "POST", "https://example.com/any/path")).isFalse();
    }
}
