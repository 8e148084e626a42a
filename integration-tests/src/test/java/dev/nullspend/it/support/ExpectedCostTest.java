package dev.nullspend.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.fake.FakeUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/** The ITs' price oracle against the contract's vectors (docs/providers/cost-vectors.md), so a wrong oracle cannot hide an agent bug. */
class ExpectedCostTest {

    /** Each row: a chat's model and usage, its exact cost in µ$ (total, then input, cached, output, reasoning), and why. */
    @ParameterizedTest(name = "{0} {1}-{2}-{3}-{4}: {10}")
    @CsvFileSource(resources = "/support/expected-costs.csv", delimiter = '|', numLinesToSkip = 1)
    void pricesAChat(String model, long prompt, long cachedTokens, long completion, long reasoningTokens, long total,
                     long input, long cached, long output, long reasoning, String why) {
        assertThat(ExpectedCost.openAiChat(model, new FakeUsage(prompt, cachedTokens, completion, reasoningTokens))).as(why)
                .isEqualTo(new ExpectedCost(total, input, cached, output, reasoning));
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
}
