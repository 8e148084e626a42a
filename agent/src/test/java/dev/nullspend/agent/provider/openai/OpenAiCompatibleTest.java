package dev.nullspend.agent.provider.openai;

import static dev.nullspend.agent.provider.Feeding.assertSameAtRandomSplits;
import static dev.nullspend.agent.provider.Feeding.parse;
import static dev.nullspend.agent.provider.TestExchanges.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.pricing.Cost;
import dev.nullspend.agent.pricing.CostCalculator;
import dev.nullspend.agent.pricing.PriceTable;
import dev.nullspend.agent.provider.Feeding;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.Providers;
import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageParser;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * OpenAI-compatible vendors by host (docs/providers/compatible.md): Groq, DeepSeek, OpenRouter; their recorded
 * answers (Groq's and Mistral's streams, DeepSeek's cache counts, Ollama's /v1) are fixtures of {@code ProviderFixturesTest}.
 */
class OpenAiCompatibleTest {

    private static final Providers PROVIDERS = Providers.defaults();
    private static final PriceTable PRICES = PriceTable.bundled();
    private static final byte[] GROQ_STREAM = Feeding.resource("/providers/compatible/groq-stream.sse");

    private static LlmRequest chat(String url, String model, boolean stream) {
        return PROVIDERS.recognize(post(url, "{\"model\":\"" + model + "\",\"messages\":[],\"stream\":" + stream + "}"));
    }

    @Test
    void groqUsageUnderXGroqOnTheLastChunk() {
        LlmRequest r = chat("https://api.groq.com/openai/v1/chat/completions", "llama-3.1-8b-instant", true);
        assertThat(r.provider()).isEqualTo("groq");
        Usage expected = Usage.of(12, 40);
        assertThat(parse(r.newParser("text/event-stream"), GROQ_STREAM).usage()).isEqualTo(expected);
        assertThat(assertSameAtRandomSplits(GROQ_STREAM, 300, () -> r.newParser("text/event-stream"), expected,
                "llama-3.1-8b-instant")).isEqualTo(300);
    }

    @Test
    void groqStandardUsageWinsOverXGroq() {
        LlmRequest r = chat("https://api.groq.com/openai/v1/chat/completions", "llama-3.1-8b-instant", true);
        UsageParser p = parse(r.newParser("text/event-stream"),
                "data: {\"model\":\"llama-3.1-8b-instant\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":40},"
                        + "\"x_groq\":{\"usage\":{\"prompt_tokens\":99,\"completion_tokens\":99}}}\n\n");
        assertThat(p.usage()).isEqualTo(Usage.of(12, 40));
    }

    @Test
    void deepSeekNewerFieldsAgreeAndHitMissWin() {
        LlmRequest r = chat("https://api.deepseek.com/v1/chat/completions", "deepseek-chat", false);
        UsageParser p = parse(r.newParser("application/json"), "{\"usage\":{\"prompt_tokens\":1200,\"completion_tokens\":300,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":1000},\"prompt_cache_hit_tokens\":1000,"
                + "\"prompt_cache_miss_tokens\":200}}");
        assertThat(p.usage()).isEqualTo(new Usage(200, 1000, 0, 0, 300, 0, null));
    }

    @Test
    void openRouterReportedCostIsExact() {
        LlmRequest r = chat("https://openrouter.ai/api/v1/chat/completions", "openai/gpt-4o-mini", false);
        assertThat(r.provider()).isEqualTo("openrouter");
        UsageParser p = parse(r.newParser("application/json"), "{\"id\":\"gen-1\",\"model\":\"openai/gpt-4o-mini\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":20,\"total_tokens\":120,\"cost\":0.000027,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"cache_write_tokens\":0,\"audio_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":0}}}");
        assertThat(p.usage()).isEqualTo(new Usage(100, 0, 0, 0, 20, 0, 27L));
        // Vector #23: the reported cost wins, with or without a local price.
        Cost cost = CostCalculator.cost(PRICES.resolve(r.provider(), r.model(), p.responseModel()), p.usage());
        assertThat(cost.totalMicros()).isEqualTo(27);
        assertThat(CostCalculator.cost(null, p.usage()).totalMicros()).isEqualTo(27);
    }

    @Test
    void openRouterStreamAlwaysEndsWithUsageAndCost() {
        LlmRequest r = chat("https://openrouter.ai/api/v1/chat/completions", "anthropic/claude-sonnet-4.5", true);
        UsageParser p = parse(r.newParser("text/event-stream"),
                ": OPENROUTER PROCESSING\n\n"
                        + "data: {\"id\":\"gen-2\",\"model\":\"anthropic/claude-sonnet-4.5\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"
                        + "data: {\"id\":\"gen-2\",\"model\":\"anthropic/claude-sonnet-4.5\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":500,\"total_tokens\":1500,\"cost\":0.0105}}\n\n"
                        + "data: [DONE]\n\n");
        assertThat(p.usage()).isEqualTo(new Usage(1000, 0, 0, 0, 500, 0, 10_500L));
    }

    @Test
    void reportedCostRoundsHalfUpFromTheDecimalText() {
        assertThat(OpenAiUsage.micros(new BigDecimal("0.000027"))).isEqualTo(27L);
        assertThat(OpenAiUsage.micros(new BigDecimal("0.0000275"))).isEqualTo(28L);
        assertThat(OpenAiUsage.micros(new BigDecimal("0.00002749999999"))).isEqualTo(27L);
        assertThat(OpenAiUsage.micros(new BigDecimal("2.7E-5"))).isEqualTo(27L);
        assertThat(OpenAiUsage.micros(new BigDecimal("0"))).isEqualTo(0L);
        assertThat(OpenAiUsage.micros(new BigDecimal("0.0000005"))).isEqualTo(1L);
        assertThat(OpenAiUsage.micros(new BigDecimal("1E-999999"))).isEqualTo(0L);
        assertThat(OpenAiUsage.micros(new BigDecimal("12.345678"))).isEqualTo(12_345_678L);
        assertThat(OpenAiUsage.micros(new BigDecimal("-0.1"))).isNull();
        assertThat(OpenAiUsage.micros(new BigDecimal("1E+999999"))).isNull();
        assertThat(OpenAiUsage.micros(null)).isNull();
    }

    @Test
    void costIsTrustedFromOpenRouterOnly() {
        String body = "{\"model\":\"gpt-4o-mini\",\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":20,\"cost\":5}}";
        LlmRequest gateway = PROVIDERS.recognize(post("https://gw.example.com/v1/chat/completions",
                "{\"model\":\"gpt-4o-mini\",\"messages\":[]}"));
        assertThat(parse(gateway.newParser("application/json"), body).usage()).isEqualTo(Usage.of(100, 20));
        LlmRequest openRouter = chat("https://openrouter.ai/api/v1/chat/completions", "openai/gpt-4o-mini", false);
        assertThat(parse(openRouter.newParser("application/json"), "{\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":20,"
                + "\"cost\":\"0.000027\"}}").usage().providerReportedCostMicros()).isEqualTo(27L);
        assertThat(parse(openRouter.newParser("application/json"), "{\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":20,"
                + "\"cost\":null}}").usage().providerReportedCostMicros()).isNull();
    }
}
