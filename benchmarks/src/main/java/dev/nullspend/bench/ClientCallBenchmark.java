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

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The operations of {@link JdkHttpCallBenchmark} through a client that hands the response body over
 * as an {@code InputStream}, one subclass per client (Apache HttpClient 5 and 4 classic,
 * {@code HttpURLConnection}, Reactor Netty, Vert.x): a non-LLM download, a plain chat completion, and
 * a streamed one read line by line from the body's stream, on one reused client.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class ClientCallBenchmark {
    private FakeProviderServer server;
    private String downloadUrl;
    private String chatUrl;

    /** What the response handler does with the response entity's content. */
    protected interface Content<T> {
        T read(InputStream content) throws IOException;
    }

    /**
     * One call on the client: a GET of {@code url} when {@code json} is null, else a POST of it as
     * {@code application/json}; the response body's stream goes to {@code content}.
     */
    protected abstract <T> T execute(String url, String json, Content<T> content) throws IOException;

    /** The client, one for the trial, closed at its end. */
    protected abstract Closeable client();

    @Setup(Level.Trial)
    public void setUp() {
        server = FakeProviderServer.start();
        downloadUrl = server.dataUrl(CallBodies.DOWNLOAD_BYTES);
        chatUrl = server.chatCompletionsUrl(Scenario.OK, CallBodies.USAGE);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        client().close();
        server.close();
    }

    @Benchmark
    public byte[] nonLlmGet() throws IOException {
        return execute(downloadUrl, null, InputStream::readAllBytes);
    }

    @Benchmark
    public String llmChat() throws IOException {
        return execute(chatUrl, CallBodies.CHAT, content -> new String(content.readAllBytes(), StandardCharsets.UTF_8));
    }

    @Benchmark
    public long llmChatStreamed() throws IOException {
        return execute(chatUrl, CallBodies.STREAM, ClientCallBenchmark::lines);
    }

    private static long lines(InputStream content) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(content, StandardCharsets.UTF_8))) {
            long lines = 0;
            while (reader.readLine() != null) {
                lines++;
            }
            return lines;
        }
    }
}
