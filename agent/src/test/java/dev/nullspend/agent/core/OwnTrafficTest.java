package dev.nullspend.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.report.Reporter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's own API requests go to {@code nullspend.base-url}; calls to that origin are never
 * costed, even when they look like LLM calls, so reporting can never produce events of its own.
 */
class OwnTrafficTest {
    private static final byte[] CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
            .getBytes(StandardCharsets.UTF_8);

    private final Reporter reporter = Reporter.start(List.of());

    @AfterEach
    void stop() {
        reporter.shutdown();
    }

    private AgentRuntime runtime(String baseUrl) {
        return TestRuntimes.withoutLedger(reporter, Map.of("nullspend.base-url", baseUrl));
    }

    private static Exchange chat(String url) {
        return new Exchange("POST", URI.create(url), null, CHAT, CHAT.length);
    }

    @Test
    void requestsToTheBaseUrlsOriginAreOwnTrafficWhateverTheirPath() throws Exception {
        AgentRuntime rt = runtime("https://nullspend.dev");

        assertThat(rt.isOwnTraffic(URI.create("https://nullspend.dev/api/cost-events/batch"))).isTrue();
        assertThat(rt.isOwnTraffic(URI.create("https://NullSpend.dev:443/v1/chat/completions"))).isTrue();
        assertThat(rt.isOwnTraffic(URI.create("http://nullspend.dev/api/cost-events/batch"))).as("another scheme").isFalse();
        assertThat(rt.isOwnTraffic(URI.create("https://api.openai.com/v1/chat/completions"))).isFalse();
    }

    @Test
    void aLocalBaseUrlIsMatchedByPortToo() throws Exception {
        AgentRuntime rt = runtime("http://127.0.0.1:8080/");

        assertThat(rt.isOwnTraffic(URI.create("http://127.0.0.1:8080/api/cost-events/batch"))).isTrue();
        assertThat(rt.isOwnTraffic(URI.create("http://127.0.0.1:8081/v1/chat/completions"))).isFalse();
    }

    /** The check comes before recognition: an LLM-shaped request to the API's origin is still left alone. */
    @Test
    void anLlmShapedRequestToTheApisOriginIsNotCosted() throws Exception {
        AgentRuntime rt = runtime("http://127.0.0.1:8080");
        Exchange toApi = chat("http://127.0.0.1:8080/v1/chat/completions");

        assertThat(rt.providers().recognize(toApi)).as("it would be recognised elsewhere").isNotNull();
        assertThat(rt.isOwnTraffic(toApi.uri())).isTrue();
    }

    @Test
    void callsToTheNullSpendProxyAreLeftToTheProxy() throws Exception {
        AgentRuntime rt = TestRuntimes.withoutLedger(reporter, Map.of("nullspend.proxy-url", "https://proxy.example.com/"));

        assertThat(rt.isProxied(URI.create("https://proxy.example.com:443/v1/chat/completions"))).isTrue();
        assertThat(rt.isProxied(URI.create("https://api.openai.com/v1/chat/completions"))).isFalse();
        assertThat(runtime("https://nullspend.dev").isProxied(URI.create("https://proxy.example.com/v1/chat/completions")))
                .as("no proxy configured").isFalse();
    }
}
