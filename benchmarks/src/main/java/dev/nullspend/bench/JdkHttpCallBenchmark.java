package dev.nullspend.bench;

import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.fake.Scenario;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One whole {@code java.net.http} call per operation against a local server in the same JVM:
 * a non-LLM download, a plain chat completion, and a streamed one read line by line. Run with and
 * without the agent ({@link BenchmarkMain} forks both); the difference is what the agent adds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JdkHttpCallBenchmark {
    private FakeProviderServer server;
    private HttpClient client;
    private HttpRequest download;
    private HttpRequest chat;
    private HttpRequest chatStream;

    @Setup(Level.Trial)
    public void setUp() {
        server = FakeProviderServer.start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        download = HttpRequest.newBuilder(URI.create(server.dataUrl(CallBodies.DOWNLOAD_BYTES))).GET().build();
        URI chatUri = URI.create(server.chatCompletionsUrl(Scenario.OK, CallBodies.USAGE));
        chat = HttpRequest.newBuilder(chatUri).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CallBodies.CHAT)).build();
        chatStream = HttpRequest.newBuilder(chatUri).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CallBodies.STREAM)).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        server.close();
    }

    @Benchmark
    public byte[] nonLlmGet() throws IOException, InterruptedException {
        return client.send(download, HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    @Benchmark
    public String llmChat() throws IOException, InterruptedException {
        return client.send(chat, HttpResponse.BodyHandlers.ofString()).body();
    }

    @Benchmark
    public long llmChatStreamed() throws IOException, InterruptedException {
        try (Stream<String> lines = client.send(chatStream, HttpResponse.BodyHandlers.ofLines()).body()) {
            return lines.count();
        }
    }
}
