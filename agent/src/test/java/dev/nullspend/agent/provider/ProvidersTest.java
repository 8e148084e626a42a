package dev.nullspend.agent.provider;

import static dev.nullspend.agent.provider.TestExchanges.post;
import static dev.nullspend.agent.provider.TestExchanges.withUntouchableBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.provider.anthropic.AnthropicMessagesApi;
import dev.nullspend.agent.provider.google.GeminiApi;
import dev.nullspend.agent.provider.ollama.OllamaApi;
import dev.nullspend.agent.provider.openai.OpenAiChatApi;
import dev.nullspend.agent.provider.openai.OpenAiCompletionsApi;
import dev.nullspend.agent.provider.openai.OpenAiEmbeddingsApi;
import dev.nullspend.agent.provider.openai.OpenAiResponsesApi;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProvidersTest {

    private static final Providers DEFAULTS = Providers.defaults();
    private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static final String MESSAGES = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"messages\":[]}";

    @Test
    void defaultsAreEveryFamilysApisInTheFamiliesOrder() {
        assertThat(DEFAULTS.apis()).extracting(api -> api.getClass().getSimpleName()).containsExactly(
                OpenAiChatApi.class.getSimpleName(), OpenAiResponsesApi.class.getSimpleName(),
                OpenAiEmbeddingsApi.class.getSimpleName(), OpenAiCompletionsApi.class.getSimpleName(),
                AnthropicMessagesApi.class.getSimpleName(), GeminiApi.class.getSimpleName(), OllamaApi.class.getSimpleName(),
                "ConverseApi", "InvokeModelApi");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // url | body | provider | endpoint | model | stream
            "https://api.openai.com/v1/chat/completions | {\"model\":\"gpt-4o\",\"messages\":[],\"stream\":true} | openai | chat.completions | gpt-4o | true",
            "https://api.openai.com/v1/responses | {\"model\":\"gpt-4o\",\"input\":\"hi\"} | openai | responses | gpt-4o | false",
            "https://api.openai.com/v1/completions | {\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"hi\"} | openai | completions | gpt-3.5-turbo-instruct | false",
            "https://api.openai.com/v1/embeddings | {\"model\":\"text-embedding-3-small\",\"input\":\"hi\"} | openai | embeddings | text-embedding-3-small | false",
            "https://res.openai.azure.com/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21 | {\"messages\":[],\"stream\":true} | openai | chat.completions | | true",
            "https://res.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21 | {\"input\":\"hi\"} | openai | embeddings | | false",
            "https://res.openai.azure.com/openai/v1/responses | {\"model\":\"my-deployment\",\"input\":\"hi\"} | openai | responses | | false",
            "https://apim.corp.example/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21 | {\"messages\":[]} | openai | chat.completions | | false",
            "https://api.anthropic.com/v1/messages | {\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"messages\":[],\"stream\":true} | anthropic | messages | claude-sonnet-4-5 | true",
            "https://gw.corp.example/anthropic/v1/messages | {\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"messages\":[]} | anthropic | messages | claude-sonnet-4-5 | false",
            "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent | {\"contents\":[]} | google | generateContent | gemini-2.5-flash | false",
            "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse | {\"contents\":[]} | google | generateContent | gemini-2.5-flash | true",
            "https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:streamGenerateContent | {\"contents\":[]} | google | generateContent | gemini-2.5-pro | true",
            "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions | {\"model\":\"gemini-2.5-flash\",\"messages\":[]} | google | chat.completions | gemini-2.5-flash | false",
            "https://api.mistral.ai/v1/chat/completions | {\"model\":\"mistral-large-latest\",\"messages\":[]} | mistral_ai | chat.completions | mistral-large-latest | false",
            "https://api.mistral.ai/v1/embeddings | {\"model\":\"mistral-embed\",\"input\":[\"a\"]} | mistral_ai | embeddings | mistral-embed | false",
            "https://api.groq.com/openai/v1/chat/completions | {\"model\":\"llama-3.1-8b-instant\",\"messages\":[],\"stream\":true} | groq | chat.completions | llama-3.1-8b-instant | true",
            "https://api.deepseek.com/chat/completions | {\"model\":\"deepseek-reasoner\",\"messages\":[]} | deepseek | chat.completions | deepseek-reasoner | false",
            "https://openrouter.ai/api/v1/chat/completions | {\"model\":\"openai/gpt-4o-mini\",\"messages\":[]} | openrouter | chat.completions | openai/gpt-4o-mini | false",
            "http://localhost:11434/api/chat | {\"model\":\"llama3.2\",\"messages\":[]} | ollama | chat | llama3.2 | true",
            "http://localhost:11434/api/generate | {\"model\":\"llama3.2\",\"prompt\":\"hi\",\"stream\":false} | ollama | generate | llama3.2 | false",
            "http://localhost:11434/v1/chat/completions | {\"model\":\"llama3.2\",\"messages\":[]} | ollama | chat.completions | llama3.2 | false",
            "http://localhost:8000/v1/chat/completions | {\"model\":\"qwen2.5\",\"messages\":[]} | openai | chat.completions | qwen2.5 | false",
    })
    void recognisesEveryApiWhereverItIsServed(String url, String body, String provider, String endpoint, String model,
                                             boolean stream) {
        LlmRequest request = DEFAULTS.recognize(post(url, body));
        assertThat(request).isNotNull();
        assertThat(request.provider()).isEqualTo(provider);
        assertThat(request.endpoint()).isEqualTo(endpoint);
        assertThat(request.model()).isEqualTo(model);
        assertThat(request.stream()).isEqualTo(stream);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "GET | https://api.openai.com/v1/models",
            "GET | https://api.openai.com/v1/chat/completions",
            "GET | https://api.anthropic.com/v1/messages",
            "GET | https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent",
            "GET | https://api.openai.com/v1/responses",
            "GET | http://localhost:11434/api/chat",
            "DELETE | https://api.openai.com/v1/responses",
            "POST | https://api.openai.com/v1/models",
            "POST | https://api.openai.com/v1/files",
            "POST | https://api.openai.com/v1/responses/resp_1/cancel",
            "POST | https://api.anthropic.com/v1/messages/count_tokens",
            "POST | https://api.anthropic.com/v1/messages/batches",
            "POST | https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:countTokens",
            "POST | https://generativelanguage.googleapis.com/v1beta/models/text-embedding-004:embedContent",
            "POST | http://localhost:11434/api/tags",
            "POST | https://app.example.com/api/orders",
            "POST | https://app.example.com/",
    })
    void aRequestThatIsNoLlmCallIsRejectedByMethodAndPathAlone(String method, String url) {
        Exchange exchange = withUntouchableBody(method, url);
        assertThat(DEFAULTS.recognize(exchange)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"conversationId\":7,\"text\":\"hello\"}",
            "{\"model\":\"claude-sonnet-4-5\",\"messages\":[]}",
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":\"many\",\"messages\":[]}",
            "{\"model\":7,\"max_tokens\":10,\"messages\":[]}",
            "{\"model\":\"x\",\"max_tokens\":10,\"messages\":\"text\"}",
            "[1,2,3]",
            "not json",
    })
    void anApplicationsOwnMessagesEndpointIsLeftAlone(String body) {
        assertThat(DEFAULTS.recognize(post("https://app.example.com/api/threads/7/messages", body))).isNull();
    }

    @Test
    void genericPathsAreClaimedOnKnownHostsOnly() {
        String ollamaShaped = "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(DEFAULTS.recognize(post("https://app.example.com/api/chat", ollamaShaped))).isNull();
        assertThat(DEFAULTS.recognize(post("https://app.example.com/api/generate", "{\"model\":\"m\",\"prompt\":\"p\"}")))
                .isNull();
        assertThat(DEFAULTS.recognize(post("https://app.example.com/v1/messages", null))).isNull();
        assertThat(DEFAULTS.recognize(post("https://app.example.com/v1/chat/completions", null))).isNull();
        assertThat(DEFAULTS.recognize(post("https://app.example.com/v1/models/x:generateContent", "{\"prompt\":\"p\"}")))
                .isNull();
    }

    @Test
    void onKnownHostsThePathIsEnough() {
        LlmRequest messages = DEFAULTS.recognize(post("https://api.anthropic.com/v1/messages", "{}"));
        assertThat(messages.provider()).isEqualTo("anthropic");
        assertThat(messages.model()).isNull();
        LlmRequest unreadable = DEFAULTS.recognize(post("https://api.groq.com/openai/v1/chat/completions", null));
        assertThat(unreadable.provider()).isEqualTo("groq");
        assertThat(unreadable.requestBodyBytes()).isEqualTo(-1);
        assertThat(DEFAULTS.recognize(post("https://app.example.com/v1/messages", MESSAGES)).provider()).isEqualTo("anthropic");
    }

    @Test
    void extraHostsAreTreatedLikeTheVendorsOwn() {
        Providers providers = Providers.defaults(Map.of(
                "openai", List.of("llm.internal.corp"),
                "anthropic", List.of("claude-gw.corp:8443"),
                "azure", List.of("apim.corp"),
                "ollama", List.of("gpu-box:8080")));
        assertThat(DEFAULTS.recognize(post("https://llm.internal.corp/v1/chat/completions", "{\"prompt\":1}"))).isNull();
        LlmRequest openai = providers.recognize(post("https://llm.internal.corp/v1/chat/completions", "{\"prompt\":1}"));
        assertThat(openai.provider()).isEqualTo("openai");
        assertThat(openai.endpoint()).isEqualTo("chat.completions");

        assertThat(DEFAULTS.recognize(post("https://claude-gw.corp:8443/v1/messages", "{\"model\":\"claude-sonnet-4-5\"}")))
                .isNull();
        LlmRequest anthropic = providers.recognize(post("https://claude-gw.corp:8443/v1/messages",
                "{\"model\":\"claude-sonnet-4-5\"}"));
        assertThat(anthropic.provider()).isEqualTo("anthropic");
        assertThat(anthropic.model()).isEqualTo("claude-sonnet-4-5");
        assertThat(providers.recognize(post("https://claude-gw.corp/v1/messages", "{\"model\":\"m\"}"))).isNull();

        LlmRequest azure = providers.recognize(post("https://apim.corp/openai/v1/chat/completions",
                "{\"model\":\"my-deployment\",\"messages\":[]}"));
        assertThat(azure.provider()).isEqualTo("openai");
        assertThat(azure.model()).isNull();

        assertThat(DEFAULTS.recognize(post("http://gpu-box:8080/api/chat", "{\"model\":\"llama3.2\",\"messages\":[]}")))
                .isNull();
        LlmRequest ollama = providers.recognize(post("http://gpu-box:8080/api/chat", "{\"model\":\"llama3.2\",\"messages\":[]}"));
        assertThat(ollama.provider()).isEqualTo("ollama");
        assertThat(ollama.stream()).isTrue();
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

    @Test
    void chatBodyOnAnUnknownHost() {
        LlmRequest request = DEFAULTS.recognize(post("https://gw.example.com/v1/chat/completions", CHAT));
        assertThat(request.provider()).isEqualTo("openai");
        assertThat(request.model()).isEqualTo("gpt-4o-mini");
    }
}
