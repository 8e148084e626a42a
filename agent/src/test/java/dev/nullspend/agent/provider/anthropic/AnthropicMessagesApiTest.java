package dev.nullspend.agent.provider.anthropic;

import static dev.nullspend.agent.provider.Feeding.assertSameAtRandomSplits;
import static dev.nullspend.agent.provider.Feeding.parse;
import static dev.nullspend.agent.provider.TestExchanges.exchange;
import static dev.nullspend.agent.provider.TestExchanges.assertRecognisesNoPath;
import static dev.nullspend.agent.provider.TestExchanges.assertRecognisesNone;
import static dev.nullspend.agent.provider.TestExchanges.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.provider.ContentDecoding;
import dev.nullspend.agent.provider.Feeding;
import dev.nullspend.agent.provider.JsonBodyParser;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.ProviderHosts;
import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.ParameterizedTest;

/** Anthropic Messages recognition and plain usage (docs/providers/anthropic.md). */
class AnthropicMessagesApiTest {

    private static final AnthropicMessagesApi API = new AnthropicMessagesApi(ProviderHosts.BUILT_IN);
    private static final byte[] PLAIN = Feeding.resource("/providers/anthropic/messages-plain.json");
    private static final String BODY = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";

    private static LlmRequest plainRequest() {
        return API.recognize(post("https://api.anthropic.com/v1/messages", BODY));
    }

    @Test
    void recognisesMessagesOnItsHostByPath() {
        LlmRequest r = API.recognize(post("https://api.anthropic.com/v1/messages",
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":2048,\"stream\":true,\"messages\":[]}"));
        assertThat(r.provider()).isEqualTo("anthropic");
        assertThat(r.endpoint()).isEqualTo("messages");
        assertThat(r.model()).isEqualTo("claude-sonnet-4-5");
        assertThat(r.stream()).isTrue();
        assertThat(r.maxOutputTokens()).isEqualTo(2048L);
        assertThat(API.recognize(post("https://api.anthropic.com/v1/messages", "not json"))).isNotNull();
        assertThat(API.recognize(post("https://api.anthropic.com/v1/messages/", null)).model()).isNull();
    }

    @Test
    void customHostsNeedTheMessagesShape() {
        LlmRequest gateway = API.recognize(post("https://llm-gw.corp.example/anthropic/v1/messages", BODY));
        assertThat(gateway.provider()).isEqualTo("anthropic");
        assertThat(gateway.model()).isEqualTo("claude-sonnet-4-5");
        String url = "https://app.example.com/api/conversations/42/messages";
        assertRecognisesNone(API, url, "{\"text\":\"hello\",\"authorId\":3}", "{\"model\":\"claude-sonnet-4-5\",\"messages\":[]}",
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1,\"messages\":{}}",
                "{\"model\":[\"x\"],\"max_tokens\":1,\"messages\":[]}", null);
    }

    @Test
    void otherVendorsServingThisApiKeepTheirProviderId() {
        assertThat(API.recognize(post("https://api.deepseek.com/anthropic/v1/messages", BODY)).provider()).isEqualTo("deepseek");
        assertThat(API.recognize(post("http://localhost:11434/v1/messages", BODY)).provider()).isEqualTo("ollama");
    }

    @Test
    void otherMethodsAndPathsAreNotMessages() {
        assertThat(API.recognize(exchange("GET", "https://api.anthropic.com/v1/messages", null))).isNull();
        assertRecognisesNoPath(API, BODY, "https://api.anthropic.com/v1/messages/count_tokens",
                "https://api.anthropic.com/v1/messages/batches", "https://api.anthropic.com/v1/models",
                "https://api.anthropic.com/v1/complete");
    }

    @Test
    void parserByContentType() {
        LlmRequest streamed = API.recognize(post("https://api.anthropic.com/v1/messages", "{\"stream\":true}"));
        assertThat(streamed.newParser("text/event-stream; charset=utf-8")).isInstanceOf(AnthropicSseParser.class);
        assertThat(streamed.newParser(null)).isInstanceOf(AnthropicSseParser.class);
        assertThat(plainRequest().newParser(null)).isInstanceOf(JsonBodyParser.class);
        assertThat(plainRequest().newParser("application/json")).isInstanceOf(JsonBodyParser.class);
    }

    @Test
    void recordedPlainResponse() {
        Usage expected = new Usage(18, 0, 0, 0, 6, 0, null);
        UsageParser p = parse(plainRequest().newParser("application/json"), PLAIN);
        assertThat(p.usage()).isEqualTo(expected);
        assertThat(p.responseModel()).isEqualTo("claude-3-haiku-20240307");
        assertSameAtRandomSplits(PLAIN, 100, () -> plainRequest().newParser("application/json"), expected,
                "claude-3-haiku-20240307");
        assertSameAtRandomSplits(Feeding.gzip(PLAIN), 100,
                () -> ContentDecoding.decoding("gzip", plainRequest().newParser("application/json")), expected,
                "claude-3-haiku-20240307");
    }

    /**
     * Cache writes split by lifetime, else all five-minute writes; a split that does not explain the whole total
     * leaves the rest priced as five-minute writes, nothing dropped ({@code /usage/anthropic-cache-writes.csv}).
     */
    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/usage/anthropic-cache-writes.csv", delimiter = '|', quoteCharacter = '\'', numLinesToSkip = 1)
    void cacheWritesSplitByLifetimeElseAllFiveMinutes(String usage, long input, long write5m, long write1h, long output) {
        assertThat(plainUsage(usage)).isEqualTo(new Usage(input, 0, write5m, write1h, output, 0, null));
    }

    @Test
    void thinkingIsTheReasoningInsideOutput() {
        assertThat(plainUsage("{\"input_tokens\":10,\"output_tokens\":500,\"output_tokens_details\":{\"thinking_tokens\":320}}"))
                .isEqualTo(new Usage(10, 0, 0, 0, 500, 320, null));
    }

    @Test
    void usageNeedsInputTokensAndAClosedObject() {
        assertThat(plainUsage("{\"output_tokens\":6}")).isNull();
        assertThat(plainUsage("null")).isNull();
        assertThat(parse(plainRequest().newParser("application/json"), "{\"usage\":{\"input_tokens\":18,\"output_tokens\":6")
                .usage()).isNull();
        assertThat(parse(plainRequest().newParser("application/json"),
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}").usage()).isNull();
        assertThat(plainUsage("{\"input_tokens\":-4,\"cache_read_input_tokens\":\"7\",\"output_tokens\":2}"))
                .isEqualTo(new Usage(0, 7, 0, 0, 2, 0, null));
    }

    private static Usage plainUsage(String usage) {
        return parse(plainRequest().newParser("application/json"),
                "{\"model\":\"claude-sonnet-4-5\",\"usage\":" + usage + "}").usage();
    }
}
