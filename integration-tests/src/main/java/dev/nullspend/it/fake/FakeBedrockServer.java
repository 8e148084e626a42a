package dev.nullspend.it.fake;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32;

/**
 * A fake Bedrock runtime on 127.0.0.1 (docs/providers/bedrock.md) that checks every request's SigV4
 * signature as AWS does ({@link SigV4Check}: a changed body or signed header gets AWS's 403) and answers
 * {@code POST [/u/{input}-{cacheRead}-{write5m}-{write1h}-{output}][/s/truncated]/model/{modelId}/<operation>}
 * in Bedrock's shapes: Converse JSON ({@code cacheDetails} when there are cache writes); ConverseStream
 * as AWS event-stream messages with correct CRCs, the usage in the last, {@code metadata}; InvokeModel with
 * the vendor's native body (Anthropic Messages, or Amazon Nova); InvokeModelWithResponseStream as
 * {@code chunk} events carrying Anthropic's stream events in base64. {@code truncated} drops the connection
 * after the content of a stream, before the events with its end (and its usage); over HTTP/2 the stream is
 * reset there instead. Every request is kept.
 */
public final class FakeBedrockServer implements AutoCloseable {

    /** The secret of the programs' static fake credentials: the signatures are checked with it. */
    public static final String SECRET = "fake/secret/key";
    /** The reply text of every call. */
    public static final String TEXT = "Hello from Bedrock";

    /** One request as it arrived. */
    public record Received(String rawPath, byte[] body, boolean signatureValid) {
    }

    private static final long[] DEFAULT_COUNTS = {25, 0, 0, 0, 15};

    private final LoopbackServer http;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private FakeBedrockServer(int http2DataFrameSize) {
        // Last: the server may call handle() as soon as it starts.
        this.http = http2DataFrameSize > 0 ? LoopbackServer.startHttp2("fake-bedrock-h2", this::handle, http2DataFrameSize)
                : LoopbackServer.start("fake-bedrock", this::handle);
    }

    /** Binds 127.0.0.1 on a free port and starts serving HTTP/1.1. */
    public static FakeBedrockServer start() {
        return new FakeBedrockServer(0);
    }

    /**
     * Binds 127.0.0.1 on a free port and starts serving HTTP/2 with prior knowledge (h2c), as the AWS SDK's
     * Netty client speaks it to an {@code http} endpoint; each response part goes in DATA frames of at most
     * {@code dataFrameSize} bytes, so event-stream messages arrive split at any byte.
     */
    public static FakeBedrockServer startHttp2(int dataFrameSize) {
        return new FakeBedrockServer(dataFrameSize);
    }

    public int port() {
        return http.port();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String origin() {
        return "http://127.0.0.1:" + port();
    }

    /** Every request received, in order. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        http.close();
    }

    /** The exchange is closed only on success: a handler that throws makes the JDK server drop the connection. */
    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        boolean signed = SigV4Check.valid(SECRET, exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders(), body);
        received.add(new Received(path, body, signed));
        if (!signed) {
            exchange.getResponseHeaders().set("x-amzn-ErrorType", "InvalidSignatureException");
            FakeProviderServer.sendFixed(exchange, 403, "application/json", ProviderRoute.utf8("{\"message\":\"The request "
                    + "signature we calculated does not match the signature you provided.\"}"));
            exchange.close();
            return;
        }
        RouteOptions options = RouteOptions.parse(path);
        long[] c = options.counts(DEFAULT_COUNTS);
        String api = options.apiPath();
        String operation = api.substring(api.lastIndexOf('/') + 1);
        String model = api.substring("/model/".length(), api.lastIndexOf('/')).replace("%3A", ":");
        boolean truncated = options.scenario() == Scenario.TRUNCATED;
        switch (operation) {
            case "converse" -> FakeProviderServer.sendFixed(exchange, 200, "application/json", ProviderRoute.utf8(
                    "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"" + TEXT + "\"}]}},"
                            + "\"stopReason\":\"end_turn\",\"usage\":" + converseUsage(c) + ",\"metrics\":{\"latencyMs\":120}}"));
            case "converse-stream" -> stream(exchange, List.of(
                    event("messageStart", "{\"role\":\"assistant\",\"p\":\"abc\"}"),
                    event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello \"},\"p\":\"ab\"}"),
                    event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"from Bedrock\"},\"p\":\"a\"}"),
                    event("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcd\"}"),
                    event("messageStop", "{\"stopReason\":\"end_turn\",\"p\":\"abcdef\"}"),
                    event("metadata", "{\"usage\":" + converseUsage(c) + ",\"metrics\":{\"latencyMs\":120},\"p\":\"abcdefgh\"}")),
                    truncated ? 4 : -1);
            case "invoke" -> FakeProviderServer.sendFixed(exchange, 200, "application/json", model.contains("anthropic.")
                    ? AnthropicRoute.message(model, c)
                    : ProviderRoute.utf8("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"" + TEXT
                            + "\"}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":" + c[0] + ",\"outputTokens\":"
                            + c[4] + ",\"totalTokens\":" + (c[0] + c[4]) + ",\"cacheReadInputTokenCount\":" + c[1]
                            + ",\"cacheWriteInputTokenCount\":" + (c[2] + c[3]) + "}}"));
            case "invoke-with-response-stream" -> {
                // As Bedrock does: the content type of the native events the chunks carry (Anthropic's SDK checks it).
                exchange.getResponseHeaders().set("X-Amzn-Bedrock-Content-Type", "application/json");
                stream(exchange, List.of(
                    chunk("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk\",\"type\":\"message\",\"role\":\"assistant\","
                            + "\"model\":\"claude\",\"content\":[],\"usage\":{\"input_tokens\":" + c[0] + ",\"cache_read_input_tokens\":"
                            + c[1] + ",\"cache_creation_input_tokens\":" + (c[2] + c[3]) + ",\"cache_creation\":{"
                            + "\"ephemeral_5m_input_tokens\":" + c[2] + ",\"ephemeral_1h_input_tokens\":" + c[3]
                            + "},\"output_tokens\":1}}}"),
                    chunk("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                    chunk("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + TEXT + "\"}}"),
                    chunk("{\"type\":\"content_block_stop\",\"index\":0}"),
                    chunk("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":" + c[4] + "}}"),
                    chunk("{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":" + c[0]
                            + ",\"outputTokenCount\":" + c[4] + ",\"invocationLatency\":300,\"firstByteLatency\":90}}")),
                    truncated ? 3 : -1);
            }
            default -> FakeProviderServer.sendFixed(exchange, 404, "application/json",
                    ProviderRoute.utf8("{\"message\":\"unknown operation " + operation + "\"}"));
        }
        exchange.close();
    }

    private static String converseUsage(long[] c) {
        List<String> details = new ArrayList<>();
        if (c[3] > 0) {
            details.add("{\"ttl\":\"1h\",\"inputTokens\":" + c[3] + "}");
        }
        if (c[2] > 0) {
            details.add("{\"ttl\":\"5m\",\"inputTokens\":" + c[2] + "}");
        }
        return "{\"inputTokens\":" + c[0] + ",\"outputTokens\":" + c[4] + ",\"totalTokens\":" + (c[0] + c[1] + c[2] + c[3] + c[4])
                + ",\"cacheReadInputTokens\":" + c[1] + ",\"cacheWriteInputTokens\":" + (c[2] + c[3])
                + (details.isEmpty() ? "" : ",\"cacheDetails\":[" + String.join(",", details) + "]") + "}";
    }

    /** Status 200, chunked, each message flushed on its own; with {@code cutAfter} ≥ 0, only that many, then a dropped connection. */
    private static void stream(HttpExchange exchange, List<byte[]> messages, int cutAfter) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.amazon.eventstream");
        exchange.getResponseHeaders().set("x-amzn-RequestId", "fake-request");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        int n = cutAfter < 0 ? messages.size() : cutAfter;
        for (int i = 0; i < n; i++) {
            out.write(messages.get(i));
            out.flush();
        }
        if (cutAfter >= 0) {
            throw new IOException("truncated: connection dropped on purpose after " + cutAfter + " messages");
        }
    }

    private static byte[] chunk(String event) {
        return event("chunk", "{\"bytes\":\"" + Base64.getEncoder().encodeToString(ProviderRoute.utf8(event)) + "\",\"p\":\"abcd\"}");
    }

    /** One AWS event-stream {@code event} message: prelude with its CRC, three string headers, payload, message CRC. */
    private static byte[] event(String eventType, String json) {
        try {
            ByteArrayOutputStream headers = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(headers);
            for (String[] header : new String[][] {{":event-type", eventType}, {":content-type", "application/json"},
                    {":message-type", "event"}}) {
                byte[] name = header[0].getBytes(StandardCharsets.US_ASCII);
                byte[] value = header[1].getBytes(StandardCharsets.UTF_8);
                h.writeByte(name.length);
                h.write(name);
                h.writeByte(7);
                h.writeShort(value.length);
                h.write(value);
            }
            byte[] payload = ProviderRoute.utf8(json);
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            DataOutputStream m = new DataOutputStream(message);
            m.writeInt(16 + headers.size() + payload.length);
            m.writeInt(headers.size());
            m.writeInt(crc(message.toByteArray()));
            headers.writeTo(m);
            m.write(payload);
            m.writeInt(crc(message.toByteArray()));
            return message.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
