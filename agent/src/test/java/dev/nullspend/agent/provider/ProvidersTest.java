package dev.nullspend.agent.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.provider.openai.OpenAiChatApi;
import dev.nullspend.agent.provider.openai.OpenAiEmbeddingsApi;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProvidersTest {

    private static Exchange post(String url, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new Exchange("POST", URI.create(url), null, bytes, bytes.length);
    }

    @Test
    void defaultsRecogniseChatAndEmbeddings() {
        Providers providers = Providers.defaults();
        assertThat(providers.apis()).hasSize(2);
        assertThat(providers.apis().get(0)).isInstanceOf(OpenAiChatApi.class);
        assertThat(providers.apis().get(1)).isInstanceOf(OpenAiEmbeddingsApi.class);
        assertThat(providers.recognize(post("https://api.openai.com/v1/chat/completions", "{}")).endpoint())
                .isEqualTo("chat.completions");
        assertThat(providers.recognize(post("https://api.openai.com/v1/embeddings", "{}")).endpoint())
                .isEqualTo("embeddings");
        assertThat(providers.recognize(post("https://example.com/v1/upload", "{}"))).isNull();
    }

    @Test
    void aFailingApiIsTreatedAsNotRecognisingAndLoggedOnce() {
        LlmApi broken = new LlmApi() {
            @Override
            public LlmRequest recognize(Exchange exchange) {
                throw new StackOverflowError("bug");
            }

            @Override
            public UsageParser newParser(LlmRequest request, String contentType) {
                throw new UnsupportedOperationException();
            }
        };
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        AgentLog.setOutput(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            Providers providers = new Providers(List.of(broken, new OpenAiChatApi()));
            for (int i = 0; i < 3; i++) {
                LlmRequest r = providers.recognize(post("https://api.openai.com/v1/chat/completions", "{\"model\":\"m\"}"));
                assertThat(r).isNotNull();
                assertThat(r.model()).isEqualTo("m");
            }
            assertThat(log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("failed to recognise")))
                    .hasSize(1);
        } finally {
            AgentLog.setOutput(System.err);
        }
    }
}
