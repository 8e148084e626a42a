package dev.nullspend.agent.core;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.ConfigSource;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.Headers;
import dev.nullspend.agent.guard.Guard;
import dev.nullspend.agent.metrics.Metrics;
import dev.nullspend.agent.pricing.PriceTable;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.Providers;
import dev.nullspend.agent.report.Reporter;
import dev.nullspend.api.Attribution;
import dev.nullspend.api.CostEvent;
import dev.nullspend.api.NullSpendException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the core tells the metrics: each finished call with its endpoint, each denial with its code. */
class MetricsHookTest {
    private static final String URL = "https://api.openai.com/v1/chat/completions";

    /** What the core told the metrics, in order. */
    private final List<String> told = new ArrayList<>();
    private final Metrics metrics = new Metrics() {
        @Override
        public void record(CostEvent event, String endpoint) {
            told.add("record " + event.provider() + "/" + event.model() + " " + endpoint + " in=" + event.inputTokens()
                    + " out=" + event.outputTokens() + " cost=" + event.costMicrodollars());
        }

        @Override
        public void denial(String provider, String model, String code) {
            told.add("denial " + provider + "/" + model + " " + code);
        }

        @Override
        public void close() {
            told.add("close");
        }
    };
    private final Reporter reporter = Reporter.start(List.of(), new Reporter.Settings(100, 10,
            java.time.Duration.ofMillis(50)));

    @AfterEach
    void stop() {
        reporter.shutdown();
    }

    private AgentRuntime runtime() {
        AgentConfig config = AgentConfig.read(new ConfigSource(Map.of("nullspend.ledger", "off",
                "nullspend.allowed-models", "gpt-4o", "nullspend.summary", "false"), Map.of(), Map.of(), Map.of(), "test"));
        return new AgentRuntime(config, Providers.defaults(), PriceTable.bundled(), reporter, Guard.create(config, null),
                null, null, null, null, metrics);
    }

    private static LlmRequest request(AgentRuntime rt, String model) {
        byte[] body = ("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        return rt.recognize(new Exchange("POST", URI.create(URL), Headers.NONE, body, body.length));
    }

    @Test
    void aFinishedCallIsRecordedWithItsEndpointAndADenialWithItsCode() {
        AgentRuntime rt = runtime();

        LlmRequest allowed = request(rt, "gpt-4o");
        LlmCall call = new LlmCall(rt, allowed, rt.admit(allowed, Attribution.current()), Attribution.current(), null, false);
        call.onResponse(200, name -> name.equalsIgnoreCase("content-type") ? "application/json" : null);
        call.onBytes(ByteBuffer.wrap(("{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":200,"
                + "\"total_tokens\":1200}}").getBytes(StandardCharsets.UTF_8)));
        call.onComplete();
        LlmRequest denied = request(rt, "gpt-4.1");
        assertThatThrownBy(() -> rt.admit(denied, Attribution.current())).isInstanceOf(NullSpendException.class);
        rt.shutdown();

        // gpt-4o: 1000 × $2.50/MTok + 200 × $10/MTok = 2,500 + 2,000 µ$
        assertThat(told).containsExactly("record openai/gpt-4o chat.completions in=1000 out=200 cost=4500",
                "denial openai/gpt-4.1 mandate_violation", "close");
    }
}
