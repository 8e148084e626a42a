package dev.nullspend.agent.provider.bedrock;

import static dev.nullspend.agent.provider.TestExchanges.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.provider.Feeding;
import dev.nullspend.agent.provider.JsonBodyParser;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.Providers;
import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageParser;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/** docs/providers/bedrock.md#converse-usage and #invokemodel: how each Bedrock usage shape maps to {@link Usage}. */
class BedrockUsageTest {

    private static final String HOST = "https://bedrock-runtime.us-east-1.amazonaws.com/model/";

    private static Usage converse(String usage) {
        UsageParser p = new JsonBodyParser(BedrockUsage.CONVERSE);
        return Feeding.parse(p, ("{\"output\":{},\"usage\":{" + usage + "},\"metrics\":{}}").getBytes(StandardCharsets.UTF_8))
                .usage();
    }

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/usage/bedrock-converse.csv", delimiter = '|', quoteCharacter = '\'', numLinesToSkip = 1)
    void converseInputExcludesCacheAndTheDetailsSplitTheWrites(String fields, long uncached, long read, long w5, long w1,
                                                                long output) {
        assertThat(converse(fields)).isEqualTo(new Usage(uncached, read, w5, w1, output, 0, null));
    }

    @Test
    void aUsageWithoutItsInputCountIsNone() {
        assertThat(converse("\"outputTokens\":5")).isNull();
    }

    @Test
    void anAnthropicStreamCutAfterMessageStartKeepsItsInputAndFlagsItsOutputAsAPlaceholder() {
        LlmRequest request = Providers.defaults().recognize(post(HOST + "global.anthropic.claude-sonnet-4-5-20250929-v1%3A0"
                + "/invoke-with-response-stream", "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":2048}"));
        byte[] cut = EventStreamMessages.concat(
                EventStreamMessages.chunk("{\"type\":\"message_start\",\"message\":{\"model\":\"claude-sonnet-4-5-20250929\","
                        + "\"usage\":{\"input_tokens\":3000,\"cache_read_input_tokens\":1000,\"output_tokens\":1}}}"),
                EventStreamMessages.chunk("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"text\":\"Hi\"}}"));
        for (int seed = 0; seed < 10; seed++) {
            UsageParser p = request.newParser("application/vnd.amazon.eventstream");
            Feeding.randomly(cut, new Random(seed), p::feed);
            p.end();
            assertThat(p.usage()).isEqualTo(new Usage(3000, 1000, 0, 0, 1, 0, null));
            assertThat(p.outputCounted()).isFalse();
            assertThat(p.responseModel()).isEqualTo("claude-sonnet-4-5-20250929");
        }
        assertThat(request.maxOutputTokens()).isEqualTo(2048);
    }

    @Test
    void aNovaStreamTakesItsMetadataUsageAndAnyOtherVendorsTheInvocationMetrics() {
        byte[] nova = EventStreamMessages.concat(
                EventStreamMessages.chunk("{\"messageStart\":{\"role\":\"assistant\"}}"),
                EventStreamMessages.chunk("{\"metadata\":{\"usage\":{\"inputTokens\":300,\"outputTokens\":20,"
                        + "\"cacheReadInputTokenCount\":100}},\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":400,"
                        + "\"outputTokenCount\":20}}"));
        UsageParser p = Providers.defaults().recognize(post(HOST + "us.amazon.nova-lite-v1%3A0/invoke-with-response-stream",
                "{}")).newParser("application/vnd.amazon.eventstream");
        Feeding.randomly(nova, new Random(3), p::feed);
        p.end();
        assertThat(p.usage()).isEqualTo(new Usage(300, 100, 0, 0, 20, 0, null));

        String profile = "arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Aapplication-inference-profile%2Fopaque";
        UsageParser any = Providers.defaults().recognize(post(HOST + profile + "/invoke-with-response-stream", "{}"))
                .newParser("application/vnd.amazon.eventstream");
        Feeding.randomly(nova, new Random(4), any::feed);
        any.end();
        assertThat(any.usage()).isEqualTo(new Usage(400, 0, 0, 0, 20, 0, null));
        UsageParser anyBody = Providers.defaults().recognize(post(HOST + profile + "/invoke", "{}")).newParser("application/json");
        Feeding.parse(anyBody, "{\"generation\":\"x\",\"prompt_token_count\":42,\"generation_token_count\":17}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(anyBody.usage()).isEqualTo(new Usage(42, 0, 0, 0, 17, 0, null));
    }
}
