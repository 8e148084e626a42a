package dev.nullspend.agent.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.provider.Usage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/** Price files: validation at load and overrides of the bundled table. */
class PriceFileTest {

    private static PriceTable parse(String json) throws PriceTableException {
        return PriceTable.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "custom.json");
    }

    /** A one-row file; {@code fields} go between the model id and source/checked. */
    private static String oneRow(String fields) {
        return """
                {"models": [
                  {"provider": "openai", "model": "gpt-4o", "input": "1.00", "output": "2.00", "source": "contract", "checked": "2026-11-01"},
                  {"provider": "openai", "model": "gpt-x", %s, "source": "contract", "checked": "2026-11-01"}
                ]}
                """.formatted(fields);
    }

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/pricing/invalid-rows.csv", delimiter = '|', quoteCharacter = '\'', numLinesToSkip = 1)
    void rejectsAnInvalidRowNamingFileRowAndField(String name, String fields, String expected) {
        assertThatThrownBy(() -> parse(oneRow(fields)))
                .isInstanceOf(PriceTableException.class)
                .hasMessageStartingWith("custom.json: models[1]")
                .hasMessageContaining(expected);
    }

    @Test
    void errorsNameTheRowByIndexAndModel() {
        assertThatThrownBy(() -> parse(oneRow("\"input\": \"-1\", \"output\": \"1\"")))
                .hasMessage("custom.json: models[1] (openai/gpt-x), field 'input': \"-1\" is negative");
    }

    @Test
    void rejectsRowsWithoutSourceOrDate() {
        assertThatThrownBy(() -> parse("""
                {"models": [{"provider": "openai", "model": "gpt-x", "input": "1", "output": "1", "checked": "2026-11-01"}]}
                """)).hasMessageContaining("models[0] (openai/gpt-x), field 'source': missing");
        assertThatThrownBy(() -> parse("""
                {"models": [{"provider": "openai", "model": "gpt-x", "input": "1", "output": "1", "source": "s", "checked": "soon"}]}
                """)).hasMessageContaining("field 'checked': \"soon\" is not a date");
        assertThatThrownBy(() -> parse("""
                {"models": [{"provider": "", "model": "gpt-x", "input": "1", "output": "1", "source": "s", "checked": "2026"}]}
                """)).hasMessageContaining("models[0], field 'provider': must be a non-empty string");
    }

    @Test
    void rejectsMalformedJson() {
        assertThatThrownBy(() -> parse("{\"models\": [")).hasMessageStartingWith("custom.json: invalid JSON");
        assertThatThrownBy(() -> parse("")).hasMessage("custom.json: the file: is empty");
        assertThatThrownBy(() -> parse("{\"models\": [], \"models\": []}")).hasMessageContaining("Duplicate field");
    }

    @Test
    void sixDecimalsAreExactMicrodollarsPerMTok() throws PriceTableException {
        ModelPrice price = parse(oneRow("\"input\": \"0.000001\", \"output\": \"0.01875\""))
                .resolve("openai", "gpt-x", null);

        assertThat(price.input()).isEqualTo(1);
        assertThat(price.output()).isEqualTo(18_750);
        assertThat(price.cachedInput()).isEqualTo(1);
    }

    @Test
    void overrideReplacesABundledRowAndItsDatedIds() throws PriceTableException {
        PriceTable table = PriceTable.bundled().withOverrides(parse(oneRow("\"input\": \"3\", \"output\": \"4\"")));

        ModelPrice gpt4o = table.resolve("openai", "gpt-4o", null);
        assertThat(gpt4o.input()).isEqualTo(1_000_000);
        assertThat(gpt4o.source()).isEqualTo("contract");
        assertThat(table.resolve("openai", "gpt-4o-2024-08-06", null)).isSameAs(gpt4o);
        assertThat(table.resolve("openai", "gpt-x", null).output()).isEqualTo(4_000_000);
        assertThat(table.resolve("openai", "gpt-4o-2024-05-13", null).input()).isEqualTo(5_000_000);
        assertThat(table.resolve("openai", "gpt-4o-mini", null)).isSameAs(PriceTable.bundled().resolve("openai", "gpt-4o-mini", null));
        assertThat(table.prices()).hasSize(PriceTable.bundled().prices().size() + 1);
        assertThat(PriceTable.bundled().resolve("openai", "gpt-4o", null).input()).isEqualTo(2_500_000);
    }

    /** A pricing file replaces Bedrock's rows one by one: the global profile and the regional endpoints apart, Llama added. */
    @Test
    void overrideReplacesBedrockRowsByProfileAndAddsLlama() throws PriceTableException {
        PriceTable table = PriceTable.bundled().withOverrides(parse("""
                {"models": [
                  {"provider": "bedrock", "model": "global.anthropic.claude-sonnet-4-5-v1:0", "input": "2", "output": "10", "source": "contract", "checked": "2026-11-01"},
                  {"provider": "bedrock", "model": "meta.llama3-3-70b-instruct-v1:0", "input": "0.72", "output": "0.72", "source": "contract", "checked": "2026-11-01"}
                ]}
                """));

        assertThat(table.resolve("bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", null).input()).isEqualTo(2_000_000);
        assertThat(table.resolve("bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", null).input()).isEqualTo(3_300_000);
        ModelPrice llama = table.resolve("bedrock", "us.meta.llama3-3-70b-instruct-v1:0", null);
        assertThat(llama.model()).isEqualTo("meta.llama3-3-70b-instruct");
        assertThat(llama.output()).isEqualTo(720_000);
        assertThat(PriceTable.bundled().resolve("bedrock", "meta.llama3-3-70b-instruct-v1:0", null)).isNull();
        assertThat(table.prices()).hasSize(PriceTable.bundled().prices().size() + 1);
    }

    @Test
    void overrideAddsAProviderWithTiersAndFallbacks() throws PriceTableException {
        PriceTable table = PriceTable.bundled().withOverrides(parse("""
                {"prefixFallbacks": {"deepseek": [{"prefix": "deepseek-chat-", "model": "deepseek-chat"}]},
                 "models": [{"provider": "deepseek", "model": "deepseek-chat", "input": "0.28", "cachedInput": "0.028",
                             "output": "0.42", "tiers": [{"when": {"promptGt": 10000}, "input": "1", "output": "1"}],
                             "source": "deepseek.com", "checked": "2026-11"}]}
                """));

        ModelPrice price = table.resolve("deepseek", "deepseek-chat-v9", null);
        assertThat(price.model()).isEqualTo("deepseek-chat");
        // DeepSeek sample of docs/providers/compatible.md: 200 miss + 1000 hit + 300 output
        assertThat(CostCalculator.cost(price, new Usage(200, 1000, 0, 0, 300, 120, null)).totalMicros())
                .isEqualTo(56 + 28 + 126);
        assertThat(CostCalculator.cost(price, Usage.of(10_001, 0)).totalMicros()).isEqualTo(10_001);
    }

    @Test
    void overrideFallbackReplacesTheSamePrefixAndDanglingOnesAreReported() throws PriceTableException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        AgentLog.setOutput(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            PriceTable table = PriceTable.bundled().withOverrides(parse("""
                    {"prefixFallbacks": {"google": [
                        {"prefix": "gemini-2.5-flash-preview-", "model": "gemini-2.5-flash-lite"},
                        {"prefix": "gemini-9-", "model": "gemini-9"}]}}
                    """));

            assertThat(table.resolve("google", "gemini-2.5-flash-preview-09-2025", null).model())
                    .isEqualTo("gemini-2.5-flash-lite");
            assertThat(table.resolve("google", "gemini-2.5-pro-preview-x", null).model()).isEqualTo("gemini-2.5-pro");
            assertThat(table.resolve("google", "gemini-9-pro", null)).isNull();
            assertThat(log.toString(StandardCharsets.UTF_8))
                    .contains("prefix fallback 'gemini-9-' of provider google points to unknown model 'gemini-9'");
        } finally {
            AgentLog.setOutput(System.err);
        }
    }
}
