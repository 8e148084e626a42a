package dev.nullspend.agent.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** docs/pricing.md#how-a-models-price-is-found against the bundled table. */
class PriceResolutionTest {
    private static final PriceTable TABLE = PriceTable.bundled();

    private static String model(String provider, String request, String response) {
        ModelPrice price = TABLE.resolve(provider, request, response);
        return price == null ? null : price.model();
    }

    /** The row {@code provider}/{@code requested} resolves to, and its input and output prices (µ$ per million tokens). */
    private static void assertPrice(String provider, String requested, String row, long input, long output) {
        ModelPrice price = TABLE.resolve(provider, requested, null);
        assertThat(List.of(price.model(), price.input(), price.output())).as(requested).containsExactly(row, input, output);
    }

    @Test
    void datedSnapshotWithoutItsOwnRowGetsTheFamilyPrice() {
        assertPrice("openai", "gpt-4o-2024-08-06", "gpt-4o", 2_500_000, 10_000_000);
    }

    @Test
    void datedSnapshotWithItsOwnRowKeepsItsOwnPrice() {
        assertPrice("openai", "gpt-4o-2024-05-13", "gpt-4o-2024-05-13", 5_000_000, 15_000_000);
    }

    @Test
    void opus45IsNotSwallowedByOpus4() {
        assertPrice("anthropic", "claude-opus-4-5-20251101", "claude-opus-4-5", 5_000_000, 25_000_000);
        assertPrice("anthropic", "claude-opus-4-20250514", "claude-opus-4", 15_000_000, 75_000_000);
    }

    @Test
    void noImplicitPrefixMatch() {
        assertThat(model("anthropic", "claude-opus-4-8", null)).isNull();
        assertThat(model("anthropic", "claude-opus-4-5-fast", null)).isNull();
        assertThat(model("openai", "gpt-5-pro", null)).isNull();
    }

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource({
            "google, models/gemini-2.5-flash, gemini-2.5-flash",
            "google, gemini-2.5-flash-preview-05-20, gemini-2.5-flash",
            "google, gemini-2.5-flash-preview-09-2025, gemini-2.5-flash",
            "google, gemini-2.5-flash-lite-preview-09-2025, gemini-2.5-flash-lite",
            "google, gemini-2.5-pro-preview-06-05, gemini-2.5-pro",
            "anthropic, us.anthropic.claude-sonnet-4-20250514-v1:0, claude-sonnet-4",
            "aws.bedrock, us.anthropic.claude-sonnet-4-20250514-v1:0, claude-sonnet-4",
            "aws.bedrock, anthropic.claude-3-5-sonnet-20241022-v2:0, claude-3-5-sonnet",
            "aws.bedrock, global.anthropic.claude-haiku-4-5-20251001-v1:0, claude-haiku-4-5",
            "anthropic, claude-sonnet-4@20250514, claude-sonnet-4",
            "anthropic, claude-sonnet-4-5@latest, claude-sonnet-4-5",
            "anthropic, claude-3-5-haiku-20241022, claude-3-5-haiku",
            "OpenAI, GPT-4o-Mini, gpt-4o-mini",
            "openai, openai/gpt-5-2025-08-07, gpt-5",
            "openai, gpt-4.1-mini-2025-04-14, gpt-4.1-mini",
            "openai, gpt-4.1-mini-x, gpt-4.1-mini",
            "openai, gpt-4.1-x, gpt-4.1",
            "openai, o3-mini-2025-01-31, o3-mini",
    })
    void resolves(String provider, String request, String expected) {
        assertThat(model(provider, request, null)).isEqualTo(expected);
    }

    /**
     * docs/pricing.md#bedrock: the global profile finds its own row, the regional endpoints and every
     * geographic profile the +10 % row; older Claude models and other providers' ids fall through to
     * Anthropic's rows, priced the same everywhere.
     */
    @ParameterizedTest(name = "{0} → {1}/{2}, input {3}")
    @CsvSource({
            "global.anthropic.claude-sonnet-4-5-20250929-v1:0, bedrock, global.claude-sonnet-4-5, 3000000",
            "GLOBAL.anthropic.claude-sonnet-4-5-v1:0, bedrock, global.claude-sonnet-4-5, 3000000",
            "anthropic.claude-sonnet-4-5-20250929-v1:0, bedrock, claude-sonnet-4-5, 3300000",
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0, bedrock, claude-sonnet-4-5, 3300000",
            "eu.anthropic.claude-haiku-4-5-20251001-v1:0, bedrock, claude-haiku-4-5, 1100000",
            "apac.anthropic.claude-opus-4-5-20251101-v1:0, bedrock, claude-opus-4-5, 5500000",
            "jp.anthropic.claude-haiku-4-5-20251001-v1:0, bedrock, claude-haiku-4-5, 1100000",
            "au.anthropic.claude-sonnet-4-5-20250929-v1:0, bedrock, claude-sonnet-4-5, 3300000",
            "global.anthropic.claude-haiku-4-5-20251001-v1:0, bedrock, global.claude-haiku-4-5, 1000000",
            "anthropic.claude-3-7-sonnet-20250219-v1:0, anthropic, claude-3-7-sonnet, 3000000",
            "global.anthropic.claude-3-7-sonnet-20250219-v1:0, anthropic, claude-3-7-sonnet, 3000000",
            "us.anthropic.claude-sonnet-4-20250514-v1:0, anthropic, claude-sonnet-4, 3000000",
            "amazon.nova-pro-v1:0, bedrock, amazon.nova-pro, 800000",
            "us.amazon.nova-micro-v1:0, bedrock, amazon.nova-micro, 35000",
    })
    void bedrockPricesItsGlobalProfileApartFromItsRegionalEndpoints(String id, String provider, String model, long input) {
        ModelPrice price = TABLE.resolve("bedrock", id, null);
        assertThat(price.provider()).isEqualTo(provider);
        assertThat(price.model()).isEqualTo(model);
        assertThat(price.input()).isEqualTo(input);
    }

    @Test
    void otherProvidersNeverGetBedrocksRows() {
        assertThat(TABLE.resolve("anthropic", "claude-sonnet-4-5", null).input()).isEqualTo(3_000_000);
        assertThat(TABLE.resolve("litellm", "claude-sonnet-4-5", null).provider()).isEqualTo("anthropic");
        assertThat(TABLE.resolve("anthropic", "jp.anthropic.claude-sonnet-4-5-20250929-v1:0", null).input())
                .isEqualTo(3_000_000);
    }

    @Test
    void unknownModelsResolveToNull() {
        assertThat(model("openai", "my-fine-llama", null)).isNull();
        assertThat(model("openai", null, null)).isNull();
        assertThat(model("openai", " ", null)).isNull();
        assertThat(model(null, "gpt-4o", null)).isEqualTo("gpt-4o");
    }

    @Test
    void responseModelIsUsedWhenTheRequestModelIsUnknown() {
        assertThat(model("openai", "my-gpt4o-deployment", "gpt-4o-2024-08-06")).isEqualTo("gpt-4o");
        assertThat(model("azure.ai.openai", "prod", "gpt-4o-2024-05-13")).isEqualTo("gpt-4o-2024-05-13");
        assertThat(model("google", "models/my-tuned", "gemini-2.5-flash")).isEqualTo("gemini-2.5-flash");
    }

    @Test
    void requestModelWinsOverResponseModel() {
        assertThat(model("openai", "gpt-4o-2024-05-13", "gpt-4o")).isEqualTo("gpt-4o-2024-05-13");
    }

    @Test
    void exactResponseModelWinsOverADateStrippedRequestModel() {
        assertThat(model("openai", "gpt-4o-2099-01-01", "gpt-4o-2024-05-13")).isEqualTo("gpt-4o-2024-05-13");
    }

    @Test
    void gatewaysAndCompatibleHostsFindAnyProvidersIds() {
        assertThat(model("openrouter", "openai/gpt-4o-mini", null)).isEqualTo("gpt-4o-mini");
        assertThat(model("litellm", "claude-sonnet-4-5-20250929", null)).isEqualTo("claude-sonnet-4-5");
        assertThat(model("azure.ai.openai", "gpt-4.1-2025-04-14", null)).isEqualTo("gpt-4.1");
    }

    @Test
    void nativeProvidersOnlySeeTheirOwnModels() {
        assertThat(model("anthropic", "gpt-4o", null)).isNull();
        assertThat(model("google", "claude-sonnet-4-5", null)).isNull();
    }

    @Test
    void resolutionsAreMemoisedUpToTheBound() {
        PriceTable table = PriceTable.bundled().withOverrides(PriceTable.bundled());
        for (int i = 0; i < PriceTable.CACHE_LIMIT + 100; i++) {
            table.resolve("openai", "unknown-" + i, null);
        }

        assertThat(table.cachedResolutions()).isEqualTo(PriceTable.CACHE_LIMIT);
        assertThat(table.resolve("openai", "gpt-4o", null).model()).isEqualTo("gpt-4o");
        assertThat(table.resolve("openai", "gpt-4o", null)).isSameAs(table.resolve("openai", "gpt-4o", null));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(nullValues = "null", value = {
            "gpt-4o-2024-08-06, gpt-4o",
            "claude-opus-4-20250514, claude-opus-4",
            "gemini-2.5-flash-preview-05-20, gemini-2.5-flash",
            "gemini-exp-12-06, gemini-exp",
            "claude-sonnet-4@20250514, claude-sonnet-4",
            "claude-opus-4-5, null",
            "gpt-4o, null",
            "model-12-34, null",
    })
    void stripsDateSuffixes(String id, String expected) {
        assertThat(ModelIds.stripDate(id)).isEqualTo(expected);
    }
}
