package dev.nullspend.agent.provider.openai;

import static dev.nullspend.agent.provider.TestExchanges.exchange;
import static dev.nullspend.agent.provider.TestExchanges.assertRecognisesNoPath;
import static dev.nullspend.agent.provider.TestExchanges.assertRecognisesNone;
import static dev.nullspend.agent.provider.TestExchanges.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.provider.JsonBodyParser;
import dev.nullspend.agent.provider.JsonStreamParser;
import dev.nullspend.agent.provider.LlmRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenAiChatApiTest {

    private static final OpenAiChatApi API = new OpenAiChatApi();
    private static final String CHAT_BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    private static Long maxTokens(String fields) {
        LlmRequest r = API.recognize(post("https://api.openai.com/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[]" + fields + "}"));
        assertThat(r).isNotNull();
        return r.maxOutputTokens();
    }

    @Test
    void recognisesOpenAiChatCompletions() {
        String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_completion_tokens\":256}";
        Exchange exchange = post("https://api.openai.com/v1/chat/completions", body);
        LlmRequest r = API.recognize(exchange);
        assertThat(r).isNotNull();
        assertThat(r.api()).isSameAs(API);
        assertThat(r.provider()).isEqualTo("openai");
        assertThat(r.endpoint()).isEqualTo("chat.completions");
        assertThat(r.model()).isEqualTo("gpt-4o-mini");
        assertThat(r.stream()).isTrue();
        assertThat(r.maxOutputTokens()).isEqualTo(256L);
        assertThat(r.requestBodyBytes()).isEqualTo(body.getBytes(StandardCharsets.UTF_8).length);
        assertThat(r.body()).isSameAs(exchange.body());
    }

    @Test
    void onApiOpenAiComThePathIsEnough() {
        LlmRequest odd = API.recognize(post("https://API.OpenAI.com/v1/chat/completions/", "{\"prompt\":1}"));
        assertThat(odd).isNotNull();
        assertThat(odd.model()).isNull();
        assertThat(odd.stream()).isFalse();
        LlmRequest unreadable = API.recognize(post("https://api.openai.com/v1/chat/completions", null));
        assertThat(unreadable).isNotNull();
        assertThat(unreadable.model()).isNull();
        assertThat(unreadable.requestBodyBytes()).isEqualTo(-1);
    }

    @Test
    void otherHostsNeedAChatShapedBody() {
        LlmRequest gateway = API.recognize(post("http://localhost:8000/v1/chat/completions", CHAT_BODY));
        assertThat(gateway).isNotNull();
        assertThat(gateway.model()).isEqualTo("gpt-4o-mini");
        assertThat(gateway.provider()).isEqualTo("openai");
        assertThat(API.recognize(post("https://gw.example.com/chat/completions/", CHAT_BODY))).isNotNull();
        assertThat(API.recognize(post("http://localhost:8000/v1/chat/completions", null))).isNull();
    }

    @Test
    void otherHostsWithAnotherShapeAreLeftAlone() {
        String url = "https://app.example.com/api/chat/completions";
        assertRecognisesNone(API, url, "{\"conversationId\":7,\"text\":\"hello\"}",
                "{\"model\":\"x\",\"messages\":\"not an array\"}", "{\"model\":42,\"messages\":[]}", "[1,2]", "not json", null);
    }

    @Test
    void otherMethodsAndPathsAreNotChat() {
        assertThat(API.recognize(exchange("GET", "https://api.openai.com/v1/chat/completions", null))).isNull();
        assertThat(API.recognize(exchange(null, "https://api.openai.com/v1/chat/completions", null))).isNull();
        assertRecognisesNoPath(API, CHAT_BODY, "https://api.anthropic.com/v1/messages", "https://api.openai.com/v1/messages",
                "https://api.openai.com/v1/chat/completions/abc", "https://api.openai.com/v1/embeddings",
                "https://api.openai.com/v1/xchat/completions");
    }

    @Test
    void maxOutputTokensIsSanitised() {
        assertThat(maxTokens(",\"max_completion_tokens\":100,\"max_tokens\":50")).isEqualTo(100L);
        assertThat(maxTokens(",\"max_tokens\":50")).isEqualTo(50L);
        assertThat(maxTokens(",\"max_completion_tokens\":null,\"max_tokens\":50")).isEqualTo(50L);
        assertThat(maxTokens(",\"max_completion_tokens\":\"300\"")).isEqualTo(300L);
        assertThat(maxTokens(",\"max_completion_tokens\":99.2")).isEqualTo(100L);
        assertThat(maxTokens(",\"max_completion_tokens\":0.5")).isEqualTo(1L);
        assertThat(maxTokens(",\"max_completion_tokens\":5000000")).isEqualTo(1_000_000L);
        assertThat(maxTokens(",\"max_completion_tokens\":1e300")).isEqualTo(1_000_000L);
        assertThat(maxTokens(",\"max_completion_tokens\":\"1e999999999\"")).isEqualTo(1_000_000L);
        assertThat(maxTokens(",\"max_completion_tokens\":true,\"max_tokens\":64")).isEqualTo(64L);
        assertThat(maxTokens(",\"max_completion_tokens\":[100]")).isNull();
        assertThat(maxTokens(",\"max_completion_tokens\":{\"n\":1}")).isNull();
        assertThat(maxTokens(",\"max_completion_tokens\":0")).isNull();
        assertThat(maxTokens(",\"max_completion_tokens\":-5")).isNull();
        assertThat(maxTokens(",\"max_completion_tokens\":\"lots\"")).isNull();
        assertThat(maxTokens(",\"max_completion_tokens\":\"NaN\"")).isNull();
        assertThat(maxTokens(",\"max_completion_tokens\":\"Infinity\"")).isNull();
        assertThat(maxTokens("")).isNull();
    }

    @Test
    void choosesTheParserByContentType() {
        LlmRequest streamed = API.recognize(post("https://api.openai.com/v1/chat/completions",
                "{\"model\":\"m\",\"messages\":[],\"stream\":true}"));
        LlmRequest plain = API.recognize(post("https://api.openai.com/v1/chat/completions", CHAT_BODY));
        assertThat(streamed.newParser("text/event-stream; charset=utf-8")).isInstanceOf(JsonStreamParser.class);
        assertThat(plain.newParser("TEXT/EVENT-STREAM")).isInstanceOf(JsonStreamParser.class);
        assertThat(streamed.newParser(null)).isInstanceOf(JsonStreamParser.class);
        assertThat(plain.newParser(null)).isInstanceOf(JsonBodyParser.class);
        assertThat(streamed.newParser("application/json")).isInstanceOf(JsonBodyParser.class);
    }
}
