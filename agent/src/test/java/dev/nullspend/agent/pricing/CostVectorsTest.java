package dev.nullspend.agent.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.provider.Usage;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The cost vectors of docs/providers/cost-vectors.md, priced through the bundled table. Usage built per docs/providers/README.md#normalisation. */
class CostVectorsTest {
    private static final PriceTable TABLE = PriceTable.bundled();

    /** OpenAI: prompt includes cached; completion includes reasoning. */
    static Usage openai(long prompt, long cached, long completion, long reasoning) {
        return new Usage(prompt - cached, cached, 0, 0, completion, reasoning, null);
    }

    /** Anthropic: input, cache read and cache writes are already disjoint. */
    static Usage anthropic(long input, long cacheRead, long write5m, long write1h, long output) {
        return new Usage(input, cacheRead, write5m, write1h, output, 0, null);
    }

    /** Gemini: prompt includes cached; thoughts are outside candidates and billed as output. */
    static Usage gemini(long prompt, long cached, long candidates, long thoughts) {
        return new Usage(prompt - cached, cached, 0, 0, candidates + thoughts, thoughts, null);
    }

    static Stream<Arguments> vectors() {
        return Stream.of(
                Arguments.of(1, "openai", "gpt-4o-mini-2024-07-18", openai(22, 0, 3, 0), 5),
                Arguments.of(2, "openai", "gpt-4o", openai(2006, 1920, 300, 0), 5_615),
                Arguments.of(3, "openai", "gpt-4o", openai(1000, 200, 500, 0), 7_250),
                Arguments.of(4, "openai", "gpt-4o", openai(1000, 0, 500, 0), 7_500),
                Arguments.of(5, "openai", "gpt-4o", openai(1000, 400, 500, 0), 7_000),
                Arguments.of(6, "openai", "o3", openai(1000, 0, 500, 200), 6_000),
                Arguments.of(7, "anthropic", "claude-3-7-sonnet-20250219", anthropic(3, 0, 12_304, 0, 550), 54_399),
                Arguments.of(8, "anthropic", "claude-sonnet-4-5", anthropic(5000, 1000, 0, 0, 2000), 45_300),
                Arguments.of(9, "anthropic", "claude-sonnet-4-5", anthropic(100, 0, 4000, 6000, 200), 54_300),
                Arguments.of(10, "anthropic", "claude-sonnet-4-5", anthropic(150_000, 60_000, 0, 0, 1000), 958_500),
                Arguments.of(11, "anthropic", "claude-sonnet-4-5", anthropic(1000, 0, 0, 0, 500), 10_500),
                Arguments.of(12, "anthropic", "claude-sonnet-4-5", anthropic(1000, 300, 0, 0, 500), 10_590),
                Arguments.of(13, "anthropic", "claude-sonnet-4-5", anthropic(1000, 0, 2000, 0, 500), 18_000),
                Arguments.of(14, "anthropic", "claude-sonnet-4-5", anthropic(1000, 0, 2000, 1000, 500), 24_000),
                Arguments.of(15, "anthropic", "claude-sonnet-4-5", anthropic(200_000, 0, 0, 0, 100), 601_500),
                Arguments.of(16, "anthropic", "claude-sonnet-4-5", anthropic(200_001, 0, 0, 0, 1000), 1_222_506),
                Arguments.of(17, "google", "gemini-2.5-pro", gemini(55_021, 0, 923, 785), 85_856),
                Arguments.of(18, "google", "gemini-2.5-flash", gemini(8, 0, 2, 98), 252),
                Arguments.of(19, "google", "gemini-2.5-flash", gemini(10_000, 8_000, 100, 0), 1_090),
                Arguments.of(20, "openai", "text-embedding-3-small", openai(1_000_000, 0, 0, 0), 20_000),
                Arguments.of(21, "openai", "gpt-5-nano", openai(1_100, 1_000, 10, 0), 14),
                Arguments.of(22, "google", "gemini-2.0-flash-lite", gemini(1_000, 1_000, 0, 0), 19));
    }

    @ParameterizedTest(name = "#{0} {2}")
    @MethodSource("vectors")
    void pricesTheVector(int number, String provider, String model, Usage usage, long expectedMicros) {
        ModelPrice price = TABLE.resolve(provider, model, null);
        assertThat(price).as("price of %s", model).isNotNull();

        Cost cost = CostCalculator.cost(price, usage);

        assertThat(cost.totalMicros()).isEqualTo(expectedMicros);
        assertThat(cost.itemised()).isTrue();
    }

    /**
     * Vectors whose breakdown says more than the total: #5 input, cached and output; #6 reasoning inside the output
     * without adding to it; #2 cached tokens only at the cached rate; #7 cache writes as cached, not input.
     */
    static Stream<Arguments> breakdowns() {
        return Stream.of(
                Arguments.of(5, "openai", "gpt-4o", openai(1000, 400, 500, 0), new Cost(7_000, 1_500, 5_000, 500, 0)),
                Arguments.of(6, "openai", "o3", openai(1000, 0, 500, 200), new Cost(6_000, 2_000, 4_000, 0, 1_600)),
                Arguments.of(2, "openai", "gpt-4o", openai(2006, 1920, 300, 0), new Cost(5_615, 215, 3_000, 2_400, 0)),
                Arguments.of(7, "anthropic", "claude-3-7-sonnet-20250219", anthropic(3, 0, 12_304, 0, 550),
                        new Cost(54_399, 9, 8_250, 46_140, 0)));
    }

    @ParameterizedTest(name = "#{0} {2}")
    @MethodSource("breakdowns")
    void breaksTheVectorDown(int number, String provider, String model, Usage usage, Cost expected) {
        assertThat(CostCalculator.cost(TABLE.resolve(provider, model, null), usage)).isEqualTo(expected);
    }

    @Test
    void vector23ProviderReportedCostWinsAndNeedsNoPrice() {
        Usage usage = new Usage(100, 0, 0, 0, 20, 0, 27L);

        assertThat(CostCalculator.cost(TABLE.resolve("openrouter", "openai/gpt-4o-mini", null), usage).totalMicros())
                .isEqualTo(27);
        assertThat(CostCalculator.cost(null, usage)).isEqualTo(new Cost(27, 0, 0, 0, 0));
        assertThat(CostCalculator.cost(null, usage).itemised()).isFalse();
    }

    @Test
    void vector25UnknownModelCostsZeroAndReservesOneDollar() {
        ModelPrice price = TABLE.resolve("openai", "my-fine-llama", null);

        assertThat(price).isNull();
        assertThat(CostCalculator.cost(price, openai(1000, 0, 500, 0))).isEqualTo(Cost.ZERO);
        assertThat(CostEstimator.estimateMicros(price, 2_000, 500L)).isEqualTo(1_000_000);
    }
}
