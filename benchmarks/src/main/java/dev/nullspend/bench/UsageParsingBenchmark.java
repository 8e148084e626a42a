package dev.nullspend.bench;

import dev.nullspend.agent.provider.ProviderHosts;
import dev.nullspend.agent.provider.LlmApi;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageParser;
import dev.nullspend.agent.provider.anthropic.AnthropicMessagesApi;
import dev.nullspend.agent.provider.openai.OpenAiChatApi;
import dev.nullspend.it.fake.FakeUsage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The agent's usage parser on a ~1 MB streamed response fed in 8 KiB chunks, the way a tee feeds it
 * what the program reads: time per whole stream, so MB/s = {@link #STREAM_BYTES} / time. Needs the
 * agent's classes on the class path (see docs/performance.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class UsageParsingBenchmark {
    /** Target size of the stream; the exact size is printed at set-up. */
    static final long STREAM_BYTES = 1_000_000;

    @Param({"openai", "anthropic"})
    public String provider;

    private LlmRequest request;
    private byte[] body;

    @Setup(Level.Trial)
    public void setUp() {
        SyntheticSseStream stream;
        LlmApi api;
        if (provider.equals("openai")) {
            api = new OpenAiChatApi(ProviderHosts.BUILT_IN);
            stream = SyntheticSseStream.openAi("gpt-4o-mini", new FakeUsage(1200, 0, 80, 0), STREAM_BYTES);
            request = new LlmRequest(api, "openai", OpenAiChatApi.ENDPOINT, "gpt-4o-mini", true, null, -1, null);
        } else {
            api = new AnthropicMessagesApi(ProviderHosts.BUILT_IN);
            stream = SyntheticSseStream.anthropic("claude-sonnet-4-5", 1200, 80, STREAM_BYTES);
            request = new LlmRequest(api, "anthropic", AnthropicMessagesApi.ENDPOINT, "claude-sonnet-4-5", true, null, -1, null);
        }
        body = stream.toBytes();
        Usage usage = parse();
        if (usage == null || usage.output() != 80) {
            throw new IllegalStateException(provider + " parser read " + usage + " from the synthetic stream");
        }
        System.out.println(provider + " stream: " + body.length + " bytes");
    }

    @Benchmark
    public Usage parse() {
        UsageParser parser = request.newParser("text/event-stream");
        for (int offset = 0; offset < body.length; offset += SyntheticSseStream.CHUNK_BYTES) {
            parser.feed(ByteBuffer.wrap(body, offset, Math.min(SyntheticSseStream.CHUNK_BYTES, body.length - offset)));
        }
        parser.end();
        return parser.usage();
    }
}
