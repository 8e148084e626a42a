package dev.nullspend.agent.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.provider.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostCalculatorTest {
    private static final PriceTable TABLE = PriceTable.bundled();

    private static ModelPrice testPrice(Rates rates) {
        return new ModelPrice("test", "m", List.of(), rates, List.of(), null, "test", "2026");
    }

    @Test
    void absentCachedPriceBillsCachedTokensAtTheInputRate() {
        ModelPrice snapshot = TABLE.resolve("openai", "gpt-4o-2024-05-13", null);

        assertThat(snapshot.cachedInput()).isEqualTo(snapshot.input()).isEqualTo(5_000_000);
        // 600 uncached + 400 cached, all at 5.00 $/MTok
        assertThat(CostCalculator.cost(snapshot, new Usage(600, 400, 0, 0, 0, 0, null)).totalMicros())
                .isEqualTo(5_000);
    }

    @Test
    void absentCacheWritePricesBillWrittenTokensAtTheInputRate() {
        ModelPrice flash = TABLE.resolve("google", "gemini-2.5-flash", null);

        assertThat(flash.cacheWrite5m()).isEqualTo(flash.cacheWrite1h()).isEqualTo(flash.input());
    }

    @Test
    void residualGoesToTheLargestPart() {
        // input 0.5 µ$ rounds to 1, output 2.5 rounds to 3; the total 3.0 is 3: output gives back 1
        ModelPrice price = testPrice(new Rates(500_000, 500_000, 500_000, 500_000, 2_500_000));

        assertThat(CostCalculator.cost(price, Usage.of(1, 1))).isEqualTo(new Cost(3, 1, 2, 0, 0));
    }

    @Test
    void residualTieBetweenInputAndCachedGoesToInput() {
        // 0.5 µ$ uncached + 0.5 µ$ cached: parts round to 1 + 1, the total is 1
        ModelPrice price = testPrice(new Rates(500_000, 500_000, 0, 0, 0));

        assertThat(CostCalculator.cost(price, new Usage(1, 1, 0, 0, 0, 0, null))).isEqualTo(new Cost(1, 0, 0, 1, 0));
    }

    @Test
    void roundsOnceForTheWholeEventNotPerPart() {
        // 0.4 + 0.4 + 0.4 µ$ = 1.2 → 1; rounding each part first would give 0 + 0 + 0
        ModelPrice price = testPrice(new Rates(400_000, 400_000, 0, 0, 400_000));

        assertThat(CostCalculator.cost(price, new Usage(1, 1, 0, 0, 1, 0, null))).isEqualTo(new Cost(1, 0, 1, 0, 0));
    }

    @Test
    void anthropicTierCountsCacheWritesAndReads() {
        ModelPrice sonnet4 = TABLE.resolve("anthropic", "claude-sonnet-4-20250514", null);
        // 100,000 uncached + 100,001 written = 200,001 total input: long-context rates for every token
        Usage usage = new Usage(100_000, 0, 100_001, 0, 0, 0, null);

        assertThat(CostCalculator.cost(sonnet4, usage).totalMicros()).isEqualTo(600_000 + 750_008);
    }

    @Test
    void geminiTierCountsThePromptIncludingCachedTokens() {
        ModelPrice pro = TABLE.resolve("google", "gemini-2.5-pro", null);

        // prompt exactly 200,000 (100,000 cached): base rates 1.25 / 0.125
        assertThat(CostCalculator.cost(pro, CostVectorsTest.gemini(200_000, 100_000, 0, 0)).totalMicros())
                .isEqualTo(125_000 + 12_500);
        // prompt 200,001: 2.50 / 0.25 for every token
        assertThat(CostCalculator.cost(pro, CostVectorsTest.gemini(200_001, 100_000, 0, 0)).totalMicros())
                .isEqualTo(275_003);
    }

    @Test
    void tierWithoutCachedPriceBillsCachedAtTheTierInputRate() {
        ModelPrice gemini3 = TABLE.resolve("google", "gemini-3-pro-preview", null);

        assertThat(CostCalculator.cost(gemini3, CostVectorsTest.gemini(300_000, 100_000, 0, 0)).totalMicros())
                .isEqualTo(1_200_000);
    }

    @Test
    void geminiOneFiveTierStartsAbove128k() {
        ModelPrice flash15 = TABLE.resolve("google", "gemini-1.5-flash", null);

        assertThat(CostCalculator.cost(flash15, Usage.of(128_000, 0)).totalMicros()).isEqualTo(9_600);
        assertThat(CostCalculator.cost(flash15, Usage.of(128_001, 0)).totalMicros()).isEqualTo(19_200);
    }

    @Test
    void overflowingLongFallsBackToExactArithmetic() {
        ModelPrice o1Pro = TABLE.resolve("openai", "o1-pro", null);
        // 10^13 tokens × 150,000,000 µ$/MTok = 1.5 × 10^21 picodollars, beyond Long.MAX_VALUE
        Cost cost = CostCalculator.cost(o1Pro, Usage.of(10_000_000_000_000L, 1));

        assertThat(cost.totalMicros()).isEqualTo(1_500_000_000_000_600L);
        assertThat(cost.inputMicros()).isEqualTo(1_500_000_000_000_000L);
        assertThat(cost.outputMicros()).isEqualTo(600);
    }

    @Test
    void negativeReportedCostCountsAsZero() {
        assertThat(CostCalculator.cost(null, new Usage(1, 0, 0, 0, 1, 0, -5L)).totalMicros()).isZero();
    }
}
