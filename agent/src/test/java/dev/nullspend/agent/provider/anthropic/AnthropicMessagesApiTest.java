package dev.nullspend.agent.provider.anthropic;

import static dev.nullspend.agent.provider.Feeding.assertSameAtRandomSplits;
import static dev.nullspend.agent.provider.Feeding.parse;
import static dev.nullspend.agent.provider.TestExchanges.exchange;
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
        assertThat(API.recognize(post(url, "{\"text\":\"hello\",\"authorId\":3}"))).isNull();
        assertThat(API.recognize(post(url, "{\"model\":\"claude-sonnet-4-5\",\"messages\":[]}"))).isNull();
        assertThat(API.recognize(post(url, "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1,\"messages\":{}}"))).isNull();
        assertThat(API.recognize(post(url, "{\"model\":[\"x\"],\"max_tokens\":1,\"messages\":[]}"))).isNull();
        assertThat(API.recognize(post(url, null))).isNull();
    }

    @Test
    void otherVendorsServingThisApiKeepTheirProviderId() {
        assertThat(API.recognize(post("https://api.deepseek.com/anthropic/v1/messages", BODY)).provider()).isEqualTo("deepseek");
        assertThat(API.recognize(post("http://localhost:11434/v1/messages", BODY)).provider()).isEqualTo("ollama");
    }

    @Test
    void otherMethodsAndPathsAreNotMessages() {
        assertThat(API.recognize(exchange("GET", "https://api.anthropic.com/v1/messages", null))).isNull();
        assertThat(API.recognize(post("https://api.anthropic.com/v1/messages/count_tokens", BODY))).isNull();
        assertThat(API.recognize(post("https://api.anthropic.com/v1/messages/batches", BODY))).isNull();
        assertThat(API.recognize(post("https://api.anthropic.com/v1/models", BODY))).isNull();
        assertThat(API.recognize(post("https://api.anthropic.com/v1/complete", BODY))).isNull();
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

    @Test
    void cacheWritesSplitByLifetimeElseAllFiveMinutes() {
        assertThat(plainUsage("{\"input_tokens\":1000,\"cache_creation_input_tokens\":2000,\"output_tokens\":500}"))
                .isEqualTo(new Usage(1000, 0, 2000, 0, 500, 0, null));
        assertThat(plainUsage("{\"input_tokens\":1000,\"cache_creation_input_tokens\":3000,\"cache_read_input_tokens\":0,"
                + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":2000,\"ephemeral_1h_input_tokens\":1000},\"output_tokens\":500}"))
                .isEqualTo(new Usage(1000, 0, 2000, 1000, 500, 0, null));
        // A split that does not explain the whole total: the rest is priced as 5-minute writes, nothing dropped.
        assertThat(plainUsage("{\"input_tokens\":1,\"cache_creation_input_tokens\":3000,"
                + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":0},\"output_tokens\":1}"))
                .isEqualTo(new Usage(1, 0, 3000, 0, 1, 0, null));
        assertThat(plainUsage("{\"input_tokens\":1,\"cache_creation\":{\"ephemeral_5m_input_tokens\":10,"
                + "\"ephemeral_1h_input_tokens\":20},\"output_tokens\":1}"))
                .isEqualTo(new Usage(1, 0, 10, 20, 1, 0, null));
        assertThat(plainUsage("{\"input_tokens\":1,\"cache_creation_input_tokens\":5,\"cache_creation\":{"
                + "\"ephemeral_1h_input_tokens\":20},\"output_tokens\":1}"))
                .isEqualTo(new Usage(1, 0, 0, 5, 1, 0, null));
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
