package dev.nullspend.agent.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** docs/nullspend-api-contract.md#pre-request-estimate: the proxy estimator. */
class CostEstimatorTest {
    private static final PriceTable TABLE = PriceTable.bundled();

    private static long estimate(String provider, String model, long bytes, Long maxTokens) {
        return CostEstimator.estimateMicros(TABLE.resolve(provider, model, null), bytes, maxTokens);
    }

    @Test
    void documentedVector() {
        // 50 in + 16,384 out → (125 + 163,840) × 1.1 = 180,361.5 → 180,362
        assertThat(estimate("openai", "gpt-4o", 200, null)).isEqualTo(180_362);
    }

    @Test
    void unknownModelReservesOneDollar() {
        assertThat(CostEstimator.estimateMicros(null, 200, 100L)).isEqualTo(1_000_000);
    }

    @Test
    void inputTokensRoundUpToWholeTokens() {
        // 201 bytes → 51 tokens: (127.5 + 10) × 1.1 = 151.25
        assertThat(estimate("openai", "gpt-4o", 201, 1L)).isEqualTo(151);
    }

    @Test
    void requestedOutputCapWins() {
        // 400 bytes → 100 tokens: (15 + 600) × 1.1 = 676.5
        assertThat(estimate("openai", "gpt-4o-mini", 400, 1_000L)).isEqualTo(677);
    }

    @Test
    void requestedOutputCapIsClampedToOneMillion() {
        assertThat(estimate("openai", "gpt-4o-mini", 0, 5_000_000L)).isEqualTo(660_000);
    }

    @Test
    void nonPositiveRequestedCapFallsBackToTheModelCap() {
        // o3: 100,000 × 8 × 1.1
        assertThat(estimate("openai", "o3", 0, 0L)).isEqualTo(880_000);
        assertThat(estimate("openai", "o3", 0, -1L)).isEqualTo(880_000);
        // Opus 4.5: 128,000 × 25 × 1.1
        assertThat(estimate("anthropic", "claude-opus-4-5", 0, null)).isEqualTo(3_520_000);
        // Haiku 3: 4,000 × 1.25 × 1.1
        assertThat(estimate("anthropic", "claude-3-haiku-20240307", 0, null)).isEqualTo(5_500);
    }

    @Test
    void modelsWithoutACapUseTheProviderDefault() {
        // Opus 3 has no cap of its own: Anthropic default 64,000 × 75 × 1.1
        assertThat(estimate("anthropic", "claude-3-opus", 0, null)).isEqualTo(5_280_000);
        // Gemini: 65,536 × 2.50 × 1.1
        assertThat(estimate("google", "gemini-2.5-flash", 0, null)).isEqualTo(180_224);
        // o1-pro has none either: OpenAI default 16,384 × 600 × 1.1
        assertThat(estimate("openai", "o1-pro", 0, null)).isEqualTo(10_813_440);
    }

    @Test
    void estimatedInputBeyondTheThresholdUsesTheLongContextTier() {
        // 800,004 bytes → 200,001 tokens > 200,000: (200,001 × 6 + 1 × 22.50) × 1.1 = 1,320,031.35
        assertThat(estimate("anthropic", "claude-sonnet-4-5", 800_004, 1L)).isEqualTo(1_320_031);
        // 800,000 bytes → exactly 200,000 tokens: base rates, (600,000 + 15) × 1.1 = 660,016.5
        assertThat(estimate("anthropic", "claude-sonnet-4-5", 800_000, 1L)).isEqualTo(660_017);
    }

    @Test
    void unknownBodySizeCountsNoInput() {
        assertThat(estimate("openai", "gpt-4o", -1, 100L)).isEqualTo(1_100);
    }
}
