package dev.nullspend.it.fake;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * An OpenAI-compatible fake LLM provider on {@code 127.0.0.1} and a random free port, built on the
 * JDK's {@code com.sun.net.httpserver} only, so that the demo and any test program can use it
 * without bringing a library next to the agent.
 *
 * <h2>Choosing the behaviour through the base URL</h2>
 * Every client or SDK can pick a scenario through its base URL alone. A chat completion path is
 * made of optional option segments, then the API path, which must end in {@code /chat/completions}:
 * <pre>
 *   POST /s/{scenario}/u/{prompt}-{cached}-{completion}-{reasoning}/d/{millis}/v1/chat/completions
 * </pre>
 * <ul>
 *   <li>{@code /s/{scenario}}: one of {@link Scenario}'s path names ({@code ok}, {@code no-usage},
 *       {@code gzip}, {@code malformed}, {@code http500}, {@code truncated}, {@code gated});
 *       default {@code ok}.</li>
 *   <li>{@code /u/{prompt}-{cached}-{completion}-{reasoning}}: the usage to report, as OpenAI counts it
 *       (cached inside prompt, reasoning inside completion); default {@link FakeUsage#DEFAULT}
 *       (22-0-3-0).</li>
 *   <li>{@code /d/{millis}}: a pause between two SSE events, to make a stream visibly stream; default 0.</li>
 * </ul>
 * Example: base URL {@code http://127.0.0.1:PORT/s/ok/u/1000-400-500-0/v1}; {@link #openAiBaseUrl} builds it.
 *
 * <h2>Chat completions</h2>
 * The request body must be JSON with a string {@code model} and a {@code messages} array (else 400, as
 * OpenAI). As with OpenAI, {@code "stream": true} gives a chunked {@code text/event-stream}, one flush
 * per event, {@code "usage":null} on every content chunk, and a final {@code choices:[]} usage chunk only
 * when the request has {@code "stream_options": {"include_usage": true}}, then {@code data: [DONE]};
 * otherwise an {@code application/json} {@code chat.completion}. The response {@code model} is the dated
 * snapshot of a known alias (gpt-4o → gpt-4o-2024-08-06, gpt-4o-mini → gpt-4o-mini-2024-07-18,
 * o3 → o3-2025-04-16), else the request's model. Response bytes are deterministic.
 *
 * <h2>Other LLM APIs</h2>
 * The same option segments ({@link RouteOptions}: {@code /s/}, {@code /u/}, {@code /d/}, and {@code /p/},
 * {@code /m/}, {@code /c/}) come before the API paths of the other vendors, each answered in its
 * vendor's exact shapes by its own {@link ProviderRoute} (the {@code /u/} counts are the route's):
 * <ul>
 *   <li>{@link AnthropicRoute}: {@code …/v1/messages}, plain and SSE.</li>
 *   <li>{@link GeminiRoute}: {@code …/models/{model}:generateContent}, {@code :streamGenerateContent}
 *       ({@code ?alt=sse}, else a streamed JSON array), Developer API and Vertex AI paths.</li>
 *   <li>{@link AzureRoute}: {@code …/openai/deployments/{deployment}/chat/completions?api-version=…}.</li>
 *   <li>{@link CompatibleChatRoute}: {@code /p/{groq|deepseek|openrouter|mistral}/…/chat/completions}.</li>
 *   <li>{@link ResponsesRoute} ({@code …/responses}), {@link EmbeddingsRoute} ({@code …/embeddings}),
 *       {@link OllamaRoute} ({@code …/api/chat}, NDJSON).</li>
 * </ul>
 * Example: {@code POST http://127.0.0.1:PORT/u/100-0-4000-6000-200/v1/messages}.
 *
 * <h2>Other endpoints (not LLM calls)</h2>
 * <ul>
 *   <li>{@code GET /data/{n}}: {@code n} bytes of {@link DeterministicBytes}, {@code application/octet-stream}.</li>
 *   <li>{@code POST /echo}: the request body back, with the request's {@code Content-Type}.</li>
 *   <li>{@code GET /control/release}: lets every {@code gated} response that is waiting send its rest;
 *       the body is the number of responses released.</li>
 * </ul>
 * Every request is counted by its raw path ({@link #requestCount(String)}), so a test can assert that
 * the provider received nothing, or exactly one call.
 */
public final class FakeProviderServer implements AutoCloseable {

    /** How long a {@code gated} response waits for {@code GET /control/release} before sending its rest anyway. */
    public static final Duration GATE_TIMEOUT = Duration.ofSeconds(30);

    /** The body of the {@code malformed} scenario: starts like a completion, then is not JSON (nor UTF-8). */
    public static final byte[] MALFORMED_BODY = concat(
            "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"usage\":{\"prompt_tokens\":12,"
                    .getBytes(StandardCharsets.UTF_8),
            new byte[] {(byte) 0xFF, (byte) 0xFE, 0x00, '}'},
            "\"completion_tokens\":}}]".getBytes(StandardCharsets.UTF_8));

    private static final String CHAT_SUFFIX = "/chat/completions";
    private static final int DATA_CHUNK = 64 * 1024;

    private final LoopbackServer http;
    private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
    private final Map<String, String> requestBodies = new ConcurrentHashMap<>();
    private final AtomicInteger gatesWaiting = new AtomicInteger();
    private final AtomicInteger gateTimeouts = new AtomicInteger();
    private final Object gateLock = new Object();
    private CountDownLatch gate = new CountDownLatch(1);

    private FakeProviderServer(int http2DataFrameSize) {
        // Last: the server may call handle() as soon as it starts.
        this.http = http2DataFrameSize > 0 ? LoopbackServer.startHttp2("fake-provider-h2", this::handle, http2DataFrameSize)
                : LoopbackServer.start("fake-provider", this::handle);
    }

    /** Binds 127.0.0.1 on a free port and starts serving HTTP/1.1. */
    public static FakeProviderServer start() {
        return new FakeProviderServer(0);
    }

    /**
     * Binds 127.0.0.1 on a free port and starts serving HTTP/2 with prior knowledge (h2c), each response part in
     * DATA frames of at most {@code dataFrameSize} bytes (a cut stream is reset where HTTP/1.1 drops the connection).
     */
    public static FakeProviderServer startHttp2(int dataFrameSize) {
        return new FakeProviderServer(dataFrameSize);
    }

    public int port() {
        return http.port();
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public String origin() {
        return "http://127.0.0.1:" + port();
    }

    /** An OpenAI base URL ({@code …/v1}) that selects {@code scenario} and {@code usage}. */
    public String openAiBaseUrl(Scenario scenario, FakeUsage usage) {
        return origin() + "/s/" + scenario.pathName() + "/u/" + usage.toPathSegment() + "/v1";
    }

    /** As {@link #openAiBaseUrl(Scenario, FakeUsage)}, for a stream cut after exactly {@code bytes} bytes of its body. */
    public String openAiBaseUrlCutAfter(int bytes, FakeUsage usage) {
        return origin() + "/x/" + bytes + "/u/" + usage.toPathSegment() + "/v1";
    }

    /** As {@link #openAiBaseUrl(Scenario, FakeUsage)}, with a pause between SSE events. */
    public String openAiBaseUrl(Scenario scenario, FakeUsage usage, Duration eventDelay) {
        return origin() + "/s/" + scenario.pathName() + "/u/" + usage.toPathSegment()
                + "/d/" + eventDelay.toMillis() + "/v1";
    }

    /** The chat completions URL under {@link #openAiBaseUrl(Scenario, FakeUsage)}. */
    public String chatCompletionsUrl(Scenario scenario, FakeUsage usage) {
        return openAiBaseUrl(scenario, usage) + CHAT_SUFFIX;
    }

    public String dataUrl(int size) {
        return origin() + "/data/" + size;
    }

    public String echoUrl() {
        return origin() + "/echo";
    }

    public String releaseUrl() {
        return origin() + "/control/release";
    }

    /** How many requests arrived with this raw path (no query), e.g. {@code /echo}. */
    public int requestCount(String rawPath) {
        AtomicInteger n = requestCounts.get(rawPath);
        return n == null ? 0 : n.get();
    }

    /**
     * How the last request with this raw path sent its body, e.g. {@code "chunked 70 sha256=…"} or
     * {@code "length 70 sha256=…"} (the framing, the byte count and the SHA-256 of the bytes as
     * received), or null when none came.
     */
    public String requestBody(String rawPath) {
        return requestBodies.get(rawPath);
    }

    /** What {@link #requestBody} gives for {@code body} sent {@code chunked} or with a {@code Content-Length}. */
    public static String describeBody(boolean chunked, byte[] body) {
        return (chunked ? "chunked " : "length ") + body.length + " sha256=" + Sha256.hex(body);
    }

    /** Request counts by raw path, sorted, for failure messages. */
    public Map<String, Integer> requestCounts() {
        Map<String, Integer> copy = new TreeMap<>();
        requestCounts.forEach((path, n) -> copy.put(path, n.get()));
        return copy;
    }

    /** {@code gated} responses that have started and are not yet released (nor timed out). */
    public int gatesWaiting() {
        return gatesWaiting.get();
    }

    /** {@code gated} responses that were never released and went on after {@link #GATE_TIMEOUT}. */
    public int gateTimeouts() {
        return gateTimeouts.get();
    }

    /** Lets every waiting {@code gated} response send its rest (what {@code GET /control/release} does). */
    public int release() {
        synchronized (gateLock) {
            int waiting = gatesWaiting.get();
            gate.countDown();
            gate = new CountDownLatch(1);
            return waiting;
        }
    }

    @Override
    public void close() {
        http.close();
    }

    /**
     * Routes one request. The exchange is closed only on success: when a handler throws (on purpose in
     * {@code truncated}, or because the client went away) the JDK server drops the connection instead of
     * completing the body.
     */
    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        requestCounts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        byte[] body = exchange.getRequestBody().readAllBytes();
        String encoding = exchange.getRequestHeaders().getFirst("Transfer-Encoding");
        requestBodies.put(path, describeBody(encoding != null && encoding.equalsIgnoreCase("chunked"), body));
        String method = exchange.getRequestMethod();
        ProviderRoute route;
        if (path.equals("/control/release") && method.equals("GET")) {
            sendFixed(exchange, 200, "text/plain", Integer.toString(release()).getBytes(StandardCharsets.UTF_8));
        } else if (path.startsWith("/data/") && method.equals("GET")) {
            sendData(exchange, path.substring("/data/".length()));
        } else if (path.equals("/echo") && method.equals("POST")) {
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            sendFixed(exchange, 200, type == null ? "application/octet-stream" : type, body);
        } else if (method.equals("POST") && (route = ProviderRoutes.find(path)) != null) {
            ProviderRoutes.answer(route, this, exchange, path, body);
        } else if (path.endsWith(CHAT_SUFFIX)) {
            handleChat(exchange, path, method, body);
        } else {
            sendFixed(exchange, 404, "application/json", ChatResponses.error("Unknown path " + path, "invalid_request_error"));
        }
        exchange.close();
    }

    private void handleChat(HttpExchange exchange, String path, String method, byte[] body) throws IOException {
        ChatRoute route;
        try {
            route = ChatRoute.parse(path);
        } catch (IllegalArgumentException e) {
            sendFixed(exchange, 400, "application/json", ChatResponses.error(e.getMessage(), "invalid_request_error"));
            return;
        }
        if (!method.equals("POST")) {
            sendFixed(exchange, 405, "application/json", ChatResponses.error("Use POST", "invalid_request_error"));
            return;
        }
        ChatRequest request = ChatRequest.parse(body);
        if (request == null) {
            sendFixed(exchange, 400, "application/json",
                    ChatResponses.error("The body must be JSON with 'model' and 'messages'.", "invalid_request_error"));
            return;
        }
        switch (route.scenario()) {
            case HTTP_500 -> sendFixed(exchange, 500, "application/json",
                    ChatResponses.error("The server had an error while processing your request.", "server_error"));
            case MALFORMED -> sendFixed(exchange, 200, "application/json", MALFORMED_BODY);
            default -> sendCompletion(exchange, route, request);
        }
    }

    private void sendCompletion(HttpExchange exchange, ChatRoute route, ChatRequest request) throws IOException {
        boolean reportsUsage = route.scenario() != Scenario.NO_USAGE;
        exchange.getResponseHeaders().set("x-request-id", "req_fake");
        exchange.getResponseHeaders().set("openai-version", "2020-10-01");
        if (!request.stream()) {
            byte[] json = ChatResponses.completion(request.model(), reportsUsage ? route.usage() : null);
            sendJsonCompletion(exchange, route.scenario(), json);
            return;
        }
        FakeUsage streamUsage = reportsUsage && request.includeUsage() ? route.usage() : null;
        List<byte[]> events = ChatResponses.streamEvents(request.model(), streamUsage);
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        if (route.cutAfterBytes() >= 0) {
            exchange.sendResponseHeaders(200, 0);
            byte[] stream = ChatResponses.streamBody(request.model(), streamUsage);
            exchange.getResponseBody().write(stream, 0, Math.min(route.cutAfterBytes(), stream.length));
            exchange.getResponseBody().flush();
            throw new IOException("cut on purpose after " + route.cutAfterBytes() + " bytes");
        }
        switch (route.scenario()) {
            case GZIP -> {
                exchange.getResponseHeaders().set("Content-Encoding", "gzip");
                exchange.sendResponseHeaders(200, 0);
                try (GZIPOutputStream gzip = new GZIPOutputStream(exchange.getResponseBody(), 8192, true)) {
                    writeParts(gzip, events, route.eventDelayMillis(), false);
                }
            }
            case TRUNCATED -> {
                exchange.sendResponseHeaders(200, 0);
                writeThenAbort(exchange.getResponseBody(), ChatResponses.streamBody(request.model(), streamUsage));
            }
            default -> {
                exchange.sendResponseHeaders(200, 0);
                writeParts(exchange.getResponseBody(), events, route.eventDelayMillis(), route.scenario() == Scenario.GATED);
            }
        }
    }

    private void sendJsonCompletion(HttpExchange exchange, Scenario scenario, byte[] json) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        switch (scenario) {
            case GZIP -> {
                exchange.getResponseHeaders().set("Content-Encoding", "gzip");
                byte[] compressed = gzip(json);
                exchange.sendResponseHeaders(200, compressed.length);
                exchange.getResponseBody().write(compressed);
            }
            case TRUNCATED -> {
                exchange.sendResponseHeaders(200, json.length);
                writeThenAbort(exchange.getResponseBody(), json);
            }
            case GATED -> {
                exchange.sendResponseHeaders(200, json.length);
                int half = json.length / 2;
                writeParts(exchange.getResponseBody(),
                        List.of(Arrays.copyOfRange(json, 0, half), Arrays.copyOfRange(json, half, json.length)), 0, true);
            }
            default -> {
                exchange.sendResponseHeaders(200, json.length);
                exchange.getResponseBody().write(json);
            }
        }
    }

    /** Writes and flushes each part (an SSE event, or half a JSON body); a gated response waits for release after the first. */
    void writeParts(OutputStream out, List<byte[]> parts, long delayMillis, boolean gated) throws IOException {
        CountDownLatch myGate;
        synchronized (gateLock) {
            // Taken, and counted as waiting, before the first byte goes out: a client that has seen the
            // first part can rely on gatesWaiting() and on its release applying to this response.
            myGate = gate;
            if (gated) {
                gatesWaiting.incrementAndGet();
            }
        }
        boolean waiting = gated;
        try {
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) {
                    pause(delayMillis);
                }
                out.write(parts.get(i));
                out.flush();
                if (waiting) {
                    awaitRelease(myGate);
                    waiting = false;
                    gatesWaiting.decrementAndGet();
                }
            }
        } finally {
            if (waiting) {
                gatesWaiting.decrementAndGet();
            }
        }
    }

    private void awaitRelease(CountDownLatch myGate) {
        try {
            if (!myGate.await(GATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                gateTimeouts.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends the first half of {@code bytes}, then ends the handler abruptly: the JDK server closes the
     * connection without completing the body, so the client sees a premature end of stream.
     */
    static void writeThenAbort(OutputStream out, byte[] bytes) throws IOException {
        out.write(bytes, 0, bytes.length / 2);
        out.flush();
        throw new IOException("truncated scenario: connection dropped on purpose");
    }

    private static void sendData(HttpExchange exchange, String sizeText) throws IOException {
        int size;
        try {
            size = Integer.parseInt(sizeText);
        } catch (NumberFormatException e) {
            sendFixed(exchange, 400, "text/plain", ("bad size: " + sizeText).getBytes(StandardCharsets.UTF_8));
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
        DeterministicBytes bytes = new DeterministicBytes(size);
        byte[] buf = new byte[DATA_CHUNK];
        OutputStream out = exchange.getResponseBody();
        for (int sent = 0; sent < size; ) {
            int n = Math.min(buf.length, size - sent);
            bytes.fill(buf, 0, n);
            out.write(buf, 0, n);
            sent += n;
        }
    }

    static void sendFixed(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(buffer)) {
            gzip.write(bytes);
        }
        return buffer.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            buffer.writeBytes(part);
        }
        return buffer.toByteArray();
    }
}
