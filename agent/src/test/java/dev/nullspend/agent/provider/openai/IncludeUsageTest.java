package dev.nullspend.agent.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.Headers;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.ProviderHosts;
import dev.nullspend.agent.provider.Providers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/providers/README.md#stream-usage-opt-in: {@code stream_options.include_usage} is added by inserting bytes, or the body stays as it is. */
class IncludeUsageTest {

    private static String inject(String body) {
        byte[] out = IncludeUsage.inject(body.getBytes(StandardCharsets.UTF_8));
        return out == null ? null : new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void addsStreamOptionsBeforeTheClosingBrace() {
        assertThat(inject("{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[]}"))
                .isEqualTo("{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[],\"stream_options\":{\"include_usage\":true}}");
    }

    @Test
    void keepsTheProgramsWhitespaceAndLayout() {
        assertThat(inject("{\n  \"model\" : \"gpt-4o\",\n  \"stream\" : true\n}\n"))
                .isEqualTo("{\n  \"model\" : \"gpt-4o\",\n  \"stream\" : true\n,\"stream_options\":{\"include_usage\":true}}\n");
    }

    @Test
    void mergesIntoAnExistingStreamOptionsObject() {
        assertThat(inject("{\"stream\":true,\"stream_options\":{\"include_obfuscation\":false},\"model\":\"gpt-4o\"}"))
                .isEqualTo("{\"stream\":true,\"stream_options\":{\"include_usage\":true,\"include_obfuscation\":false},\"model\":\"gpt-4o\"}");
        assertThat(inject("{\"stream\":true,\"stream_options\": { } }"))
                .isEqualTo("{\"stream\":true,\"stream_options\": {\"include_usage\":true } }");
    }

    @Test
    void replacesANullStreamOptions() {
        assertThat(inject("{\"stream\":true,\"stream_options\":null,\"n\":1}"))
                .isEqualTo("{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"n\":1}");
    }

    @Test
    void keepsEveryByteOfMultiByteTextAndEscapes() {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Grüße, 東京 \\u00e9 \\\"q\\\" 🙂\"}],\"stream\":true}";
        String out = inject(body);
        assertThat(out).isEqualTo(body.substring(0, body.length() - 1) + ",\"stream_options\":{\"include_usage\":true}}");
        assertThat(IncludeUsage.inject(body.getBytes(StandardCharsets.UTF_8))).hasSize(
                body.getBytes(StandardCharsets.UTF_8).length + ",\"stream_options\":{\"include_usage\":true}".length());
    }

    /** An explicit {@code include_usage}, true or false, is the program's choice: the body is not touched (false: billed at the estimate). */
    @ParameterizedTest
    @ValueSource(strings = {"true", "false", "null"})
    void neverChangesAnIncludeUsageTheProgramSet(String value) {
        assertThat(inject("{\"stream\":true,\"stream_options\":{\"include_usage\":" + value + "}}")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"model\":\"gpt-4o\"}",                                  // not streamed
            "{\"model\":\"gpt-4o\",\"stream\":false}",
            "{\"stream\":\"true\"}",                                   // not the boolean
            "{\"stream\":true",                                       // cut
            "{\"stream\":true}{}",                                    // two documents
            "{\"stream\":true} x",
            "[{\"stream\":true}]",                                    // not an object
            "{\"stream\":true,\"stream\":true}",                      // duplicate key
            "{\"stream\":true,\"stream_options\":[]}",                // stream_options not an object
            "{\"stream\":true,\"stream_options\":{\"a\":1,\"a\":2}}", // duplicate key inside
            "{\"stream\":tru}",
            ""})
    void leavesBodiesItCannotSafelyChangeAlone(String body) {
        assertThat(inject(body)).isNull();
    }

    @Test
    void leavesBodiesOverTheBoundAlone() {
        StringBuilder big = new StringBuilder("{\"stream\":true,\"pad\":\"");
        big.append("x".repeat(IncludeUsage.MAX_BODY));
        big.append("\"}");
        assertThat(inject(big.toString())).isNull();
    }

    @Test
    void asksOnlyDefaultOrConfiguredHostsForStreamedChatThatIsNotSigned() {
        IncludeUsage policy = new IncludeUsage(List.of("localhost:8080", "gateway.internal"));
        String chat = "{\"model\":\"gpt-4o\",\"messages\":[],\"stream\":true}";

        assertThat(rewrite(policy, "https://api.openai.com/v1/chat/completions", chat, Map.of())).isNotNull();
        assertThat(rewrite(policy, "https://api.deepseek.com/chat/completions", chat, Map.of())).isNotNull();
        assertThat(rewrite(policy, "http://localhost:8080/v1/chat/completions", chat, Map.of())).isNotNull();
        assertThat(rewrite(policy, "https://gateway.internal:9443/v1/chat/completions", chat, Map.of())).isNotNull();

        assertThat(rewrite(policy, "http://localhost:8081/v1/chat/completions", chat, Map.of())).as("other port").isNull();
        assertThat(rewrite(policy, "https://api.groq.com/openai/v1/chat/completions", chat, Map.of())).as("opt-in").isNull();
        assertThat(rewrite(policy, "https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21",
                chat, Map.of())).as("opt-in").isNull();
        assertThat(rewrite(policy, "https://api.openai.com/v1/responses",
                "{\"model\":\"gpt-4o\",\"input\":\"hi\",\"stream\":true}", Map.of())).as("not chat").isNull();
        assertThat(rewrite(policy, "https://api.openai.com/v1/chat/completions", chat,
                Map.of("authorization", "AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/bedrock/aws4_request"))).isNull();
        assertThat(rewrite(policy, "https://api.openai.com/v1/chat/completions", chat, Map.of("x-amz-date", "20260101T000000Z"))).isNull();
        assertThat(rewrite(policy, "https://api.openai.com/v1/chat/completions", chat, Map.of("x-goog-date", "20260101T000000Z"))).isNull();
        assertThat(rewrite(policy, "https://api.openai.com/v1/chat/completions?X-Amz-Signature=abc", chat, Map.of())).isNull();
        assertThat(rewrite(policy, "https://api.openai.com/v1/chat/completions", chat, Map.of("content-digest", "sha-256=:x:"))).isNull();
        assertThat(rewrite(policy, "https://api.openai.com/v1/chat/completions", chat, Map.of("accept-encoding", "gzip"))).isNull();
        assertThat(rewrite(policy, "https://api.openai.com/v1/chat/completions", chat, Map.of("accept-encoding", "identity"))).isNotNull();
        assertThat(rewrite(policy, "https://api.openai.com/v1/chat/completions", chat,
                Map.of("authorization", "Bearer sk-test"))).isNotNull();
    }

    @Test
    void leavesATruncatedBodyCopyAlone() {
        IncludeUsage policy = new IncludeUsage(List.of());
        byte[] chat = "{\"model\":\"gpt-4o\",\"messages\":[],\"stream\":true}".getBytes(StandardCharsets.UTF_8);
        Exchange cut = new Exchange("POST", URI.create("https://api.openai.com/v1/chat/completions"), Headers.NONE,
                chat, chat.length + 10L);
        LlmRequest request = new OpenAiChatApi(ProviderHosts.BUILT_IN).recognize(cut);

        assertThat(request.stream()).isTrue();
        assertThat(policy.rewrite(cut, request)).isNull();
    }

    private static String rewrite(IncludeUsage policy, String url, String body, Map<String, String> headers) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Exchange exchange = new Exchange("POST", URI.create(url), headers::get, bytes, bytes.length);
        LlmRequest request = Providers.defaults().recognize(exchange);
        assertThat(request).as(url).isNotNull();
        byte[] out = policy.rewrite(exchange, request);
        return out == null ? null : new String(out, StandardCharsets.UTF_8);
    }
}
