package dev.nullspend.agent.provider.ollama;

import static dev.nullspend.agent.provider.Feeding.assertSameAtRandomSplits;
import static dev.nullspend.agent.provider.Feeding.parse;
import static dev.nullspend.agent.provider.TestExchanges.exchange;
import static dev.nullspend.agent.provider.TestExchanges.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.pricing.PriceTable;
import dev.nullspend.agent.provider.Feeding;
import dev.nullspend.agent.provider.JsonBodyParser;
import dev.nullspend.agent.provider.JsonStreamParser;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.ProviderHosts;
import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ollama's native API: NDJSON streams by default, usage on the done:true object (docs/providers/compatible.md). */
class OllamaApiTest {

    private static final OllamaApi API = new OllamaApi(ProviderHosts.BUILT_IN);
    private static final byte[] NDJSON = Feeding.resource("/providers/ollama/chat.ndjson");
    private static final Usage SAMPLE_USAGE = Usage.of(26, 290);
    private static final String CHAT = "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    private static LlmRequest chat(String body) {
        return API.recognize(post("http://localhost:11434/api/chat", body));
    }

    @Test
    void recognisedOnOllamaHostsStreamingByDefault() {
        LlmRequest r = chat(CHAT);
        assertThat(r.provider()).isEqualTo("ollama");
        assertThat(r.endpoint()).isEqualTo("chat");
        assertThat(r.model()).isEqualTo("llama3.2");
        assertThat(r.stream()).isTrue();
        assertThat(chat("{\"model\":\"llama3.2\",\"messages\":[],\"stream\":false}").stream()).isFalse();
        assertThat(chat(null).stream()).isTrue();
        LlmRequest generate = API.recognize(post("http://127.0.0.1:11434/api/generate",
                "{\"model\":\"llama3.2\",\"prompt\":\"Why?\",\"options\":{\"num_predict\":128}}"));
        assertThat(generate.endpoint()).isEqualTo("generate");
        assertThat(generate.maxOutputTokens()).isEqualTo(128L);
        assertThat(API.recognize(post("http://localhost:11434/api/generate",
                "{\"model\":\"m\",\"options\":{\"num_predict\":-1}}")).maxOutputTokens()).isNull();
        assertThat(API.recognize(post("https://ollama.com/api/chat", CHAT)).provider()).isEqualTo("ollama");
    }

    @Test
    void neverClaimedElsewhereEvenWithAnOllamaShapedBody() {
        assertThat(API.recognize(post("https://app.example.com/api/chat", CHAT))).isNull();
        assertThat(API.recognize(post("http://localhost:8080/api/generate", "{\"model\":\"m\",\"prompt\":\"p\"}"))).isNull();
        assertThat(API.recognize(exchange("GET", "http://localhost:11434/api/chat", null))).isNull();
        assertThat(API.recognize(post("http://localhost:11434/api/tags", "{}"))).isNull();
        assertThat(API.recognize(post("http://localhost:11434/api/embed", "{\"model\":\"m\",\"input\":\"x\"}"))).isNull();
        OllamaApi withExtra = new OllamaApi(ProviderHosts.withExtraHosts(Map.of("ollama", List.of("gpu-box:8080"))));
        assertThat(withExtra.recognize(post("http://gpu-box:8080/api/chat", CHAT)).provider()).isEqualTo("ollama");
        assertThat(withExtra.recognize(post("http://gpu-box:9090/api/chat", CHAT))).isNull();
    }

    @Test
    void parserByContentTypeElseByTheRequest() {
        LlmRequest streamed = chat(CHAT);
        LlmRequest plain = chat("{\"model\":\"llama3.2\",\"messages\":[],\"stream\":false}");
        assertThat(streamed.newParser("application/x-ndjson")).isInstanceOf(JsonStreamParser.class);
        assertThat(streamed.newParser(null)).isInstanceOf(JsonStreamParser.class);
        assertThat(plain.newParser("application/json; charset=utf-8")).isInstanceOf(JsonBodyParser.class);
        assertThat(plain.newParser(null)).isInstanceOf(JsonBodyParser.class);
        assertThat(plain.newParser("application/x-ndjson")).isInstanceOf(JsonStreamParser.class);
    }

    @Test
    void ndjsonStreamAtRandomSplits() {
        UsageParser p = parse(chat(CHAT).newParser("application/x-ndjson"), NDJSON);
        assertThat(p.usage()).isEqualTo(SAMPLE_USAGE);
        assertThat(p.responseModel()).isEqualTo("llama3.2");
        assertThat(assertSameAtRandomSplits(NDJSON, 300, () -> chat(CHAT).newParser("application/x-ndjson"), SAMPLE_USAGE,
                "llama3.2")).isEqualTo(300);
        byte[] crlf = new String(NDJSON, StandardCharsets.UTF_8).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        assertThat(parse(chat(CHAT).newParser("application/x-ndjson"), crlf).usage()).isEqualTo(SAMPLE_USAGE);
    }

    @Test
    void plainResponse() {
        String body = "{\"model\":\"llama3.2\",\"created_at\":\"2026-01-01T00:00:01Z\",\"response\":\"Because.\",\"done\":true,"
                + "\"done_reason\":\"stop\",\"context\":[1,2,3],\"total_duration\":5000000000,\"prompt_eval_count\":26,"
                + "\"eval_count\":290}";
        UsageParser p = parse(chat("{\"stream\":false}").newParser("application/json"), body);
        assertThat(p.usage()).isEqualTo(SAMPLE_USAGE);
        assertThat(p.responseModel()).isEqualTo("llama3.2");
    }

    @Test
    void aMissingPromptEvalCountIsZeroAndAnUnfinishedStreamHasNoUsage() {
        String cached = "{\"model\":\"llama3.2\",\"done\":false}\n{\"model\":\"llama3.2\",\"done\":true,\"eval_count\":12}\n";
        assertThat(parse(chat(CHAT).newParser("application/x-ndjson"), cached).usage()).isEqualTo(Usage.of(0, 12));
        String cut = new String(NDJSON, StandardCharsets.UTF_8).lines().findFirst().orElseThrow() + "\n";
        UsageParser p = parse(chat(CHAT).newParser("application/x-ndjson"), cut);
        assertThat(p.usage()).isNull();
        assertThat(p.responseModel()).isEqualTo("llama3.2");
    }

    @Test
    void unpricedUnlessConfigured() {
        assertThat(PriceTable.bundled().resolve("ollama", "llama3.2", "llama3.2")).isNull();
    }
}
