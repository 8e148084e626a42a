package dev.nullspend.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.ProviderHosts;
import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.anthropic.AnthropicMessagesApi;
import dev.nullspend.agent.provider.anthropic.AnthropicSseParser;
import dev.nullspend.agent.report.Reporter;
import dev.nullspend.api.Attribution;
import dev.nullspend.api.CostEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A call that ends without its full usage still gives one event, exact where the usage seen allows it
 * and estimated otherwise (issue #4): an Anthropic stream cut after {@code message_start} keeps its exact
 * input and cache tokens and is billed the estimate's output tokens, tagged {@code _ns_estimated}.
 */
class CostEventsTest {

    /** docs/providers/cost-vectors.md #7's usage as a cut stream's {@code message_start} carries it: a placeholder output of 1. */
    private static final Usage CUT_AFTER_START = new Usage(3, 0, 12_304, 0, 1, 0, null);

    private final Reporter reporter = Reporter.start(List.of());
    private AgentRuntime runtime;

    @BeforeEach
    void start() throws Exception {
        runtime = TestRuntimes.withoutLedger(reporter, Map.of());
    }

    @AfterEach
    void stop() {
        reporter.shutdown();
    }

    private static LlmRequest anthropic(String model, Long maxTokens) {
        return new LlmRequest(new AnthropicMessagesApi(ProviderHosts.BUILT_IN), "anthropic", AnthropicMessagesApi.ENDPOINT, model, true,
                maxTokens, 400, null);
    }

    private CostEvent event(LlmRequest request, Usage usage, boolean outputCounted, boolean cutShort) {
        return CostEvents.llm(runtime, request, Attribution.current(), usage, outputCounted, null, 5, cutShort, Map.of());
    }

    @Test
    void aStreamCutBeforeItsOutputCountIsBilledExactInputAndTheRequestsOutputCap() {
        CostEvent e = event(anthropic("claude-3-7-sonnet", 1024L), CUT_AFTER_START, false, true);

        assertThat(e.inputTokens()).isEqualTo(12_307);
        assertThat(e.cachedInputTokens()).isZero();
        assertThat(e.outputTokens()).as("max_tokens, not the placeholder 1").isEqualTo(1024);
        // 3 × 3 + 12,304 × 3.75 + 1,024 × 15 = 9 + 46,140 + 15,360
        assertThat(e.costMicrodollars()).isEqualTo(61_509);
        assertThat(e.costBreakdown()).isEqualTo(new CostEvent.Breakdown(9, 15_360, 46_140, 0));
        assertThat(e.tags()).containsExactlyInAnyOrderEntriesOf(Map.of("_ns_estimated", "true", "_ns_cancelled", "true"));
    }

    @Test
    void withoutAnOutputCapTheModelsCapIsBilled() {
        CostEvent e = event(anthropic("claude-sonnet-4-5", null), Usage.of(25, 1), false, false);

        assertThat(e.outputTokens()).as("claude-sonnet-4-5's maxOutputTokens").isEqualTo(64_000);
        // 25 × 3 + 64,000 × 15
        assertThat(e.costMicrodollars()).isEqualTo(960_075);
        assertThat(e.tags()).as("ended, not cut: only estimated").containsExactly(Map.entry("_ns_estimated", "true"));
    }

    @Test
    void anOutputAboveTheCapIsNeverLowered() {
        CostEvent e = event(anthropic("claude-sonnet-4-5", 10L), Usage.of(25, 40), false, true);

        assertThat(e.outputTokens()).isEqualTo(40);
        assertThat(e.costMicrodollars()).isEqualTo(25 * 3 + 40 * 15);
    }

    @Test
    void anUnknownModelKeepsTheEstimatedOutputAndIsUnpriced() {
        CostEvent e = event(anthropic("claude-unknown", 512L), Usage.of(25, 1), false, true);

        assertThat(e.outputTokens()).isEqualTo(512);
        assertThat(e.costMicrodollars()).isZero();
        assertThat(e.tags()).containsEntry("_ns_estimated", "true").containsEntry("_ns_unpriced", "true");
    }

    @Test
    void aCountedOutputIsExactAndUntagged() {
        CostEvent e = event(anthropic("claude-sonnet-4-5", 1024L), Usage.of(1000, 500), true, false);

        assertThat(e.outputTokens()).isEqualTo(500);
        assertThat(e.costMicrodollars()).isEqualTo(10_500);
        assertThat(e.tags()).isEmpty();
    }

    /** From the parser to the event: a real cut stream. */
    @Test
    void aCutAnthropicStreamGoesFromParserToEstimatedEvent() {
        String cut = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"usage\":{\"input_tokens\":25,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n";
        AnthropicSseParser parser = new AnthropicSseParser();
        parser.feed(ByteBuffer.wrap(cut.getBytes(StandardCharsets.UTF_8)));
        parser.end();

        CostEvent e = event(anthropic("claude-sonnet-4-5", 100L), parser.usage(), parser.outputCounted(), true);

        assertThat(e.inputTokens()).isEqualTo(25);
        assertThat(e.outputTokens()).isEqualTo(100);
        assertThat(e.costMicrodollars()).isEqualTo(25 * 3 + 100 * 15);
        assertThat(e.tags()).containsEntry("_ns_estimated", "true").containsEntry("_ns_cancelled", "true");
    }
}
