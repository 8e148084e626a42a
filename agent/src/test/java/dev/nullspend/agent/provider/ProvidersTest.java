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
import org.junit.jupiter.params.provider.CsvFileSource;
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
    @CsvFileSource(resources = "/recognition/llm-calls.csv", delimiter = '|', quoteCharacter = '\'', numLinesToSkip = 1)
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
    @CsvFileSource(resources = "/recognition/no-llm-calls.csv", delimiter = '|', quoteCharacter = '\'', numLinesToSkip = 1)
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
