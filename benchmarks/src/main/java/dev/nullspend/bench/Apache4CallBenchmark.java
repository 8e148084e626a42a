package dev.nullspend.bench;

import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.fake.Scenario;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;
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
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The operations of {@link JdkHttpCallBenchmark} through Apache HttpClient 4 classic: a non-LLM
 * download, a plain chat completion, and a streamed one read line by line from the entity's stream,
 * on one reused client, each response consumed inside {@code execute(request, handler)}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Apache4CallBenchmark {
    private FakeProviderServer server;
    private CloseableHttpClient client;
    private String downloadUrl;
    private String chatUrl;

    @Setup(Level.Trial)
    public void setUp() {
        server = FakeProviderServer.start();
        client = HttpClients.createDefault();
        downloadUrl = server.dataUrl(CallBodies.DOWNLOAD_BYTES);
        chatUrl = server.chatCompletionsUrl(Scenario.OK, CallBodies.USAGE);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        client.close();
        server.close();
    }

    @Benchmark
    public byte[] nonLlmGet() throws IOException {
        return client.execute(new HttpGet(downloadUrl), response -> EntityUtils.toByteArray(response.getEntity()));
    }

    @Benchmark
    public String llmChat() throws IOException {
        return client.execute(post(CallBodies.CHAT), response -> EntityUtils.toString(response.getEntity()));
    }

    @Benchmark
    public long llmChatStreamed() throws IOException {
        return client.execute(post(CallBodies.STREAM), response -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(response.getEntity().getContent(), StandardCharsets.UTF_8))) {
                long lines = 0;
                while (reader.readLine() != null) {
                    lines++;
                }
                return lines;
            }
        });
    }

    private HttpPost post(String body) {
        HttpPost post = new HttpPost(chatUrl);
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        return post;
    }
}
