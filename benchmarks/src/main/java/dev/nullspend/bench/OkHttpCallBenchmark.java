package dev.nullspend.bench;

import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.fake.Scenario;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;
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
import java.util.concurrent.TimeUnit;

/**
 * The operations of {@link JdkHttpCallBenchmark} through OkHttp 4: a non-LLM download, a plain chat
 * completion, and a streamed one read line by line from {@code body().source()}, on one reused client.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OkHttpCallBenchmark {
    private static final MediaType JSON = MediaType.get("application/json");

    private FakeProviderServer server;
    private OkHttpClient client;
    private Request download;
    private Request chat;
    private Request chatStream;

    @Setup(Level.Trial)
    public void setUp() {
        server = FakeProviderServer.start();
        client = new OkHttpClient();
        download = new Request.Builder().url(server.dataUrl(CallBodies.DOWNLOAD_BYTES)).get().build();
        String chatUrl = server.chatCompletionsUrl(Scenario.OK, CallBodies.USAGE);
        chat = new Request.Builder().url(chatUrl).post(RequestBody.create(CallBodies.CHAT, JSON)).build();
        chatStream = new Request.Builder().url(chatUrl).post(RequestBody.create(CallBodies.STREAM, JSON)).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
        server.close();
    }

    @Benchmark
    public byte[] nonLlmGet() throws IOException {
        try (Response response = client.newCall(download).execute()) {
            return response.body().bytes();
        }
    }

    @Benchmark
    public String llmChat() throws IOException {
        try (Response response = client.newCall(chat).execute()) {
            return response.body().string();
        }
    }

    @Benchmark
    public long llmChatStreamed() throws IOException {
        try (Response response = client.newCall(chatStream).execute()) {
            BufferedSource source = response.body().source();
            long lines = 0;
            while (source.readUtf8Line() != null) {
                lines++;
            }
            return lines;
        }
    }
}
