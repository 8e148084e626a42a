package dev.nullspend.agent.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.ConfigSource;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.guard.Guard;
import dev.nullspend.agent.pricing.PriceTable;
import dev.nullspend.agent.provider.Providers;
import dev.nullspend.agent.report.Reporter;
import dev.nullspend.api.NullSpendException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LlmCalls#isCandidate}, the early decision every adapter asks before it makes anything for a
 * request, agrees with what {@link LlmCalls#begin} does: on a table of requests (known hosts, custom
 * hosts, the proxy, the agent's own API, unknown hosts on API paths, other paths on known hosts, while
 * the agent starts) it says "no" exactly for those {@code begin} leaves alone, and never for one it
 * tracks. Every request carries a body that any API's shape check accepts, so that only method, host
 * and path decide.
 */
class IsCandidateTest {
    /** A body every API on an unknown host recognises by its shape (chat, responses, messages, Gemini). */
    private static final byte[] BODY = ("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
            + "\"input\":\"hi\",\"prompt\":\"hi\",\"max_tokens\":16,\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}")
            .getBytes(StandardCharsets.UTF_8);

    private final Reporter reporter = Reporter.start(List.of());

    @AfterEach
    void stop() {
        reporter.shutdown();
    }

    private static AgentConfig config(Map<String, String> settings) {
        Map<String, String> properties = new HashMap<>(settings);
        properties.put("nullspend.ledger", "off");
        properties.put("nullspend.base-url", "https://ns.example.com");
        properties.put("nullspend.providers.extra-hosts", "openai=llm.corp:8443,anthropic=claude.corp");
        return AgentConfig.read(new ConfigSource(properties, Map.of(), Map.of(), Map.of(), "test"));
    }

    private AgentRuntime runtime(Map<String, String> settings) {
        AgentConfig config = config(settings);
        return new AgentRuntime(config, Providers.of(config.extraHosts, List.of()), PriceTable.bundled(), reporter,
                Guard.create(config, null), null, null, null, null);
    }

    /** {@link LlmCalls#begin}'s decision for a runtime, without admission: own traffic no, proxy yes, else recognition. */
    private static boolean tracked(AgentRuntime rt, String method, String url) {
        Exchange exchange = new Exchange(method, URI.create(url), null, BODY, BODY.length);
        return !rt.isOwnTraffic(exchange.uri()) && (rt.isProxied(exchange.uri()) || rt.recognize(exchange) != null);
    }

    /** The early decision as the JDK client's adapter asks it, from the URI's fields. */
    private static boolean candidate(CallTargets targets, String method, String url) {
        URI uri = URI.create(url);
        return targets.isCandidate(method, uri.getHost(), uri.getRawPath());
    }

    @Test
    void theEarlyDecisionSaysNoExactlyForTheCallsBeginLeavesAlone() {
        AgentRuntime rt = runtime(Map.of());
        Object[][] table = {
                // method, URL, tracked by begin, candidate
                {"POST", "https://api.openai.com/v1/chat/completions", true, true},
                {"post", "https://api.openai.com/v1/chat/completions/", true, true},
                {"POST", "https://api.anthropic.com/v1/messages", true, true},
                {"POST", "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent", true, true},
                {"POST", "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash%3AstreamGenerateContent", true, true},
                {"POST", "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse", true, true},
                {"POST", "http://localhost:11434/api/chat", true, true},
                {"POST", "https://llm.corp:8443/v1/chat/completions", true, true},
                {"POST", "https://claude.corp/v1/messages", true, true},
                // Unknown hosts on an API path: tracked by the body's shape.
                {"POST", "http://10.0.0.7:8000/v1/chat/completions", true, true},
                {"POST", "http://10.0.0.7:8000/v1/responses", true, true},
                {"POST", "http://10.0.0.7:8000/v1beta/models/gemini-pro:generateContent", true, true},
                // Paths only known hosts make calls: possible by the path alone, left alone by begin.
                {"POST", "http://10.0.0.7:8000/api/chat", false, true},
                {"POST", "http://10.0.0.7:8000/model/x/converse", false, true},
                // The agent's own API: possible by its path, left alone by begin.
                {"POST", "https://ns.example.com/v1/chat/completions", false, true},
                // Surely no LLM call.
                {"GET", "https://api.openai.com/v1/chat/completions", false, false},
                {"GET", "https://cdn.example.com/assets/data.bin", false, false},
                {"POST", "https://api.openai.com/v1/files", false, false},
                {"POST", "https://api.openai.com/v1/chat/completions/abc/cancel", false, false},
                {"POST", "https://example.com/upload", false, false},
                {"POST", "https://generativelanguage.googleapis.com/v1beta/models/a/b:generateContent", false, false},
                {"POST", "https://generativelanguage.googleapis.com/v1beta/models/:generateContent", false, false},
                {"POST", "https://bedrock-runtime.us-east-1.amazonaws.com/model/converse", false, false},
                {"POST", "https://bedrock-runtime.us-east-1.amazonaws.com/model/x/conversation", false, false},
                {"PUT", "https://ns.example.com/api/cost-events/batch", false, false},
        };
        for (Object[] row : table) {
            String method = (String) row[0];
            String url = (String) row[1];
            assertThat(tracked(rt, method, url)).as("begin tracks %s %s", method, url).isEqualTo(row[2]);
            assertThat(candidate(rt.targets(), method, url)).as("candidate %s %s", method, url).isEqualTo(row[3]);
        }
    }

    @Test
    void everyCallToTheProxysHostIsACandidateWhateverItsPathAndPort() {
        AgentRuntime rt = runtime(Map.of("nullspend.proxy-url", "https://proxy.example.com/"));
        CallTargets targets = rt.targets();

        assertThat(tracked(rt, "GET", "https://proxy.example.com/v1/models")).isTrue();
        assertThat(targets.isCandidate("GET", "proxy.example.com", "/v1/models")).isTrue();
        assertThat(targets.isCandidate("GET", "Proxy.Example.com:443", "/v1/models")).as("a Host header").isTrue();
        assertThat(targets.isCandidate("GET", null, "/v1/models")).as("host unknown").isTrue();
        assertThat(targets.isCandidate("GET", "proxy.example.community", "/v1/models")).isFalse();
        assertThat(targets.isCandidate("GET", "cdn.example.com", "/v1/models")).isFalse();

        AgentRuntime v6 = runtime(Map.of("nullspend.proxy-url", "http://[::1]:8080"));
        assertThat(tracked(v6, "GET", "http://[::1]:8080/v1/models")).isTrue();
        assertThat(v6.targets().isCandidate("GET", "::1", "/v1/models")).as("OkHttp's host: no brackets").isTrue();
        assertThat(v6.targets().isCandidate("GET", "[::1]:8080", "/v1/models")).as("a Host header").isTrue();
        assertThat(v6.targets().isCandidate("GET", "::2", "/v1/models")).isFalse();
    }

    @Test
    void targetsAreReadAsClientsHoldThemWithQueryOrAbsoluteAndOtherFormsArePossible() {
        CallTargets targets = runtime(Map.of()).targets();

        assertThat(targets.isCandidate("POST", "h", "/v1/chat/completions?api-version=2024-06-01")).isTrue();
        assertThat(targets.isCandidate("POST", "h", "http://h:8080/v1/chat/completions?x=1#f")).as("OkHttp's URL").isTrue();
        assertThat(targets.isCandidate("POST", "h", "https://h/v1/messages")).isTrue();
        assertThat(targets.isCandidate("POST", "h", "/upload?next=/v1/chat/completions")).as("the query is no path").isFalse();
        assertThat(targets.isCandidate("POST", "h", "http://h?to=/v1/chat/completions")).as("no path").isFalse();
        assertThat(targets.isCandidate("POST", "h", "http://h/upload")).isFalse();
        assertThat(targets.isCandidate("POST", "h", "")).isFalse();
        assertThat(targets.isCandidate("POST", "h", "model/x/converse")).as("relative: could be anything").isTrue();
        assertThat(targets.isCandidate("POST", "h", null)).as("unknown: could be anything").isTrue();
    }

    /** While the agent starts, {@code begin} waits for (here: denies, fail-mode closed) exactly the candidates it would track. */
    @Test
    void whileTheAgentStartsTheStartsOwnTargetsDecideAndAgreeWithBegin() {
        AgentStartup startup = new AgentStartup(config(Map.of("nullspend.fail-mode", "closed",
                "nullspend.startup.wait-ms", "0", "nullspend.proxy-url", "https://proxy.example.com")), System.nanoTime());
        CallTargets targets = startup.targets();

        for (String url : new String[] {"https://api.openai.com/v1/chat/completions", "http://10.0.0.7/v1/messages",
                "https://llm.corp:8443/v1/embeddings", "https://proxy.example.com/anything"}) {
            assertThatThrownBy(() -> startup.runtimeFor(new Exchange("POST", URI.create(url), null, BODY, BODY.length)))
                    .as(url).isInstanceOf(NullSpendException.class);
            assertThat(candidate(targets, "POST", url)).as(url).isTrue();
        }
        for (String url : new String[] {"https://cdn.example.com/assets/data.bin", "https://api.openai.com/v1/files"}) {
            assertThat(startup.runtimeFor(new Exchange("POST", URI.create(url), null, BODY, BODY.length))).as(url).isNull();
            assertThat(candidate(targets, "POST", url)).as(url).isFalse();
        }
    }
}
