package dev.nullspend.it.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nullspend.it.support.FakeProviderTest;
import dev.nullspend.it.support.FakeServers.Fakes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The fake provider on its own, without the agent: each scenario sends what its javadoc promises. */
class FakeProviderServerTest extends FakeProviderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final FakeUsage USAGE = new FakeUsage(1000, 400, 500, 30);

    FakeProviderServerTest(Fakes fakes) {
        super(fakes);
    }

    @Test
    void plainCompletionReportsThePathUsageAndTheDatedSnapshot() throws Exception {
        HttpResponse<String> response = chat(Scenario.OK, "gpt-4o", "");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode json = MAPPER.readTree(response.body());
        assertThat(json.path("model").asText()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(json.path("usage").path("prompt_tokens").asLong()).isEqualTo(1000);
        assertThat(json.path("usage").path("prompt_tokens_details").path("cached_tokens").asLong()).isEqualTo(400);
        assertThat(json.path("usage").path("completion_tokens").asLong()).isEqualTo(500);
        assertThat(json.path("usage").path("completion_tokens_details").path("reasoning_tokens").asLong()).isEqualTo(30);
        assertThat(json.path("usage").path("total_tokens").asLong()).isEqualTo(1500);
        assertThat(response.body().getBytes(StandardCharsets.UTF_8)).isEqualTo(ChatResponses.completion("gpt-4o", USAGE));
    }

    @Test
    void unknownModelIsEchoedAsSent() throws Exception {
        HttpResponse<String> response = chat(Scenario.OK, "my-local-model", "");

        assertThat(MAPPER.readTree(response.body()).path("model").asText()).isEqualTo("my-local-model");
    }

    @Test
    void streamCarriesUsageOnlyWhenTheRequestAsksForIt() throws Exception {
        HttpResponse<String> withUsage = chat(Scenario.OK, "gpt-4o-mini", ",\"stream\":true,\"stream_options\":{\"include_usage\":true}");
        HttpResponse<String> withoutUsage = chat(Scenario.OK, "gpt-4o-mini", ",\"stream\":true");

        assertThat(withUsage.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        List<JsonNode> chunks = dataChunks(withUsage.body());
        JsonNode last = chunks.get(chunks.size() - 1);
        assertThat(last.path("choices").size()).isZero();
        assertThat(last.path("usage").path("prompt_tokens").asLong()).isEqualTo(1000);
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.path("usage").isNull()).isTrue());
        assertThat(chunks.get(0).path("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(withUsage.body()).endsWith("data: [DONE]\n\n");

        assertThat(dataChunks(withoutUsage.body())).allSatisfy(c -> assertThat(c.path("usage").isNull()).isTrue());
        assertThat(withoutUsage.body().getBytes(StandardCharsets.UTF_8)).isEqualTo(ChatResponses.streamBody("gpt-4o-mini", null));
    }

    @Test
    void noUsageScenarioOmitsUsageEvenWhenAsked() throws Exception {
        HttpResponse<String> plain = chat(Scenario.NO_USAGE, "gpt-4o", "");
        HttpResponse<String> stream = chat(Scenario.NO_USAGE, "gpt-4o", ",\"stream\":true,\"stream_options\":{\"include_usage\":true}");

        assertThat(MAPPER.readTree(plain.body()).has("usage")).isFalse();
        assertThat(dataChunks(stream.body())).allSatisfy(c -> assertThat(c.path("usage").isNull()).isTrue());
    }

    @Test
    void gzipScenarioCompressesPlainAndStreamedBodies() throws Exception {
        HttpResponse<byte[]> plain = chatBytes(Scenario.GZIP, "gpt-4o", "");
        HttpResponse<byte[]> stream = chatBytes(Scenario.GZIP, "gpt-4o", ",\"stream\":true,\"stream_options\":{\"include_usage\":true}");

        assertThat(plain.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gunzip(plain.body())).isEqualTo(ChatResponses.completion("gpt-4o", USAGE));
        assertThat(stream.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gunzip(stream.body())).isEqualTo(ChatResponses.streamBody("gpt-4o", USAGE));
    }

    @Test
    void malformedAndErrorScenarios() throws Exception {
        HttpResponse<byte[]> malformed = chatBytes(Scenario.MALFORMED, "gpt-4o", "");
        HttpResponse<String> error = chat(Scenario.HTTP_500, "gpt-4o", "");

        assertThat(malformed.statusCode()).isEqualTo(200);
        assertThat(malformed.body()).isEqualTo(FakeProviderServer.MALFORMED_BODY);
        assertThatThrownBy(() -> MAPPER.readTree(malformed.body())).isInstanceOf(IOException.class);
        assertThat(error.statusCode()).isEqualTo(500);
        assertThat(MAPPER.readTree(error.body()).path("error").path("type").asText()).isEqualTo("server_error");
    }

    @Test
    void truncatedScenarioDropsTheConnectionMidBody() {
        assertThatThrownBy(() -> chat(Scenario.TRUNCATED, "gpt-4o", ",\"stream\":true")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> chat(Scenario.TRUNCATED, "gpt-4o", "")).isInstanceOf(IOException.class);
    }

    @Test
    void gatedStreamSendsTheFirstEventThenWaitsForRelease() throws Exception {
        HttpRequest request = chatRequest(server.chatCompletionsUrl(Scenario.GATED, USAGE), "gpt-4o",
                ",\"stream\":true,\"stream_options\":{\"include_usage\":true}");
        HttpResponse<InputStream> response = CLIENT.send(request, BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            byte[] firstEvent = ChatResponses.streamEvents("gpt-4o", USAGE).get(0);
            assertThat(in.readNBytes(firstEvent.length)).isEqualTo(firstEvent);
            assertThat(server.gatesWaiting()).isEqualTo(1);

            HttpResponse<String> release = CLIENT.send(HttpRequest.newBuilder(URI.create(server.releaseUrl())).build(),
                    BodyHandlers.ofString());

            assertThat(release.body()).isEqualTo("1");
            byte[] rest = in.readAllBytes();
            byte[] all = ChatResponses.streamBody("gpt-4o", USAGE);
            assertThat(rest.length).isEqualTo(all.length - firstEvent.length);
        }
        assertThat(server.gateTimeouts()).isZero();
    }

    @Test
    void dataAndEchoAreDeterministicAndCounted() throws Exception {
        int before = server.requestCount("/data/100001");
        HttpResponse<byte[]> data = CLIENT.send(HttpRequest.newBuilder(URI.create(server.dataUrl(100_001))).build(),
                BodyHandlers.ofByteArray());
        byte[] payload = DeterministicBytes.of(777);
        HttpResponse<byte[]> echo = CLIENT.send(HttpRequest.newBuilder(URI.create(server.echoUrl()))
                .header("Content-Type", "application/x-test")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(), BodyHandlers.ofByteArray());

        assertThat(data.body()).hasSize(100_001).isEqualTo(DeterministicBytes.of(100_001));
        assertThat(DeterministicBytes.of(100_001)).isNotEqualTo(DeterministicBytes.of(100_001 + 1));
        assertThat(server.requestCount("/data/100001")).isEqualTo(before + 1);
        assertThat(echo.body()).isEqualTo(payload);
        assertThat(echo.headers().firstValue("Content-Type")).hasValue("application/x-test");
    }

    @Test
    void rejectsWhatOpenAiWouldReject() throws Exception {
        HttpResponse<String> noMessages = CLIENT.send(HttpRequest.newBuilder(URI.create(server.chatCompletionsUrl(Scenario.OK, USAGE)))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\"}")).build(), BodyHandlers.ofString());
        HttpResponse<String> badUsage = CLIENT.send(HttpRequest.newBuilder(URI.create(server.origin() + "/u/1-2/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"messages\":[]}")).build(), BodyHandlers.ofString());
        HttpResponse<String> unknown = CLIENT.send(HttpRequest.newBuilder(URI.create(server.origin() + "/v1/models")).build(),
                BodyHandlers.ofString());

        assertThat(noMessages.statusCode()).isEqualTo(400);
        assertThat(badUsage.statusCode()).isEqualTo(400);
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void pathWithoutOptionsBehavesAsOpenAiWithTheDefaultUsage() throws Exception {
        HttpResponse<String> response = CLIENT.send(chatRequest(server.origin() + "/v1/chat/completions", "gpt-4o-mini", ""),
                BodyHandlers.ofString());

        assertThat(response.body().getBytes(StandardCharsets.UTF_8))
                .isEqualTo(ChatResponses.completion("gpt-4o-mini", FakeUsage.DEFAULT));
    }

    private HttpResponse<String> chat(Scenario scenario, String model, String extraFields) throws Exception {
        return CLIENT.send(chatRequest(server.chatCompletionsUrl(scenario, USAGE), model, extraFields), BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> chatBytes(Scenario scenario, String model, String extraFields) throws Exception {
        return CLIENT.send(chatRequest(server.chatCompletionsUrl(scenario, USAGE), model, extraFields), BodyHandlers.ofByteArray());
    }

    private HttpRequest chatRequest(String url, String model, String extraFields) {
        String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extraFields + "}";
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private List<JsonNode> dataChunks(String sse) throws IOException {
        List<JsonNode> chunks = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: {")) {
                chunks.add(MAPPER.readTree(line.substring("data: ".length())));
            }
        }
        return chunks;
    }

    private byte[] gunzip(byte[] compressed) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }
}
