package dev.nullspend.agent.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bundled table against docs/pricing.md#price-sheet and docs/nullspend-api-contract.md#pre-request-estimate. */
class BundledPricesTest {
    private static final PriceTable TABLE = PriceTable.bundled();

    private static ModelPrice row(String provider, String model) {
        return TABLE.prices().stream()
                .filter(p -> p.provider().equals(provider) && p.model().equals(model))
                .findFirst().orElseThrow();
    }

    @Test
    void everyRowHasSourceAndCheckedDate() {
        assertThat(TABLE.prices()).allSatisfy(p -> {
            assertThat(p.source()).as(p.model()).isNotBlank();
            assertThat(p.checked()).as(p.model()).matches("\\d{4}(-\\d{2}(-\\d{2})?)?");
            assertThat(p.provider()).isIn("openai", "anthropic", "google", "bedrock");
        });
    }

    @Test
    void holdsEveryPricedRowOfThePriceSheet() {
        assertThat(TABLE.prices()).filteredOn(p -> !p.provider().equals("bedrock"))
                .extracting(ModelPrice::model).containsExactlyInAnyOrder(
                "gpt-4o", "gpt-4o-2024-05-13", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "o1", "o1-pro",
                "o3", "o3-pro", "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-5.1", "gpt-5.2",
                "gpt-5.4", "gpt-5.4-mini", "gpt-5.4-nano", "gpt-5.5",
                "text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002",
                "claude-opus-4-5", "claude-opus-4-6", "claude-opus-4-7", "claude-opus-4", "claude-opus-4-1",
                "claude-sonnet-4", "claude-sonnet-4-5", "claude-sonnet-4-6", "claude-3-7-sonnet", "claude-3-5-sonnet",
                "claude-haiku-4-5", "claude-3-5-haiku", "claude-3-haiku", "claude-3-opus",
                "gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.0-flash",
                "gemini-2.0-flash-lite", "gemini-1.5-pro", "gemini-1.5-flash", "gemini-3-pro-preview",
                "gemini-3.1-pro-preview", "gemini-3-flash-preview");
    }

    /** docs/pricing.md#bedrock: the global profile at Anthropic's rates, the regional endpoints 10 % above on every rate. */
    @Test
    void bedrockClaudeRowsAreAnthropicsRatesOnTheGlobalProfileAndTenPercentMoreElsewhere() {
        List<String> premium = List.of("claude-sonnet-4-5", "claude-sonnet-4-6", "claude-haiku-4-5", "claude-opus-4-5",
                "claude-opus-4-6", "claude-opus-4-7");
        assertThat(TABLE.prices()).filteredOn(p -> p.provider().equals("bedrock")).extracting(ModelPrice::model)
                .containsExactlyInAnyOrder("global.claude-sonnet-4-5", "claude-sonnet-4-5", "global.claude-sonnet-4-6",
                        "claude-sonnet-4-6", "global.claude-haiku-4-5", "claude-haiku-4-5", "global.claude-opus-4-5",
                        "claude-opus-4-5", "global.claude-opus-4-6", "claude-opus-4-6", "global.claude-opus-4-7",
                        "claude-opus-4-7", "amazon.nova-micro", "amazon.nova-lite", "amazon.nova-pro");
        for (String model : premium) {
            ModelPrice anthropic = row("anthropic", model);
            ModelPrice global = row("bedrock", "global." + model);
            ModelPrice regional = row("bedrock", model);
            assertThat(global.rates()).as(model).isEqualTo(anthropic.rates());
            assertThat(global.tiers()).as(model).isEqualTo(anthropic.tiers());
            assertThat(regional.rates()).as(model).isEqualTo(tenPercentMore(anthropic.rates()));
            assertThat(regional.tiers()).as(model).hasSameSizeAs(anthropic.tiers());
            for (int i = 0; i < anthropic.tiers().size(); i++) {
                assertThat(regional.tiers().get(i).rates()).isEqualTo(tenPercentMore(anthropic.tiers().get(i).rates()));
            }
            assertThat(regional.maxOutputTokens()).as(model).isEqualTo(anthropic.maxOutputTokens());
        }
        assertThat(row("bedrock", "claude-sonnet-4-5").rates())
                .isEqualTo(new Rates(3_300_000, 330_000, 4_125_000, 6_600_000, 16_500_000));
        // Nova: no cache-read rate confirmed for Micro and Lite, so cached input is billed as input.
        assertThat(row("bedrock", "amazon.nova-micro").rates()).isEqualTo(new Rates(35_000, 35_000, 35_000, 35_000, 140_000));
        assertThat(row("bedrock", "amazon.nova-lite").rates()).isEqualTo(new Rates(60_000, 60_000, 60_000, 60_000, 240_000));
        assertThat(row("bedrock", "amazon.nova-pro").rates()).isEqualTo(new Rates(800_000, 200_000, 800_000, 800_000, 3_200_000));
    }

    private static Rates tenPercentMore(Rates r) {
        return new Rates(r.input() * 11 / 10, r.cachedInput() * 11 / 10, r.cacheWrite5m() * 11 / 10,
                r.cacheWrite1h() * 11 / 10, r.output() * 11 / 10);
    }

    @Test
    void integerFormMatchesTheSheet() {
        // docs/pricing.md#integer-form: µ$ per MTok
        assertThat(row("openai", "gpt-4o").rates()).isEqualTo(new Rates(2_500_000, 1_250_000, 2_500_000, 2_500_000, 10_000_000));
        assertThat(row("openai", "gpt-5").rates()).isEqualTo(new Rates(1_250_000, 125_000, 1_250_000, 1_250_000, 10_000_000));
        assertThat(row("openai", "gpt-5-nano").cachedInput()).isEqualTo(5_000);
        assertThat(row("anthropic", "claude-sonnet-4-6").rates())
                .isEqualTo(new Rates(3_000_000, 300_000, 3_750_000, 6_000_000, 15_000_000));
        assertThat(row("anthropic", "claude-opus-4-1").rates())
                .isEqualTo(new Rates(15_000_000, 1_500_000, 18_750_000, 30_000_000, 75_000_000));
        assertThat(row("anthropic", "claude-haiku-4-5").rates())
                .isEqualTo(new Rates(1_000_000, 100_000, 1_250_000, 2_000_000, 5_000_000));
        assertThat(row("google", "gemini-2.0-flash-lite").cachedInput()).isEqualTo(18_750);
    }

    @Test
    void longContextTiersOnlyWhereTheSheetConfirmsThem() {
        assertThat(TABLE.prices()).filteredOn(p -> !p.tiers().isEmpty() && !p.provider().equals("bedrock"))
                .extracting(ModelPrice::model).containsExactlyInAnyOrder("claude-sonnet-4", "claude-sonnet-4-5", "gemini-2.5-pro", "gemini-1.5-pro",
                        "gemini-1.5-flash", "gemini-3-pro-preview", "gemini-3.1-pro-preview");
        assertThat(row("anthropic", "claude-sonnet-4-5").tiers()).containsExactly(new Tier(Tier.Basis.TOTAL_INPUT, 200_000,
                new Rates(6_000_000, 600_000, 7_500_000, 12_000_000, 22_500_000)));
        assertThat(row("google", "gemini-2.5-pro").tiers()).containsExactly(new Tier(Tier.Basis.PROMPT, 200_000,
                new Rates(2_500_000, 250_000, 2_500_000, 2_500_000, 15_000_000)));
    }

    @Test
    void outputCapsFollowTheEstimatorTable() {
        for (String model : List.of("o1", "o3", "o3-mini", "o4-mini")) {
            assertThat(row("openai", model).maxOutputTokens()).as(model).isEqualTo(100_000);
        }
        assertThat(row("openai", "gpt-4o").maxOutputTokens()).isEqualTo(16_384);
        assertThat(row("openai", "gpt-5.4").maxOutputTokens()).isEqualTo(16_384);
        assertThat(row("anthropic", "claude-opus-4-5").maxOutputTokens()).isEqualTo(128_000);
        assertThat(row("anthropic", "claude-opus-4-6").maxOutputTokens()).isEqualTo(128_000);
        for (String model : List.of("claude-sonnet-4", "claude-sonnet-4-5", "claude-sonnet-4-6", "claude-opus-4",
                "claude-opus-4-1", "claude-haiku-4-5")) {
            assertThat(row("anthropic", model).maxOutputTokens()).as(model).isEqualTo(64_000);
        }
        assertThat(row("anthropic", "claude-3-5-haiku").maxOutputTokens()).isEqualTo(8_000);
        assertThat(row("anthropic", "claude-3-haiku").maxOutputTokens()).isEqualTo(4_000);
        assertThat(TABLE.prices()).filteredOn(p -> p.provider().equals("google"))
                .allSatisfy(p -> assertThat(p.maxOutputTokens()).isNull());
    }

    @Test
    void everyPrefixFallbackPointsAtARow() {
        for (String provider : Set.of("openai", "anthropic", "google")) {
            for (PriceTable.PrefixFallback f : TABLE.prefixFallbacks(provider)) {
                assertThat(TABLE.resolve(provider, f.model(), null)).as(f.prefix()).isNotNull();
                assertThat(TABLE.resolve(provider, f.prefix() + "x", null).model()).isEqualTo(f.model());
            }
        }
        assertThat(TABLE.prefixFallbacks("google")).isNotEmpty();
    }
}
