package dev.nullspend.it.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nullspend.it.support.FakeProviderTest;
import dev.nullspend.it.support.FakeServers.Fakes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fake provider's other LLM APIs on their own, without the agent: each route sends what its javadoc promises. */
class ProviderRoutesTest extends FakeProviderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final String MESSAGES = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    private static final String CONTENTS = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";

    ProviderRoutesTest(Fakes fakes) {
        super(fakes);
    }

    @Test
    void optionsComeBeforeTheApiPathInAnyOrder() {
        RouteOptions o = RouteOptions.parse("/u/1-2-3/p/groq/s/truncated/x/581/m/gpt-4o/c/0.5/d/7/openai/v1/chat/completions");

        assertThat(o).isEqualTo(new RouteOptions(Scenario.TRUNCATED, "1-2-3", 7, "groq", "gpt-4o", "0.5", 581,
                "/openai/v1/chat/completions"));
        assertThat(RouteOptions.parse("/v1/chat/completions").cutAfterBytes()).isEqualTo(-1);
        assertThat(o.counts(0, 0, 0)).containsExactly(1, 2, 3);
        assertThat(RouteOptions.parse("/v1/messages").counts(25, 0, 15)).containsExactly(25, 0, 15);
        assertThatThrownBy(() -> o.counts(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anthropicMessageSplitsCacheWritesByLifetime() throws Exception {
        HttpResponse<String> r = post("/u/100-7-4000-6000-200/v1/messages", MESSAGES + "}");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode usage = MAPPER.readTree(r.body()).path("usage");
        assertThat(usage.path("input_tokens").asLong()).isEqualTo(100);
        assertThat(usage.path("cache_read_input_tokens").asLong()).isEqualTo(7);
        assertThat(usage.path("cache_creation_input_tokens").asLong()).isEqualTo(10_000);
        assertThat(usage.path("cache_creation").path("ephemeral_5m_input_tokens").asLong()).isEqualTo(4000);
        assertThat(usage.path("cache_creation").path("ephemeral_1h_input_tokens").asLong()).isEqualTo(6000);
        assertThat(usage.path("output_tokens").asLong()).isEqualTo(200);
        assertThat(MAPPER.readTree(r.body()).path("model").asText()).isEqualTo("claude-sonnet-4-5");
    }

    @Test
    void anthropicStreamHasThePlaceholderFirstAndTheOutputInMessageDeltaAndTruncatedStopsBeforeIt() throws Exception {
        String body = MESSAGES + ",\"stream\":true}";
        List<String> events = eventNames(post("/v1/messages", body).body());

        assertThat(events).containsExactly("message_start", "content_block_start", "ping", "content_block_delta",
                "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        String whole = post("/v1/messages", body).body();
        assertThat(whole).contains("\"output_tokens\":1,").contains("\"usage\":{\"output_tokens\":15}}");

        byte[] cut = received("/s/truncated/v1/messages", body);
        String cutText = new String(cut, StandardCharsets.UTF_8);
        assertThat(cutText).contains("message_start").contains("\"text\":\".\"").doesNotContain("message_delta")
                .doesNotContain("content_block_stop").as("no last chunk: cut").doesNotEndWith("0\r\n\r\n");
    }

    @Test
    void geminiStreamsAsSseWithAltSseAndAsOneJsonArrayWithout() throws Exception {
        String path = "/u/8-0-2-98/v1beta/models/gemini-2.5-flash:streamGenerateContent";
        String sse = post(path + "?alt=sse", CONTENTS).body();
        HttpResponse<String> array = post(path, CONTENTS);

        assertThat(sse).startsWith("data: {\"candidates\"").doesNotContain("event:");
        JsonNode elements = MAPPER.readTree(array.body());
        assertThat(elements.isArray()).isTrue();
        assertThat(elements).hasSize(ChatResponses.REPLY_PIECES.size());
        assertThat(array.body()).contains("}\n,\r\n{");
        JsonNode last = elements.get(elements.size() - 1);
        assertThat(last.path("usageMetadata").path("thoughtsTokenCount").asLong()).isEqualTo(98);
        assertThat(last.path("usageMetadata").path("candidatesTokenCount").asLong()).isEqualTo(2);
        assertThat(last.path("usageMetadata").path("totalTokenCount").asLong()).isEqualTo(108);
        assertThat(elements.get(0).path("usageMetadata").has("candidatesTokenCount")).isFalse();
        assertThat(last.path("modelVersion").asText()).isEqualTo("gemini-2.5-flash");
    }

    @Test
    void vertexUsageCarriesTheTrafficTypeAndCachedCounts() throws Exception {
        JsonNode r = MAPPER.readTree(post("/u/10000-8000-100-0/v1/projects/p/locations/us-central1/publishers/google/models/"
                + "gemini-2.5-flash:generateContent", CONTENTS).body());

        assertThat(r.path("usageMetadata").path("trafficType").asText()).isEqualTo("ON_DEMAND");
        assertThat(r.path("usageMetadata").path("cachedContentTokenCount").asLong()).isEqualTo(8000);
        assertThat(r.path("usageMetadata").has("thoughtsTokenCount")).as("zero counts left out").isFalse();
    }

    @Test
    void azureNeedsAnApiVersionAndStartsItsStreamWithPromptFilterResults() throws Exception {
        String path = "/m/gpt-4o-mini/openai/deployments/mini/chat/completions";
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}";

        assertThat(post(path, body).statusCode()).isEqualTo(400);
        List<JsonNode> chunks = dataChunks(post(path + "?api-version=2024-10-21", body).body());
        assertThat(chunks.get(0).path("model").asText()).isEmpty();
        assertThat(chunks.get(0).path("prompt_filter_results").isArray()).isTrue();
        assertThat(chunks.get(1).path("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(chunks).allSatisfy(c -> assertThat(c.path("usage").isNull() || c.path("usage").isMissingNode()).isTrue());
    }

    @Test
    void compatibleVendorsPutTheirUsageWhereTheyDo() throws Exception {
        String chat = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}";
        List<JsonNode> groq = dataChunks(post("/p/groq/openai/v1/chat/completions", "{\"model\":\"llama\"," + chat).body());
        List<JsonNode> mistral = dataChunks(post("/p/mistral/v1/chat/completions", "{\"model\":\"m\"," + chat).body());
        String openrouter = post("/p/openrouter/api/v1/chat/completions", "{\"model\":\"openai/gpt-4o-mini\"," + chat).body();
        JsonNode deepseek = MAPPER.readTree(post("/p/deepseek/chat/completions",
                "{\"model\":\"deepseek-chat\",\"messages\":[]}").body()).path("usage");

        JsonNode groqLast = groq.get(groq.size() - 1);
        assertThat(groqLast.path("choices").size()).isEqualTo(1);
        assertThat(groqLast.path("x_groq").path("usage").path("completion_tokens").asLong()).isEqualTo(40);
        JsonNode mistralLast = mistral.get(mistral.size() - 1);
        assertThat(mistralLast.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
        assertThat(mistralLast.path("usage").path("prompt_tokens").asLong()).isEqualTo(22);
        assertThat(openrouter).startsWith(": OPENROUTER PROCESSING\n\n").contains("\"cost\":0.000027,");
        assertThat(deepseek.path("prompt_cache_hit_tokens").asLong()).isEqualTo(1000);
        assertThat(deepseek.path("prompt_cache_miss_tokens").asLong()).isEqualTo(200);
        assertThat(post("/p/nobody/v1/chat/completions", "{\"model\":\"m\"," + chat).statusCode()).isEqualTo(400);
    }

    @Test
    void responsesEmbeddingsAndOllamaReportTheirUsage() throws Exception {
        String responses = post("/u/2006-1920-300-0/v1/responses", "{\"model\":\"gpt-4o\",\"input\":\"hi\",\"stream\":true}")
                .body();
        HttpResponse<String> embeddings = post("/u/1000-0-0-0/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"hi\"}");
        HttpResponse<String> ollama = post("/api/chat", "{\"model\":\"llama3.2\",\"messages\":[]}");

        assertThat(eventNames(responses)).endsWith("response.output_text.done", "response.completed");
        assertThat(responses).contains("\"usage\":{\"input_tokens\":2006,\"input_tokens_details\":{\"cached_tokens\":1920}");
        JsonNode e = MAPPER.readTree(embeddings.body());
        assertThat(e.path("data").get(0).path("embedding")).hasSize(EmbeddingsRoute.DIMENSIONS);
        assertThat(e.path("usage").path("prompt_tokens").asLong()).isEqualTo(1000);
        assertThat(ollama.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        String[] lines = ollama.body().split("\n");
        assertThat(lines).hasSize(ChatResponses.REPLY_PIECES.size() + 1);
        JsonNode done = MAPPER.readTree(lines[lines.length - 1]);
        assertThat(done.path("done").asBoolean()).isTrue();
        assertThat(done.path("prompt_eval_count").asLong()).isEqualTo(26);
        assertThat(done.path("eval_count").asLong()).isEqualTo(290);
    }

    @Test
    void http500SendsTheVendorsErrorObject() throws Exception {
        HttpResponse<String> r = post("/s/http500/v1/messages", MESSAGES + "}");

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(MAPPER.readTree(r.body()).path("error").path("type").asText()).isEqualTo("api_error");
    }

    private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return CLIENT.send(request(path, json), BodyHandlers.ofString());
    }

    /**
     * The raw bytes (chunked framing included) that arrive before the connection drops, read from a plain
     * socket: {@code java.net.http} may drop what it had buffered when the connection fails.
     */
    private byte[] received(String path, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[256];
            try {
                for (int n; (n = in.read(buf)) != -1; ) {
                    got.write(buf, 0, n);
                }
            } catch (IOException reset) {
                // the cut: what arrived before it is the answer
            }
            return got.toByteArray();
        }
    }

    private HttpRequest request(String path, String json) {
        return HttpRequest.newBuilder(URI.create(server.origin() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private List<String> eventNames(String sse) {
        List<String> names = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("event: ")) {
                names.add(line.substring("event: ".length()));
            }
        }
        return names;
    }

    private List<JsonNode> dataChunks(String sse) throws IOException {
        List<JsonNode> chunks = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                chunks.add(MAPPER.readTree(line.substring("data: ".length())));
            }
        }
        return chunks;
    }
}
