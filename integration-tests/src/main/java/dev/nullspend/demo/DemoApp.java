package dev.nullspend.demo;

import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.MiniJson;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.fake.Sha256;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A program that knows nothing of NullSpend: it talks to an OpenAI-compatible API through
 * {@code java.net.http} (three chat completions, one of them streamed) and downloads a file.
 *
 * <p>It starts its own {@link FakeProviderServer}, so it runs offline and needs only the JDK:
 * <pre>
 *   java -jar integration-tests/target/nullspend-demo.jar
 *   java -javaagent:agent/target/nullspend-agent.jar -jar integration-tests/target/nullspend-demo.jar
 * </pre>
 * Under the agent, each chat completion becomes one costed ledger line; the download does not.
 */
public final class DemoApp {

    /**
     * One chat completion of the demo.
     *
     * @param model  the request's model
     * @param stream whether it is streamed (with {@code stream_options.include_usage})
     * @param usage  the usage the fake provider reports for it
     */
    public record DemoCall(String model, boolean stream, FakeUsage usage) {
    }

    /** The demo's chat completions, in order; DemoIT derives the expected ledger from them. */
    public static final List<DemoCall> CALLS = List.of(
            new DemoCall("gpt-4o-mini", false, new FakeUsage(22, 0, 3, 0)),
            new DemoCall("gpt-4o", false, new FakeUsage(1000, 400, 500, 0)),
            new DemoCall("o3", true, new FakeUsage(1000, 0, 500, 200)));

    /** Size of the download that is not an LLM call. */
    public static final int DOWNLOAD_BYTES = 4096;

    /** A pause between streamed events, so the reply is seen arriving piece by piece. */
    private static final Duration STREAM_EVENT_DELAY = Duration.ofMillis(80);

    private final HttpClient client = HttpClient.newHttpClient();
    private final FakeProviderServer server;

    private DemoApp(FakeProviderServer server) {
        this.server = server;
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        try (FakeProviderServer server = FakeProviderServer.start()) {
            System.out.println("NullSpend demo: an ordinary java.net.http program calling an OpenAI-compatible API");
            System.out.println("(a local fake provider at " + server.origin() + ", so no key and no network are needed)");
            System.out.println();
            DemoApp demo = new DemoApp(server);
            int step = 1;
            for (DemoCall call : CALLS) {
                if (call.stream()) {
                    demo.streamedChat(step++, call);
                } else {
                    demo.plainChat(step++, call);
                }
            }
            demo.download(step);
            System.out.println();
            System.out.println(agentHint());
        }
    }

    private void plainChat(int step, DemoCall call) throws IOException, InterruptedException {
        System.out.printf("%d) chat completion, model %s%n", step, call.model());
        HttpResponse<String> response = client.send(chatRequest(call), BodyHandlers.ofString());
        requireOk(response.statusCode());
        Object json = MiniJson.parse(response.body());
        Object reply = MiniJson.path(firstChoice(json), "message", "content");
        System.out.printf("   reply: %s%n", reply);
        System.out.printf("   answered by %s, %s%n", MiniJson.path(json, "model"), describeUsage(MiniJson.path(json, "usage")));
    }

    private void streamedChat(int step, DemoCall call) throws IOException, InterruptedException {
        System.out.printf("%d) streamed chat completion, model %s%n", step, call.model());
        HttpResponse<Stream<String>> response = client.send(chatRequest(call), BodyHandlers.ofLines());
        requireOk(response.statusCode());
        System.out.print("   reply: ");
        Object model = null;
        Object usage = null;
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                    continue;
                }
                Object chunk = MiniJson.parse(line.substring("data: ".length()));
                model = model == null ? MiniJson.path(chunk, "model") : model;
                Object piece = MiniJson.path(firstChoice(chunk), "delta", "content");
                if (piece instanceof String text) {
                    System.out.print(text);
                    System.out.flush();
                }
                Object chunkUsage = MiniJson.path(chunk, "usage");
                usage = chunkUsage == null ? usage : chunkUsage;
            }
        }
        System.out.println();
        System.out.printf("   answered by %s, %s%n", model, describeUsage(usage));
    }

    private void download(int step) throws IOException, InterruptedException {
        System.out.printf("%d) a download that is not an LLM call: GET /data/%d%n", step, DOWNLOAD_BYTES);
        HttpResponse<byte[]> response = client.send(
                HttpRequest.newBuilder(URI.create(server.dataUrl(DOWNLOAD_BYTES))).GET().build(),
                BodyHandlers.ofByteArray());
        requireOk(response.statusCode());
        System.out.printf("   received %d bytes, sha256 %s%n", response.body().length, Sha256.hex(response.body()));
    }

    private HttpRequest chatRequest(DemoCall call) {
        String body = "{\"model\":" + MiniJson.quote(call.model())
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]"
                + (call.stream() ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "")
                + "}";
        String baseUrl = call.stream()
                ? server.openAiBaseUrl(Scenario.OK, call.usage(), STREAM_EVENT_DELAY)
                : server.openAiBaseUrl(Scenario.OK, call.usage());
        return HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer sk-demo-not-a-real-key")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static Object firstChoice(Object json) {
        return MiniJson.path(json, "choices") instanceof List<?> choices && !choices.isEmpty() ? choices.get(0) : null;
    }

    private static String describeUsage(Object usage) {
        if (usage == null) {
            return "no usage reported";
        }
        return String.format("usage: %s prompt tokens (%s cached), %s completion tokens (%s reasoning)",
                MiniJson.path(usage, "prompt_tokens"),
                MiniJson.path(usage, "prompt_tokens_details", "cached_tokens"),
                MiniJson.path(usage, "completion_tokens"),
                MiniJson.path(usage, "completion_tokens_details", "reasoning_tokens"));
    }

    private static void requireOk(int status) {
        if (status != 200) {
            throw new IllegalStateException("the fake provider answered HTTP " + status);
        }
    }

    private static String agentHint() {
        boolean agentPresent = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(arg -> arg.startsWith("-javaagent:") && arg.contains("nullspend"));
        if (agentPresent) {
            return "Done. The NullSpend agent costed the three chat completions; its summary follows, and the ledger is "
                    + System.getProperty("nullspend.ledger", "nullspend-ledger.jsonl") + ".";
        }
        return "Done. Nothing was costed: run it again with -javaagent:agent/target/nullspend-agent.jar to see what these calls cost.";
    }
}
