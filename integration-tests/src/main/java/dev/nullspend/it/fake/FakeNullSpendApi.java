package dev.nullspend.it.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nullspend.api.Budget;
import dev.nullspend.api.BudgetStatus;
import dev.nullspend.api.CostSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A fake NullSpend dashboard API on {@code 127.0.0.1} and a random free port, JDK only, that holds
 * a client to the real API's wire contract (docs/nullspend-api-contract.md#request-headers to #limits, #error-body) for
 * {@code POST /api/cost-events/batch}:
 * <ul>
 *   <li>{@code x-nullspend-key} must be the fake's key (no {@code Bearer}), else 401 {@code unauthorized};</li>
 *   <li>60 requests per minute per key (or {@link #rateLimitPerMinute}), sliding window, else 429 {@code rate_limit_exceeded} with
 *       {@code X-RateLimit-*} headers (counted in {@link #rateLimitedRequests()});</li>
 *   <li>{@code Content-Type: application/json}, else 415; a body of at most 1 MB, else 413
 *       {@code payload_too_large}; JSON {@code {"events":[…]}} with 1–100 events, each valid by the
 *       rules of docs/nullspend-api-contract.md#cost-event (lengths, integers ≥ 0, cost ≤ 2^53−1, {@code traceId} 32 lower-case hex, ≤ 10 tags
 *       with valid keys and values …), else 400 {@code validation_error} for the whole batch;</li>
 *   <li>events are deduplicated by their {@code idempotencyKey} (201 {@code {"inserted":N,"ids":[…]}},
 *       duplicates skipped and counted); a request whose {@code Idempotency-Key} was answered before
 *       gets the same answer again with {@code X-Idempotent-Replayed: true} (429 and 503 are not kept;
 *       every POST route keeps its answers so).</li>
 * </ul>
 * What the real API tolerates but a good client must not do is not refused but recorded in
 * {@link #violations()}: a missing or wrong {@code NullSpend-Version}, {@code X-NullSpend-SDK}
 * other than {@code java/<version>}, {@code Accept} other than JSON, an {@code Idempotency-Key}
 * that is not {@code ns_<uuid>}, fields outside the cost-event schema (such as {@code createdAt}),
 * events without {@code idempotencyKey}.
 *
 * <p>The endpoints of the agent-api's {@code NullSpend} facade (budget status, budgets, cost
 * summary, actions and their state machine) are served by {@link FakeFacadeRoutes}, behind the same
 * checks; {@link #approve}, {@link #reject} and {@link #expire} decide on actions.
 *
 * <p>It can be told to fail the next requests (503), rate-limit them (429 with {@code Retry-After}),
 * answer slowly (it processes the request, then holds the answer), stop listening (connections
 * are refused) and listen again on the same port.
 *
 * <p>{@code GET /api/policy} and {@code GET /api/budgets/status}, behind the same key, header and
 * rate-limit checks, are answered by its {@link #policy()} endpoints. The agent polls them on its
 * own schedule, so they never take the scripted failures of {@link #failNext}/{@link #rateLimitNext}
 * (meant for the requests a test drives); they fail with {@link FakePolicyEndpoints#failWith}.
 */
public final class FakeNullSpendApi implements AutoCloseable {
    /** A test key in the real format: {@code ns_test_sk_} + 32 hex. */
    public static final String TEST_KEY = "ns_test_sk_5eed0000000000000000000000c0ffee";
    public static final String API_VERSION = "2026-04-01";
    public static final String BATCH_PATH = "/api/cost-events/batch";
    public static final int MAX_BODY_BYTES = 1_048_576;
    public static final int MAX_EVENTS = 100;
    public static final int RATE_LIMIT_PER_MINUTE = 60;
    static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    private static final Pattern KEY_FORMAT = Pattern.compile("ns_(live|test)_sk_[0-9a-f]{32}");
    private static final Pattern UUID_KEY = Pattern.compile("ns_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern TAG_KEY = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final Set<String> EVENT_FIELDS = Set.of("provider", "model", "inputTokens", "outputTokens",
            "cachedInputTokens", "reasoningTokens", "costMicrodollars", "costBreakdown", "durationMs", "sessionId",
            "traceId", "eventType", "toolName", "toolServer", "tags", "customer", "idempotencyKey");
    private static final Set<String> EVENT_TYPES = Set.of("llm", "tool", "custom");

    /** One request as the fake saw it. */
    public record Received(String method, String path, int status, int events, String idempotencyKey,
                           String userAgent, String sdk) {
    }

    /** One answer: status, JSON body, extra headers. */
    record Answer(int status, byte[] body, Map<String, String> headers) {
    }

    private final String apiKey;
    private final ExecutorService executor;
    private final int port;
    private HttpServer server;

    private final Object lock = new Object();
    private final FakePolicyEndpoints policy = new FakePolicyEndpoints();
    private final Deque<Answer> script = new ArrayDeque<>();
    private final Map<String, Map<String, Object>> events = new LinkedHashMap<>();
    private final List<Received> requests = new ArrayList<>();
    private final Set<String> violations = new LinkedHashSet<>();
    private final Map<String, Answer> answered = new HashMap<>();
    private final Deque<Long> window = new ArrayDeque<>();
    private int duplicates;
    private int rateLimited;
    private int rateLimitPerMinute = RATE_LIMIT_PER_MINUTE;
    private volatile long delayMillis;
    private final FakeFacadeRoutes facade = new FakeFacadeRoutes(Instant::now);

    private FakeNullSpendApi(String apiKey) {
        this.apiKey = apiKey;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-nullspend-api-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = bind(0);
        this.port = server.getAddress().getPort();
    }

    /** Starts with {@link #TEST_KEY} on a free port. */
    public static FakeNullSpendApi start() {
        return start(TEST_KEY);
    }

    public static FakeNullSpendApi start(String apiKey) {
        // As FakeProviderServer: without TCP_NODELAY every answer waits ~40 ms for a delayed ACK.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        return new FakeNullSpendApi(apiKey);
    }

    public String apiKey() {
        return apiKey;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}: the value for {@code nullspend.base-url}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    // ---- behaviour ----

    /** The next {@code count} requests (after the key check) get {@code status} (500, 502, 503, 504). */
    public void failNext(int count, int status) {
        Answer answer = new Answer(status, error("unavailable", "The service is temporarily unavailable."), Map.of());
        synchronized (lock) {
            for (int i = 0; i < count; i++) {
                script.addLast(answer);
            }
        }
    }

    /** The next {@code count} requests get 429 {@code rate_limit_exceeded} with this {@code Retry-After}. */
    public void rateLimitNext(int count, String retryAfter) {
        Answer answer = new Answer(429, error("rate_limit_exceeded", "Too many requests."),
                Map.of("Retry-After", retryAfter));
        synchronized (lock) {
            for (int i = 0; i < count; i++) {
                script.addLast(answer);
            }
        }
    }

    /** {@code read} under the lock the server's threads take. */
    private <T> T locked(Supplier<T> read) {
        synchronized (lock) {
            return read.get();
        }
    }

    /** {@code change} under the lock the server's threads take. */
    private void whileLocked(Runnable change) {
        synchronized (lock) {
            change.run();
        }
    }

    /**
     * Changes the requests allowed per minute (the server's {@code NULLSPEND_API_KEY_RATE_LIMIT}),
     * for benchmarks that measure the agent's reporting without its own pacing.
     */
    public void rateLimitPerMinute(int limit) {
        whileLocked(() -> rateLimitPerMinute = limit);
    }

    /** Requests are processed at once, their answers held this long (zero: answer at once). */
    public void slowDown(Duration delay) {
        delayMillis = delay.toMillis();
    }

    /** Closes the port: connections are refused until {@link #startListening()}. */
    public void stopListening() {
        synchronized (lock) {
            if (server != null) {
                server.stop(0);
                server = null;
            }
        }
    }

    /** Listens again, on the same port. */
    public void startListening() {
        synchronized (lock) {
            if (server == null) {
                server = bind(port);
            }
        }
    }

    // ---- the facade's endpoints: budgets, cost summary, actions (FakeFacadeRoutes) ----

    /** What {@code GET /api/budgets/status} answers from now on (served by {@link #policy()}). */
    public void budgetStatus(List<BudgetStatus> entities) {
        policy.budgetStatus(FakeFacadeRoutes.budgetStatusBody(entities));
    }

    /** What {@code GET /api/budgets} answers from now on. */
    public void budgets(List<Budget> records) {
        whileLocked(() -> facade.budgets(records));
    }

    /** What {@code GET /api/cost-events/summary?period=<summary.period()>} answers from now on. */
    public void costSummary(CostSummary summary) {
        whileLocked(() -> facade.costSummary(summary));
    }

    /** The action as {@code GET /api/actions/{id}} would answer it (the ActionRecord's fields), or null. */
    public Map<String, Object> action(String id) {
        return locked(() -> facade.action(id));
    }

    /** Ids of the actions created so far, in order. */
    public List<String> actionIds() {
        return locked(() -> facade.actionIds());
    }

    /** Approves a pending action, as a person in the dashboard would. */
    public void approve(String id) {
        decide(id, "approved");
    }

    /** Rejects a pending action. */
    public void reject(String id) {
        decide(id, "rejected");
    }

    /** Expires a pending action now (a pending action also expires by itself at its {@code expiresAt}). */
    public void expire(String id) {
        decide(id, "expired");
    }

    private void decide(String id, String status) {
        whileLocked(() -> facade.decide(id, status));
    }

    /**
     * Waits for the {@code n}-th action (0-based) to be created and returns its id: lets a test
     * decide on the action a forked program proposed.
     *
     * @throws IllegalStateException when it is not created within {@code timeout}
     */
    public String awaitAction(int n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> ids = actionIds();
            if (ids.size() > n) {
                return ids.get(n);
            }
            if (System.nanoTime() - end > 0) {
                throw new IllegalStateException("action #" + n + " not created within " + timeout + "; actions: " + ids);
            }
            Thread.sleep(20);
        }
    }

    /** The policy and budget status endpoints: what they answer, how often they were asked. */
    public FakePolicyEndpoints policy() {
        return policy;
    }

    // ---- what it received ----

    /** The events it stored, each once, in arrival order. */
    public List<Map<String, Object>> events() {
        return locked(() -> List.copyOf(events.values()));
    }

    /** The {@code idempotencyKey}s of {@link #events()}. */
    public Set<String> eventKeys() {
        return locked(() -> Set.copyOf(events.keySet()));
    }

    /** Events that arrived again after being stored (skipped). */
    public int duplicateEvents() {
        return locked(() -> duplicates);
    }

    public List<Received> requests() {
        return locked(() -> List.copyOf(requests));
    }

    /** Requests refused by the 60-per-minute window (not the scripted 429s). */
    public int rateLimitedRequests() {
        return locked(() -> rateLimited);
    }

    /** Departures from the contract that the real API would let through; each once. */
    public List<String> violations() {
        return locked(() -> List.copyOf(violations));
    }

    @Override
    public void close() {
        stopListening();
        executor.shutdownNow();
    }

    // ---- serving ----

    private HttpServer bind(int onPort) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}),
                    onPort), 0);
            s.createContext("/", this::handle);
            s.setExecutor(executor);
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + onPort, e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        byte[] body = readBounded(exchange.getRequestBody());
        String idempotencyKey = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        Answer answer;
        int eventCount = 0;
        synchronized (lock) {
            answer = admit(exchange, method, path);
            // The real API keeps answers per route and Idempotency-Key (docs/nullspend-api-contract.md#idempotency).
            String replayKey = answer == null && method.equals("POST") && idempotencyKey != null
                    ? path + " " + idempotencyKey : null;
            Answer replay = replayKey == null ? null : answered.get(replayKey);
            if (replay != null) {
                Map<String, String> headers = new HashMap<>(replay.headers());
                headers.put("X-Idempotent-Replayed", "true");
                answer = new Answer(replay.status(), replay.body(), headers);
            } else if (answer == null) {
                if (FakePolicyEndpoints.serves(method, path)) {
                    FakePolicyEndpoints.Answer a = policy.answer(path);
                    answer = new Answer(a.status(), a.body(), Map.of());
                } else if (method.equals("POST") && path.equals(BATCH_PATH)) {
                    BatchOutcome outcome = batch(exchange, body, idempotencyKey);
                    answer = outcome.answer();
                    eventCount = outcome.events();
                } else {
                    answer = facade.route(method, path, exchange.getRequestURI().getRawQuery(),
                            exchange.getRequestHeaders().getFirst("Content-Type"), body);
                }
                if (answer == null) {
                    answer = new Answer(404, error("not_found", "No route " + method + " " + path), Map.of());
                }
                if (replayKey != null && answer.status() != 429 && answer.status() != 503) {
                    answered.put(replayKey, answer);
                }
            }
            requests.add(new Received(method, path, answer.status(), eventCount, idempotencyKey,
                    exchange.getRequestHeaders().getFirst("User-Agent"),
                    exchange.getRequestHeaders().getFirst("X-NullSpend-SDK")));
        }
        long delay = delayMillis;
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                exchange.close(); // closing down: the client never gets this answer
                return;
            }
        }
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), answer.body().length);
        exchange.getResponseBody().write(answer.body());
        exchange.close();
    }

    /** Key, protocol headers, rate limit, scripted failures: an answer that ends the request, or null. */
    private Answer admit(HttpExchange exchange, String method, String path) {
        String key = exchange.getRequestHeaders().getFirst("x-nullspend-key");
        if (key == null || !key.equals(apiKey) || !KEY_FORMAT.matcher(key).matches()) {
            return new Answer(401, error("unauthorized", "Invalid or missing API key."), Map.of());
        }
        expectHeader(exchange, "NullSpend-Version", API_VERSION);
        expectHeader(exchange, "Accept", "application/json");
        String sdk = exchange.getRequestHeaders().getFirst("X-NullSpend-SDK");
        if (sdk == null || !sdk.matches("java/[^\\s/]+")) {
            violations.add("X-NullSpend-SDK is " + sdk + ", expected java/<version>");
        }
        if (!method.equals("GET")) {
            String idem = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            if (idem == null || !UUID_KEY.matcher(idem).matches()) {
                violations.add("Idempotency-Key is " + idem + ", expected ns_<uuid>");
            }
        }
        long now = System.nanoTime();
        while (!window.isEmpty() && now - window.peekFirst() >= TimeUnit.MINUTES.toNanos(1)) {
            window.removeFirst();
        }
        if (window.size() >= rateLimitPerMinute) {
            rateLimited++;
            long resetSeconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(window.peekFirst() + TimeUnit.MINUTES.toNanos(1) - now));
            return new Answer(429, error("rate_limit_exceeded", "Rate limit exceeded."), Map.of(
                    "X-RateLimit-Limit", Integer.toString(rateLimitPerMinute), "X-RateLimit-Remaining", "0",
                    "X-RateLimit-Reset", Long.toString(resetSeconds)));
        }
        window.addLast(now);
        return FakePolicyEndpoints.serves(method, path) ? null : script.pollFirst();
    }

    private void expectHeader(HttpExchange exchange, String name, String expected) {
        String value = exchange.getRequestHeaders().getFirst(name);
        if (!expected.equals(value)) {
            violations.add(name + " is " + value + ", expected " + expected);
        }
    }

    private record BatchOutcome(Answer answer, int events) {
    }

    private BatchOutcome batch(HttpExchange exchange, byte[] body, String idempotencyKey) {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return new BatchOutcome(new Answer(415, error("unsupported_media_type", "Content-Type must be application/json."),
                    Map.of()), 0);
        }
        if (body == null) {
            return new BatchOutcome(new Answer(413, error("payload_too_large", "Request body exceeds 1 MB."), Map.of()), 0);
        }
        Object root;
        try {
            root = MiniJson.parse(new String(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return invalid("Invalid JSON body: " + e.getMessage(), 0);
        }
        if (!(MiniJson.path(root, "events") instanceof List<?> list)) {
            return invalid("events: expected an array", 0);
        }
        if (list.isEmpty() || list.size() > MAX_EVENTS) {
            return invalid("events: expected 1 to " + MAX_EVENTS + " events, got " + list.size(), list.size());
        }
        for (int i = 0; i < list.size(); i++) {
            String problem = list.get(i) instanceof Map<?, ?> map ? validate(map) : "expected an object";
            if (problem != null) {
                return invalid("events[" + i + "]." + problem, list.size());
            }
        }
        List<String> ids = new ArrayList<>();
        for (Object item : list) {
            @SuppressWarnings("unchecked")
            Map<String, Object> event = (Map<String, Object>) item;
            Object key = event.get("idempotencyKey");
            if (key == null) {
                violations.add("an event without idempotencyKey (the server made one up: no deduplication)");
                key = "sdk_" + UUID.randomUUID();
            }
            if (events.containsKey((String) key)) {
                duplicates++;
            } else {
                events.put((String) key, event);
                ids.add("ns_evt_" + UUID.randomUUID());
            }
        }
        StringBuilder json = new StringBuilder("{\"inserted\":").append(ids.size()).append(",\"ids\":[");
        for (int i = 0; i < ids.size(); i++) {
            json.append(i == 0 ? "" : ",").append(MiniJson.quote(ids.get(i)));
        }
        json.append("]}");
        return new BatchOutcome(new Answer(201, json.toString().getBytes(StandardCharsets.UTF_8), Map.of()), list.size());
    }

    /** The first problem of one event by the ingest schema (docs/nullspend-api-contract.md#cost-event), or null; unknown fields are violations only. */
    private String validate(Map<?, ?> e) {
        for (Object field : e.keySet()) {
            if (!EVENT_FIELDS.contains(field)) {
                violations.add("event field '" + field + "' is not part of the cost-event schema");
            }
        }
        String p;
        if ((p = string(e, "provider", 1, 100, true)) != null
                || (p = string(e, "model", 1, 200, true)) != null
                || (p = integer(e, "inputTokens", MAX_SAFE_INTEGER, true)) != null
                || (p = integer(e, "outputTokens", MAX_SAFE_INTEGER, true)) != null
                || (p = integer(e, "costMicrodollars", MAX_SAFE_INTEGER, true)) != null
                || (p = integer(e, "cachedInputTokens", MAX_SAFE_INTEGER, false)) != null
                || (p = integer(e, "reasoningTokens", MAX_SAFE_INTEGER, false)) != null
                || (p = integer(e, "durationMs", MAX_SAFE_INTEGER, false)) != null
                || (p = string(e, "sessionId", 0, 200, false)) != null
                || (p = string(e, "toolName", 0, 200, false)) != null
                || (p = string(e, "toolServer", 0, 200, false)) != null
                || (p = string(e, "customer", 1, 256, false)) != null
                || (p = string(e, "idempotencyKey", 0, 200, false)) != null
                || (p = breakdown(e.get("costBreakdown"))) != null
                || (p = tags(e.get("tags"))) != null) {
            return p;
        }
        if (e.containsKey("traceId") && !(e.get("traceId") instanceof String t && TRACE_ID.matcher(t).matches())) {
            return "traceId: expected 32 lower-case hexadecimal characters";
        }
        if (e.containsKey("eventType") && !EVENT_TYPES.contains(e.get("eventType"))) {
            return "eventType: expected llm, tool or custom";
        }
        return null;
    }

    private static String string(Map<?, ?> e, String field, int min, int max, boolean required) {
        if (!e.containsKey(field)) {
            return required ? field + ": required" : null;
        }
        if (!(e.get(field) instanceof String s)) {
            return field + ": expected a string";
        }
        return s.length() < min || s.length() > max ? field + ": length must be " + min + " to " + max : null;
    }

    private static String integer(Map<?, ?> e, String field, long max, boolean required) {
        if (!e.containsKey(field)) {
            return required ? field + ": required" : null;
        }
        if (!(e.get(field) instanceof BigDecimal n) || n.stripTrailingZeros().scale() > 0) {
            return field + ": expected an integer";
        }
        return n.signum() < 0 || n.compareTo(BigDecimal.valueOf(max)) > 0 ? field + ": must be 0 to " + max : null;
    }

    private static String breakdown(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> b)) {
            return "costBreakdown: expected an object";
        }
        for (String part : List.of("input", "output", "cached")) {
            if (!(b.get(part) instanceof BigDecimal n) || n.stripTrailingZeros().scale() > 0) {
                return "costBreakdown." + part + ": expected an integer";
            }
        }
        if (b.containsKey("reasoning") && !(b.get("reasoning") instanceof BigDecimal r && r.stripTrailingZeros().scale() <= 0)) {
            return "costBreakdown.reasoning: expected an integer";
        }
        return null;
    }

    private static String tags(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> tags)) {
            return "tags: expected an object";
        }
        if (tags.size() > 10) {
            return "tags: at most 10 keys, got " + tags.size();
        }
        for (Map.Entry<?, ?> tag : tags.entrySet()) {
            if (!TAG_KEY.matcher((String) tag.getKey()).matches()) {
                return "tags: invalid key '" + tag.getKey() + "'";
            }
            if (!(tag.getValue() instanceof String v) || v.length() > 256 || v.indexOf('\0') >= 0) {
                return "tags." + tag.getKey() + ": expected a string of at most 256 characters without NUL";
            }
        }
        return null;
    }

    private static BatchOutcome invalid(String message, int events) {
        return new BatchOutcome(new Answer(400, error("validation_error", message), Map.of()), events);
    }

    /** An answer with the API's error body (docs/nullspend-api-contract.md#error-body). */
    static Answer errorAnswer(int status, String code, String message) {
        return new Answer(status, error(code, message), Map.of());
    }

    private static byte[] error(String code, String message) {
        return ("{\"error\":{\"code\":" + MiniJson.quote(code) + ",\"message\":" + MiniJson.quote(message)
                + ",\"details\":{}}}").getBytes(StandardCharsets.UTF_8);
    }

    /** The body, or null when it is larger than {@link #MAX_BODY_BYTES} (read no further than that). */
    private static byte[] readBounded(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        return bytes.length > MAX_BODY_BYTES ? null : bytes;
    }
}
