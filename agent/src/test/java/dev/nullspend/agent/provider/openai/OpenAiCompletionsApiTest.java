package dev.nullspend.agent.provider.openai;

import static dev.nullspend.agent.provider.Feeding.parse;
import static dev.nullspend.agent.provider.TestExchanges.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.ProviderHosts;
import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageParser;
import org.junit.jupiter.api.Test;

/** Legacy Completions ({@code /v1/completions}). */
class OpenAiCompletionsApiTest {

    private static final OpenAiCompletionsApi API = new OpenAiCompletionsApi(ProviderHosts.BUILT_IN);
    private static final String BODY = "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Say this is a test\",\"max_tokens\":7}";

    @Test
    void recognition() {
        LlmRequest r = API.recognize(post("https://api.openai.com/v1/completions", BODY));
        assertThat(r.endpoint()).isEqualTo("completions");
        assertThat(r.model()).isEqualTo("gpt-3.5-turbo-instruct");
        assertThat(r.maxOutputTokens()).isEqualTo(7L);
        assertThat(API.recognize(post("http://localhost:8000/v1/completions", "{\"model\":\"m\",\"prompt\":[\"a\",\"b\"]}")))
                .isNotNull();
        assertThat(API.recognize(post("https://api.openai.com/v1/chat/completions", BODY))).isNull();
        assertThat(API.recognize(post("https://api.openai.com/v1/chat/completions/", BODY))).isNull();
        assertThat(API.recognize(post("https://app.example.com/tasks/completions", "{\"taskId\":1}"))).isNull();
        assertThat(API.recognize(post("https://app.example.com/tasks/completions", "{\"model\":\"m\",\"messages\":[]}")))
                .isNull();
    }

    @Test
    void plainAndStreamedUsage() {
        LlmRequest r = API.recognize(post("https://api.openai.com/v1/completions", BODY));
        UsageParser plain = parse(r.newParser("application/json"), "{\"id\":\"cmpl-1\",\"object\":\"text_completion\","
                + "\"model\":\"gpt-3.5-turbo-instruct\",\"choices\":[{\"text\":\"This is a test\",\"index\":0}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}}");
        assertThat(plain.usage()).isEqualTo(Usage.of(5, 7));
        assertThat(plain.responseModel()).isEqualTo("gpt-3.5-turbo-instruct");

        UsageParser streamed = parse(r.newParser("text/event-stream"),
                "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"model\":\"gpt-3.5-turbo-instruct\","
                        + "\"choices\":[{\"text\":\"This\",\"index\":0}],\"usage\":null}\n\n"
                        + "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"model\":\"gpt-3.5-turbo-instruct\","
                        + "\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}}\n\n"
                        + "data: [DONE]\n\n");
        assertThat(streamed.usage()).isEqualTo(Usage.of(5, 7));
    }
}
