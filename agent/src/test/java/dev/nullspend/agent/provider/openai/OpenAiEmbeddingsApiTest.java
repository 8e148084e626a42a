package dev.nullspend.agent.provider.openai;

import static dev.nullspend.agent.provider.TestExchanges.exchange;
import static dev.nullspend.agent.provider.TestExchanges.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.provider.JsonBodyParser;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.ProviderHosts;
import org.junit.jupiter.api.Test;

class OpenAiEmbeddingsApiTest {

    private static final OpenAiEmbeddingsApi API = new OpenAiEmbeddingsApi(ProviderHosts.BUILT_IN);
    private static final String BODY = "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\"],\"encoding_format\":\"float\"}";

    @Test
    void recognisesOpenAiEmbeddings() {
        LlmRequest r = API.recognize(post("https://api.openai.com/v1/embeddings", BODY));
        assertThat(r).isNotNull();
        assertThat(r.provider()).isEqualTo("openai");
        assertThat(r.endpoint()).isEqualTo("embeddings");
        assertThat(r.model()).isEqualTo("text-embedding-3-small");
        assertThat(r.stream()).isFalse();
        assertThat(r.maxOutputTokens()).isNull();
        assertThat(r.newParser("application/json")).isInstanceOf(JsonBodyParser.class);
        assertThat(API.recognize(post("https://api.openai.com/v1/embeddings", null))).isNotNull();
    }

    @Test
    void otherHostsNeedAnEmbeddingsShapedBody() {
        assertThat(API.recognize(post("http://localhost:8080/v1/embeddings", "{\"model\":\"nomic\",\"input\":\"text\"}")))
                .isNotNull();
        assertThat(API.recognize(post("http://localhost:8080/v1/embeddings", "{\"model\":\"nomic\",\"docs\":[]}"))).isNull();
        assertThat(API.recognize(post("http://localhost:8080/v1/embeddings", "{\"input\":\"x\"}"))).isNull();
        assertThat(API.recognize(post("http://localhost:8080/v1/embeddings", null))).isNull();
    }

    @Test
    void otherMethodsAndPathsAreNotEmbeddings() {
        assertThat(API.recognize(exchange("GET", "https://api.openai.com/v1/embeddings", null))).isNull();
        assertThat(API.recognize(post("https://api.openai.com/v1/chat/completions", BODY))).isNull();
        assertThat(API.recognize(post("https://api.openai.com/v1/messages", BODY))).isNull();
    }
}
