package dev.nullspend.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.fake.FakeUsage;
import org.junit.jupiter.api.Test;

/** The ITs' price oracle against the contract's vectors (docs/providers/cost-vectors.md), so a wrong oracle cannot hide an agent bug. */
class ExpectedCostTest {

    @Test
    void recordedStreamFixtureOnGpt4oMini() {
        assertThat(ExpectedCost.openAiChat("gpt-4o-mini", new FakeUsage(22, 0, 3, 0)))
                .isEqualTo(new ExpectedCost(5, 3, 0, 2, 0));
    }

    @Test
    void cachedInputOnGpt4o() {
        assertThat(ExpectedCost.openAiChat("gpt-4o", new FakeUsage(1000, 400, 500, 0)))
                .isEqualTo(new ExpectedCost(7000, 1500, 500, 5000, 0));
        assertThat(ExpectedCost.openAiChat("gpt-4o", new FakeUsage(2006, 1920, 300, 0)).total()).isEqualTo(5615);
        assertThat(ExpectedCost.openAiChat("gpt-4o", new FakeUsage(1000, 200, 500, 0)).total()).isEqualTo(7250);
    }

    /** docs/nullspend-api-contract.md#pre-request-estimate vector: a 200-byte gpt-4o body with the model's 16,384-token cap → 180,361.5 → 180,362 µ$. */
    @Test
    void estimateVectorOnGpt4o() {
        assertThat(ExpectedCost.openAiEstimate("gpt-4o", 200, 16_384)).isEqualTo(180_362);
        // ⌈201 / 4⌉ = 51 input tokens: (127.5 + 5,000) × 1.1 = 5,640.25 → 5,640
        assertThat(ExpectedCost.openAiEstimate("gpt-4o", 201, 500)).isEqualTo(5_640);
    }

    @Test
    void reasoningIsInsideOutputAndOnlyReportedInTheBreakdown() {
        assertThat(ExpectedCost.openAiChat("o3", new FakeUsage(1000, 0, 500, 200)))
                .isEqualTo(new ExpectedCost(6000, 2000, 0, 4000, 1600));
    }

    @Test
    void oneRoundingForTheTotal() {
        // 11321 × 0.15 + 1024 × 0.075 + 678 × 0.60 = 1698.15 + 76.8 + 406.8 = 2181.75
        assertThat(ExpectedCost.openAiChat("gpt-4o-mini", new FakeUsage(12345, 1024, 678, 0)))
                .isEqualTo(new ExpectedCost(2182, 1698, 77, 407, 0));
    }

    @Test
    void roundingResidualGoesToTheLargestPartSoThePartsSumToTheTotal() {
        // 10 × 0.15 = 1.5 → 2, 20 × 0.075 = 1.5 → 2, 1 × 0.60 = 0.6 → 1: parts 5, total 3.6 → 4; input takes the −1.
        assertThat(ExpectedCost.openAiChat("gpt-4o-mini", new FakeUsage(30, 20, 1, 0)))
                .isEqualTo(new ExpectedCost(4, 1, 2, 1, 0));
    }
}
