package dev.nullspend.it;

import org.junit.jupiter.api.Tag;
import static dev.nullspend.it.support.EventAssertions.assertExactEvents;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.apps.AnthropicSdkApp;
import dev.nullspend.it.apps.GeminiSdkApp;
import dev.nullspend.it.apps.JdkHttpClientApp;
import dev.nullspend.it.fake.ChatResponses;
import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.fake.Sha256;
import dev.nullspend.it.support.EventAssertions.Breakdown;
import dev.nullspend.it.support.EventAssertions.ExpectedEvent;
import dev.nullspend.it.support.ForkedJvm;
import dev.nullspend.it.support.TestEnvironment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every provider family the agent reads, plain and streamed, under the built jar in a forked JVM, against
 * the fake provider's byte-exact shapes of each vendor: each call gives exactly one event with the
 * tokens and microdollars of its docs/providers/cost-vectors.md vector (or, for vendors the bundled table does not
 * price, of a pricing file), and the program receives the provider's bytes unchanged.
 *
 * <p>How each family is told apart on {@code 127.0.0.1}: Anthropic, Gemini / Vertex AI, the Responses API
 * and Embeddings by their path and request shape; Azure by its {@code /openai/deployments/} path; the
 * OpenAI-compatible vendors (Groq, DeepSeek, OpenRouter, Mistral) and Ollama only by
 * {@code nullspend.providers.extra-hosts} — their paths and bodies are OpenAI's (or too generic), so on
 * a custom base URL without it they are {@code openai} (Ollama: not an LLM call). Each of those vendors
 * therefore gets a fake server of its own, on its own port, named in extra-hosts.
 */
@Tag(TestEnvironment.AGENT_LOGIC)
class ProviderFamiliesIT {

    private static final Map<String, String> NO_TAGS = Map.of();

    /** Anthropic, Gemini, Vertex AI, Azure, Responses and Embeddings: recognised without configuration. */
    private static FakeProviderServer server;
    private static FakeProviderServer groq;
    private static FakeProviderServer deepseek;
    private static FakeProviderServer openrouter;
    private static FakeProviderServer mistral;
    private static FakeProviderServer ollama;

    @TempDir
    Path workDir;

    @BeforeAll
    static void startServers() {
        server = FakeProviderServer.start();
        groq = FakeProviderServer.start();
        deepseek = FakeProviderServer.start();
        openrouter = FakeProviderServer.start();
        mistral = FakeProviderServer.start();
        ollama = FakeProviderServer.start();
    }

    @AfterAll
    static void stopServers() {
        for (FakeProviderServer s : List.of(server, groq, deepseek, openrouter, mistral, ollama)) {
            s.close();
        }
    }

    /**
     * The Anthropic Java SDK: messages and streams with cache reads and both cache-write lifetimes are
     * exact (docs/providers/cost-vectors.md #9, #12, #14); a stream cut after its content, before {@code message_delta},
     * keeps its exact input and cache tokens and is billed {@code max_tokens} of output, tagged
     * {@code _ns_estimated} and {@code _ns_cancelled} (issue #4), instead of the placeholder output of 1.
     */
    @Test
    void anthropicSdkMessagesAndStreamsAreExactAndACutStreamIsEstimatedFromItsInput() {
        ForkedJvm.Result run = ForkedJvm.in(workDir).mainClass(AnthropicSdkApp.class)
                .classPath(TestEnvironment.programClassPath("anthropic-java-" + TestEnvironment.anthropicJavaVersion()))
                .calls(List.of(
                        List.of("base=" + server.origin() + "/u/1000-0-2000-1000-500", "model=claude-sonnet-4-5",
                                "max-tokens=1024", "kind=message"),
                        List.of("base=" + server.origin() + "/u/100-0-4000-6000-200", "model=claude-sonnet-4-5",
                                "max-tokens=1024", "kind=stream"),
                        List.of("base=" + server.origin() + "/u/1000-300-0-0-500", "model=claude-sonnet-4-5",
                                "max-tokens=1024", "kind=stream"),
                        List.of("base=" + server.origin() + "/s/truncated/u/5000-1000-0-0-777", "model=claude-sonnet-4-5",
                                "max-tokens=2048", "kind=stream")))
                .run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).startsWith(reply(), reply(), reply());
        assertThat(run.stdoutLines().get(3)).as(run.describe()).startsWith("error=");
        assertThat(run.stdoutLines().get(4)).as("the content came before the cut; %s", run.describe())
                .isEqualTo("partial=" + ChatResponses.replyText());
        assertExactEvents(run, List.of(
                // #14: 1000 × 3 + 2000 × 3.75 + 1000 × 6 + 500 × 15 = 3000 + 13,500 + 7500
                anthropic(4000, 0, 500, 24_000, new Breakdown(3000, 13_500, 7500, 0), NO_TAGS),
                // #9: 100 × 3 + 4000 × 3.75 + 6000 × 6 + 200 × 15 = 300 + 51,000 + 3000
                anthropic(10_100, 0, 200, 54_300, new Breakdown(300, 51_000, 3000, 0), NO_TAGS),
                // #12: 1000 × 3 + 300 × 0.30 + 500 × 15 = 3000 + 90 + 7500
                anthropic(1300, 300, 500, 10_590, new Breakdown(3000, 90, 7500, 0), NO_TAGS),
                // cut: 5000 × 3 + 1000 × 0.30 exact, output = max_tokens 2048 × 15 = 30,720
                anthropic(6000, 1000, 2048, 46_020, new Breakdown(15_000, 300, 30_720, 0),
                        Map.of("_ns_estimated", "true", "_ns_cancelled", "true"))));
    }

    /**
     * Google's Gen AI Java SDK on the Developer API and on Vertex AI, {@code generateContent} and
     * {@code generateContentStream} ({@code alt=sse}): thoughts are added to the output, cached content is
     * priced as cache reads (docs/providers/cost-vectors.md #17, #18, #19). A stream cut before its last chunk (the only
     * one with the output count) bills its exact input and the request's {@code maxOutputTokens}.
     */
    @Test
    void geminiSdkOnTheDeveloperApiAndVertexAiIsExact() {
        String sdkBase = server.origin() + "/u/";
        ForkedJvm.Result run = ForkedJvm.in(workDir).mainClass(GeminiSdkApp.class)
                .classPath(TestEnvironment.programClassPath("google-genai-" + TestEnvironment.googleGenaiVersion()))
                .calls(List.of(
                        List.of("base=" + sdkBase + "55021-0-923-785", "model=gemini-2.5-pro", "kind=content", "api=gemini"),
                        List.of("base=" + sdkBase + "8-0-2-98", "model=gemini-2.5-flash", "kind=stream", "api=gemini"),
                        List.of("base=" + sdkBase + "10000-8000-100-0", "model=gemini-2.5-flash", "kind=content", "api=vertex"),
                        List.of("base=" + sdkBase + "1000-0-50-0", "model=gemini-2.5-flash", "kind=stream", "api=vertex"),
                        List.of("base=" + server.origin() + "/s/truncated/u/3000-0-50-0", "model=gemini-2.5-flash",
                                "kind=stream", "api=gemini", "max=256")))
                .run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).hasSize(6).startsWith(reply(), reply(), reply(), reply());
        assertThat(run.stdoutLines().get(4)).as("the stream's first pieces came before the cut; %s", run.describe())
                .startsWith("partial=").isNotEqualTo("partial=");
        assertThat(run.stdoutLines().get(5)).as(run.describe()).startsWith("error=");
        assertExactEvents(run, List.of(
                // #17: 55,021 × 1.25 + (923 + 785) × 10 = 68,776.25 + 17,080 → 85,856; reasoning 7,850
                google("gemini-2.5-pro", 55_021, 0, 1708, 785, 85_856, new Breakdown(68_776, 0, 17_080, 7850)),
                // #18: 8 × 0.30 + (2 + 98) × 2.50 = 2.4 + 250 → 252; reasoning 245
                google("gemini-2.5-flash", 8, 0, 100, 98, 252, new Breakdown(2, 0, 250, 245)),
                // #19: 2000 × 0.30 + 8000 × 0.03 + 100 × 2.50 = 600 + 240 + 250
                google("gemini-2.5-flash", 10_000, 8000, 100, 0, 1090, new Breakdown(600, 240, 250, 0)),
                // 1000 × 0.30 + 50 × 2.50 = 300 + 125
                google("gemini-2.5-flash", 1000, 0, 50, 0, 425, new Breakdown(300, 0, 125, 0)),
                // cut before the chunk with the output count: 3000 × 0.30 exact, output = maxOutputTokens 256 × 2.50
                new ExpectedEvent("google", "gemini-2.5-flash", 3000, 0, 256, 0, 1540, new Breakdown(900, 0, 640, 0),
                        Map.of("_ns_estimated", "true", "_ns_cancelled", "true"))));
    }

    /**
     * Plain HTTP ({@code java.net.http}, body read as it arrives) for what the SDKs above do not send:
     * Gemini's stream without {@code alt=sse} (one JSON array written element by element, #22's rounding),
     * the Responses API plain and streamed (#2, #3), Embeddings (#20), and Azure OpenAI deployment URLs,
     * priced by the model the response names (#5).
     */
    @Test
    void geminiArrayStreamResponsesEmbeddingsAndAzureAreExact() throws Exception {
        String o = server.origin();
        List<String[]> calls = List.of(
                post(o + "/u/1000-1000-0-0/v1beta/models/gemini-2.0-flash-lite:streamGenerateContent",
                        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Say hello.\"}]}]}"),
                post(o + "/u/2006-1920-300-0/v1/responses", "{\"model\":\"gpt-4o\",\"input\":\"Say hello.\"}"),
                post(o + "/u/1000-200-500-0/v1/responses",
                        "{\"model\":\"gpt-4o\",\"input\":[{\"role\":\"user\",\"content\":\"Say hello.\"}],\"stream\":true}"),
                post(o + "/u/1000000-0-0-0/v1/embeddings",
                        "{\"model\":\"text-embedding-3-small\",\"input\":[\"Say hello.\"]}"),
                post(o + "/m/gpt-4o/u/1000-400-500-0/openai/deployments/my-gpt4o-prod/chat/completions?api-version=2024-10-21",
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}"),
                post(o + "/m/gpt-4o-mini/u/1004-0-500-0/openai/deployments/mini/chat/completions?api-version=2024-10-21",
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}],\"stream\":true,"
                                + "\"stream_options\":{\"include_usage\":true}}"));

        ForkedJvm.Result run = plainHttp(calls).run();

        assertReceivedAsSent(run, calls);
        assertExactEvents(run, List.of(
                // #22: 1000 cached × 0.01875 = 18.75 → 19
                google("gemini-2.0-flash-lite", 1000, 1000, 0, 0, 19, new Breakdown(0, 19, 0, 0)),
                // #2: 86 × 2.50 + 1920 × 1.25 + 300 × 10 = 215 + 2400 + 3000
                openAi("gpt-4o", 2006, 1920, 300, 5615, new Breakdown(215, 2400, 3000, 0)),
                // #3: 800 × 2.50 + 200 × 1.25 + 500 × 10 = 2000 + 250 + 5000
                openAi("gpt-4o", 1000, 200, 500, 7250, new Breakdown(2000, 250, 5000, 0)),
                // #20: 1,000,000 × 0.02
                openAi("text-embedding-3-small", 1_000_000, 0, 0, 20_000, new Breakdown(20_000, 0, 0, 0)),
                // #5: 600 × 2.50 + 400 × 1.25 + 500 × 10 = 1500 + 500 + 5000
                openAi("gpt-4o-2024-08-06", 1000, 400, 500, 7000, new Breakdown(1500, 500, 5000, 0)),
                // 1004 × 0.15 + 500 × 0.60 = 150.6 + 300 → 451
                openAi("gpt-4o-mini-2024-07-18", 1004, 0, 500, 451, new Breakdown(151, 0, 300, 0))));
    }

    /**
     * Groq ({@code x_groq.usage} on a stream's finish chunk), DeepSeek (cache hit / miss), OpenRouter (its
     * own {@code usage.cost}, #23), Mistral (usage next to non-empty {@code choices}) and Ollama's native
     * NDJSON, each on a host named for it in {@code nullspend.providers.extra-hosts}, priced by a pricing
     * file where the bundled table has no price.
     */
    @Test
    void openAiCompatibleVendorsAndOllamaOnTheirHostsAreExact() throws Exception {
        Path prices = workDir.resolve("prices.json");
        Files.writeString(prices, """
                {"models": [
                  {"provider": "groq", "model": "llama-3.1-8b-instant", "input": "0.05", "output": "0.08",
                   "source": "test", "checked": "2026-11-01"},
                  {"provider": "deepseek", "model": "deepseek-chat", "input": "0.27", "cachedInput": "0.07", "output": "1.10",
                   "source": "test", "checked": "2026-11-01"},
                  {"provider": "mistral_ai", "model": "mistral-large-latest", "input": "2.00", "output": "6.00",
                   "source": "test", "checked": "2026-11-01"},
                  {"provider": "ollama", "model": "llama3.2", "input": "0", "output": "0",
                   "source": "test", "checked": "2026-11-01"}
                ]}
                """);
        String chat = "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]";
        List<String[]> calls = List.of(
                post(groq.origin() + "/p/groq/openai/v1/chat/completions",
                        "{\"model\":\"llama-3.1-8b-instant\"," + chat + ",\"stream\":true}"),
                post(groq.origin() + "/p/groq/u/1000-0-500-0/openai/v1/chat/completions",
                        "{\"model\":\"llama-3.1-8b-instant\"," + chat + "}"),
                post(deepseek.origin() + "/p/deepseek/chat/completions", "{\"model\":\"deepseek-chat\"," + chat + "}"),
                post(deepseek.origin() + "/p/deepseek/u/2000-500-100-0/v1/chat/completions",
                        "{\"model\":\"deepseek-chat\"," + chat + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}"),
                post(openrouter.origin() + "/p/openrouter/api/v1/chat/completions",
                        "{\"model\":\"openai/gpt-4o-mini\"," + chat + "}"),
                post(openrouter.origin() + "/p/openrouter/u/2000-0-100-0/c/0.00036/api/v1/chat/completions",
                        "{\"model\":\"openai/gpt-4o-mini\"," + chat + ",\"stream\":true}"),
                post(mistral.origin() + "/p/mistral/v1/chat/completions",
                        "{\"model\":\"mistral-large-latest\"," + chat + ",\"stream\":true}"),
                post(mistral.origin() + "/p/mistral/u/1000-0-500-0/v1/chat/completions",
                        "{\"model\":\"mistral-large-latest\"," + chat + "}"),
                post(ollama.origin() + "/api/chat", "{\"model\":\"llama3.2\"," + chat + "}"),
                post(ollama.origin() + "/u/100-0-20-0/api/chat", "{\"model\":\"llama3.2\"," + chat + ",\"stream\":false}"));

        ForkedJvm.Result run = plainHttp(calls)
                .systemProperty("nullspend.providers.extra-hosts", String.join(",",
                        "groq=127.0.0.1:" + groq.port(), "deepseek=127.0.0.1:" + deepseek.port(),
                        "openrouter=127.0.0.1:" + openrouter.port(), "mistral_ai=127.0.0.1:" + mistral.port(),
                        "ollama=127.0.0.1:" + ollama.port()))
                .systemProperty("nullspend.pricing-file", prices.toString())
                .run();

        assertReceivedAsSent(run, calls);
        assertExactEvents(run, List.of(
                // 12 × 0.05 + 40 × 0.08 = 0.6 + 3.2 → 4
                event("groq", "llama-3.1-8b-instant", 12, 0, 40, 0, 4, new Breakdown(1, 0, 3, 0)),
                event("groq", "llama-3.1-8b-instant", 1000, 0, 500, 0, 90, new Breakdown(50, 0, 40, 0)),
                // docs/providers/compatible.md: miss 200 × 0.27 + hit 1000 × 0.07 + 300 × 1.10 = 54 + 70 + 330; reasoning 132
                event("deepseek", "deepseek-chat", 1200, 1000, 300, 120, 454, new Breakdown(54, 70, 330, 132)),
                // 1500 × 0.27 + 500 × 0.07 + 100 × 1.10 = 405 + 35 + 110
                event("deepseek", "deepseek-chat", 2000, 500, 100, 0, 550, new Breakdown(405, 35, 110, 0)),
                // #23: the reported 0.000027 USD; no breakdown
                event("openrouter", "openai/gpt-4o-mini", 100, 0, 20, 0, 27, null),
                event("openrouter", "openai/gpt-4o-mini", 2000, 0, 100, 0, 360, null),
                // 22 × 2 + 3 × 6 = 44 + 18
                event("mistral_ai", "mistral-large-latest", 22, 0, 3, 0, 62, new Breakdown(44, 0, 18, 0)),
                event("mistral_ai", "mistral-large-latest", 1000, 0, 500, 0, 5000, new Breakdown(2000, 0, 3000, 0)),
                // docs/providers/compatible.md#ollama NDJSON sample: 26 in, 290 out, free
                event("ollama", "llama3.2", 26, 0, 290, 0, 0, new Breakdown(0, 0, 0, 0)),
                event("ollama", "llama3.2", 100, 0, 20, 0, 0, new Breakdown(0, 0, 0, 0))));
    }

    private static ExpectedEvent anthropic(long input, long cached, long output, long cost, Breakdown breakdown,
                                           Map<String, String> tags) {
        return new ExpectedEvent("anthropic", "claude-sonnet-4-5", input, cached, output, 0, cost, breakdown, tags);
    }

    private static ExpectedEvent google(String model, long input, long cached, long output, long reasoning, long cost,
                                        Breakdown breakdown) {
        return event("google", model, input, cached, output, reasoning, cost, breakdown);
    }

    private static ExpectedEvent openAi(String model, long input, long cached, long output, long cost, Breakdown breakdown) {
        return event("openai", model, input, cached, output, 0, cost, breakdown);
    }

    private static ExpectedEvent event(String provider, String model, long input, long cached, long output, long reasoning,
                                       long cost, Breakdown breakdown) {
        return new ExpectedEvent(provider, model, input, cached, output, reasoning, cost, breakdown, NO_TAGS);
    }

    /** One {@link JdkHttpClientApp} call: POST {@code json} to {@code url}, the body read as it arrives. */
    private static String[] post(String url, String json) {
        return new String[] {url, json};
    }

    private ForkedJvm.Builder plainHttp(List<String[]> posts) {
        List<List<String>> calls = new ArrayList<>();
        for (String[] p : posts) {
            calls.add(List.of("url=" + p[0], "json=" + p[1], "handler=input-stream"));
        }
        return ForkedJvm.in(workDir).mainClass(JdkHttpClientApp.class).calls(calls);
    }

    /**
     * The program got status 200 and, for each call, the bytes this JVM (without the agent) gets for the
     * same request: the fake's answers are deterministic.
     */
    private static void assertReceivedAsSent(ForkedJvm.Result run, List<String[]> posts) throws IOException, InterruptedException {
        assertThat(run.exitCode()).as(run.describe()).isZero();
        List<String> expected = new ArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        for (String[] p : posts) {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(p[0]))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(p[1])).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            expected.add("status=" + response.statusCode());
            expected.add("sha256=" + Sha256.hex(response.body()));
            expected.add("bytes=" + response.body().length);
        }
        assertThat(expected).as("the fake answers every call").filteredOn(l -> l.startsWith("status="))
                .allMatch(l -> l.equals("status=200"));
        // JdkHttpClientApp also prints "first-event" when a streamed body's first SSE event arrives.
        assertThat(run.stdoutLines()).as(run.describe()).filteredOn(l -> !l.equals("first-event"))
                .containsExactlyElementsOf(expected);
    }

    private static String reply() {
        return "reply=" + ChatResponses.replyText();
    }
}
