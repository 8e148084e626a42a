package dev.nullspend.agent.provider.google;

import static dev.nullspend.agent.provider.Feeding.parse;
import static dev.nullspend.agent.provider.TestExchanges.exchange;
import static dev.nullspend.agent.provider.TestExchanges.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.provider.JsonBodyParser;
import dev.nullspend.agent.provider.JsonStreamParser;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.ProviderHosts;
import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageParser;
import org.junit.jupiter.api.Test;

/** Gemini recognition (docs/providers/google.md): model from the URL, streaming from the method. */
class GeminiApiTest {

    private static final GeminiApi API = new GeminiApi(ProviderHosts.BUILT_IN);
    private static final String BODY = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}],"
            + "\"generationConfig\":{\"maxOutputTokens\":800,\"temperature\":0.2}}";

    @Test
    void developerApi() {
        LlmRequest r = API.recognize(post("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent", BODY));
        assertThat(r.provider()).isEqualTo("google");
        assertThat(r.endpoint()).isEqualTo("generateContent");
        assertThat(r.model()).isEqualTo("gemini-2.5-flash");
        assertThat(r.stream()).isFalse();
        assertThat(r.maxOutputTokens()).isEqualTo(800L);
        LlmRequest s = API.recognize(post(
                "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse&key=k", BODY));
        assertThat(s.model()).isEqualTo("gemini-2.5-pro");
        assertThat(s.stream()).isTrue();
    }

    @Test
    void vertexAi() {
        LlmRequest r = API.recognize(post("https://europe-west4-aiplatform.googleapis.com/v1/projects/my-proj/locations/"
                + "europe-west4/publishers/google/models/gemini-2.0-flash-lite:streamGenerateContent", "{}"));
        assertThat(r.provider()).isEqualTo("google");
        assertThat(r.model()).isEqualTo("gemini-2.0-flash-lite");
        assertThat(r.stream()).isTrue();
        assertThat(r.maxOutputTokens()).isNull();
        LlmRequest global = API.recognize(post("https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/"
                + "google/models/gemini-2.5-flash:generateContent", "{\"contents\":[],"
                + "\"generation_config\":{\"max_output_tokens\":64}}"));
        assertThat(global.model()).isEqualTo("gemini-2.5-flash");
        assertThat(global.maxOutputTokens()).isEqualTo(64L);
    }

    @Test
    void percentEncodedColon() {
        LlmRequest r = API.recognize(post("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash%3AstreamGenerateContent", BODY));
        assertThat(r.model()).isEqualTo("gemini-2.5-flash");
        assertThat(r.stream()).isTrue();
    }

    @Test
    void otherHostsNeedAContentsArray() {
        String url = "https://llm-proxy.corp.example/gemini/v1beta/models/gemini-2.5-flash:generateContent";
        assertThat(API.recognize(post(url, BODY)).model()).isEqualTo("gemini-2.5-flash");
        assertThat(API.recognize(post(url, "{\"prompt\":\"hi\"}"))).isNull();
        assertThat(API.recognize(post(url, null))).isNull();
    }

    @Test
    void otherMethodsAndPathsAreNotGemini() {
        String base = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash";
        assertThat(API.recognize(exchange("GET", base + ":generateContent", null))).isNull();
        assertThat(API.recognize(exchange("GET", base, null))).isNull();
        assertThat(API.recognize(post(base + ":countTokens", BODY))).isNull();
        assertThat(API.recognize(post(base + ":embedContent", BODY))).isNull();
        assertThat(API.recognize(post(base + ":generateContentX", BODY))).isNull();
        assertThat(API.recognize(post("https://generativelanguage.googleapis.com/v1beta/models/:generateContent", BODY))).isNull();
        assertThat(API.recognize(post("https://generativelanguage.googleapis.com/v1beta/gemini:generateContent", BODY))).isNull();
        assertThat(API.recognize(post("https://generativelanguage.googleapis.com/v1beta/tunedModels/t:generateContent", BODY)))
                .isNull();
    }

    @Test
    void parserByContentTypeAndMethod() {
        LlmRequest plain = API.recognize(post("https://generativelanguage.googleapis.com/v1beta/models/m:generateContent", BODY));
        LlmRequest streamed = API.recognize(post("https://generativelanguage.googleapis.com/v1beta/models/m:streamGenerateContent", BODY));
        assertThat(plain.newParser("application/json; charset=UTF-8")).isInstanceOf(JsonBodyParser.class);
        assertThat(streamed.newParser("text/event-stream")).isInstanceOf(JsonStreamParser.class);
        assertThat(streamed.newParser(null)).isInstanceOf(JsonStreamParser.class);
        // Without alt=sse: application/json, a JSON array written element by element.
        UsageParser array = streamed.newParser("application/json; charset=UTF-8");
        assertThat(array).isInstanceOf(JsonStreamParser.class);
        assertThat(parse(array, "[{\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":4}}]").usage())
                .isEqualTo(Usage.of(3, 4));
    }
}
