package dev.nullspend.bench;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.ConfigSource;
import dev.nullspend.agent.core.AgentRuntime;
import dev.nullspend.agent.core.LlmCall;
import dev.nullspend.agent.core.LlmCalls;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.Headers;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.it.fake.ChatResponses;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agent's own work per call, without any HTTP client or socket: what every client adapter
 * hands the core ({@link LlmCalls#begin}, then the response's status, headers and body bytes in
 * 8 KiB pieces, then its end), with the ledger on and the reporter thread writing. The figures are
 * the agent's added time and bytes per call, free of the client's and the loopback server's noise
 * (the per-client benchmarks measure those with the adapters). Needs the agent's classes on the
 * class path (see docs/performance.md).
 *
 * <ul>
 *   <li>{@code nonLlmGet}: a GET to a host and path no API is: recognition says no.</li>
 *   <li>{@code llmChat}: an OpenAI chat completion whose JSON answer is ~2 KB.</li>
 *   <li>{@code llmChatStreamed}: the same call streamed, ~100 SSE events with usage in the last.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CallPathBenchmark {
    private static final int CHUNK = 8 * 1024;
    private static final URI CHAT = URI.create("https://api.openai.com/v1/chat/completions");
    private static final URI DOWNLOAD = URI.create("https://cdn.example.com/assets/data.bin");
    private static final Headers REQUEST_HEADERS = name -> name.equalsIgnoreCase("content-type") ? "application/json" : null;
    private static final Headers JSON = name -> name.equalsIgnoreCase("content-type") ? "application/json" : null;
    private static final Headers SSE = name -> name.equalsIgnoreCase("content-type") ? "text/event-stream" : null;

    private File ledger;
    private AgentRuntime runtime;
    private byte[] chatRequest;
    private byte[] streamRequest;
    private byte[] answer;
    private byte[] stream;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        ledger = File.createTempFile("nullspend-callpath", ".jsonl");
        AgentConfig config = AgentConfig.read(new ConfigSource(Map.of("nullspend.ledger", ledger.getAbsolutePath(),
                "nullspend.loop.max-calls", "0", "nullspend.summary", "false"), Map.of(), Map.of(), Map.of(), "bench"));
        runtime = AgentRuntime.start(config, () -> {
            throw new IllegalStateException("no API key: no transport");
        });
        runtime.install();
        chatRequest = CallBodies.CHAT.getBytes(StandardCharsets.UTF_8);
        streamRequest = CallBodies.STREAM.getBytes(StandardCharsets.UTF_8);
        answer = twoKilobyteAnswer();
        stream = SyntheticSseStream.openAi("gpt-4o-mini", CallBodies.USAGE, 27_000).toBytes();
        int events = new String(stream, StandardCharsets.UTF_8).split("\ndata: ", -1).length;
        System.out.println("answer: " + answer.length + " bytes; stream: " + stream.length + " bytes, " + events + " events");
        if (llmChat() == null || llmChatStreamed() == null || nonLlmGet() != null) {
            throw new IllegalStateException("the agent did not track the calls as expected");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        runtime.shutdown();
        // Counted line by line: a run warmed up by time writes more of the ledger than a small heap holds.
        try (java.util.stream.Stream<String> lines = Files.lines(ledger.toPath())) {
            System.out.println("ledger lines: " + lines.count());
        }
        Files.deleteIfExists(ledger.toPath());
    }

    /**
     * Waits until the reporter has written every event so far: {@link CallPathCpu} calls it between
     * rounds, so that no round runs faster than the ledger takes events (a queue full of events
     * makes each call pay the drop path, which no real program calling an LLM reaches).
     */
    public void drainReporter() {
        runtime.reporter().flush();
    }

    @Benchmark
    public LlmCall nonLlmGet() {
        return LlmCalls.begin(new Exchange("GET", DOWNLOAD, Headers.NONE, Exchange.BodySource.EMPTY, 0));
    }

    @Benchmark
    public LlmCall llmChat() {
        return call(chatRequest, JSON, answer);
    }

    @Benchmark
    public LlmCall llmChatStreamed() {
        return call(streamRequest, SSE, stream);
    }

    private static LlmCall call(byte[] request, Headers responseHeaders, byte[] response) {
        LlmCall call = LlmCalls.begin(new Exchange("POST", CHAT, REQUEST_HEADERS, request, request.length));
        ResponseSink sink = call.onResponse(200, responseHeaders);
        for (int off = 0; off < response.length; off += CHUNK) {
            sink.onBytes(ByteBuffer.wrap(response, off, Math.min(CHUNK, response.length - off)));
        }
        sink.onComplete();
        return call;
    }

    /** The fake provider's completion with its reply text grown so the whole answer is ~2 KB. */
    private static byte[] twoKilobyteAnswer() {
        String small = new String(ChatResponses.completion("gpt-4o-mini", CallBodies.USAGE), StandardCharsets.UTF_8);
        String reply = ChatResponses.replyText();
        String padded = (reply + " ").repeat((2048 - small.length()) / (reply.length() + 1) + 1);
        return small.replace(reply, padded.strip()).getBytes(StandardCharsets.UTF_8);
    }
}
