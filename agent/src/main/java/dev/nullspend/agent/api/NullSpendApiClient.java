package dev.nullspend.agent.api;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The NullSpend dashboard API (docs/nullspend-api-contract.md#request-headers, #endpoints, #retry-and-backoff), on {@code java.net.http} through an
 * {@link HttpTransport}. Every request carries {@code x-nullspend-key}, {@code NullSpend-Version},
 * {@code X-NullSpend-SDK: java/<version>} and {@code Accept}; a request with a body also
 * {@code Content-Type: application/json}, and every non-GET an {@code Idempotency-Key: ns_<uuid>}
 * made once per call and sent unchanged on each retry.
 *
 * <p>Each HTTP attempt first takes a permit from a {@link RateLimiter} (50 requests per minute,
 * bursts of 10: under the API's 60 per key), then may take 30 s. Retries follow the
 * {@link RetryPolicy}. A {@link Deadline} bounds the whole call, waits included, and is re-read
 * while waiting, so a caller can shorten it from another thread.
 *
 * <p>The methods block the calling thread: the agent calls them on its own threads (the
 * reporter's, the remote policy's); a program's thread waits here only when it calls the API
 * through the {@code NullSpend} facade ({@code facade.FacadeApi}). Thread-safe; one client serves
 * them all, so its rate limiter paces them together.
 */
public final class NullSpendApiClient {
    public static final String API_VERSION = "2026-04-01";
    public static final Duration TIMEOUT = Duration.ofSeconds(30);
    public static final String COST_EVENTS_BATCH = "/api/cost-events/batch";

    /** How often a waiting call looks at its deadline again. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Path segments that carry ids (docs/nullspend-api-contract.md#request-headers). */
    private static final Pattern PATH_ID = Pattern.compile("[a-zA-Z0-9_\\-.:]+");
    private static final Set<String> SUMMARY_PERIODS = Set.of("7d", "30d", "90d");

    /**
     * @param baseUrl           the dashboard API's origin (and optional path prefix), e.g. {@code https://nullspend.dev}
     * @param requestsPerMinute the client's own cap, below the API's 60 per key
     * @param burst             requests allowed back to back, below {@code requestsPerMinute}
     */
    public record Settings(String baseUrl, String apiKey, String sdkVersion, RetryPolicy retryPolicy, Duration timeout,
                           int requestsPerMinute, int burst) {
        public static final int DEFAULT_REQUESTS_PER_MINUTE = 50;
        public static final int DEFAULT_BURST = 10;

        public Settings {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(apiKey, "apiKey");
            Objects.requireNonNull(sdkVersion, "sdkVersion");
            Objects.requireNonNull(retryPolicy, "retryPolicy");
            Objects.requireNonNull(timeout, "timeout");
        }

        /** The reference defaults: 2 retries, 30 s timeouts, 50 requests per minute in bursts of 10. */
        public static Settings of(String baseUrl, String apiKey, String sdkVersion) {
            return new Settings(baseUrl, apiKey, sdkVersion, RetryPolicy.defaults(), TIMEOUT,
                    DEFAULT_REQUESTS_PER_MINUTE, DEFAULT_BURST);
        }
    }

    private final String base;
    private final String apiKey;
    private final String sdkHeader;
    private final RetryPolicy retryPolicy;
    private final long timeoutNanos;
    private final RateLimiter limiter;
    private final Supplier<HttpTransport> transports;
    private final ApiClock clock;
    private final DoubleSupplier random;
    private final LongAdder retries = new LongAdder();
    private HttpTransport transport;
    private IOException transportFailure;

    /**
     * @param transports called once, on first use (creating the JDK client loads {@code java.net.http},
     *                   which must not happen while the agent starts)
     */
    public NullSpendApiClient(Settings settings, Supplier<HttpTransport> transports) {
        this(settings, transports, ApiClock.SYSTEM, () -> ThreadLocalRandom.current().nextDouble());
    }

    public NullSpendApiClient(Settings settings, Supplier<HttpTransport> transports, ApiClock clock, DoubleSupplier random) {
        String url = settings.baseUrl();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.apiKey = settings.apiKey();
        this.sdkHeader = "java/" + settings.sdkVersion();
        this.retryPolicy = settings.retryPolicy();
        this.timeoutNanos = settings.timeout().toNanos();
        this.limiter = new RateLimiter(settings.requestsPerMinute(), settings.burst(), clock);
        this.transports = transports;
        this.clock = clock;
        this.random = random;
    }

    /** The base URL, without a trailing slash. */
    public String baseUrl() {
        return base;
    }

    /** HTTP retries made so far (attempts after the first of each call), for the agent's statistics. */
    public long retries() {
        return retries.sum();
    }

    /** Nanoseconds until the rate limiter would let a request go, 0 when it would now. */
    public long nanosUntilPermit() {
        return limiter.nanosUntilPermit();
    }

    // ---- endpoints (docs/nullspend-api-contract.md#endpoints) ----

    /** {@code POST /api/cost-events/batch}: {@code body} is {@code {"events":[…1..100…]}}; 201 {@code {"inserted":N,"ids":[…]}}. */
    public ApiResponse postCostEventBatch(byte[] body, Deadline deadline) throws ApiException {
        return execute("POST", COST_EVENTS_BATCH, body, deadline);
    }

    /** {@code POST /api/cost-events}: one event; 201 new, 200 duplicate. */
    public ApiResponse postCostEvent(byte[] body, Deadline deadline) throws ApiException {
        return execute("POST", "/api/cost-events", body, deadline);
    }

    /** {@code GET /api/budgets/status}: {@code {"entities":[…]}}. */
    public ApiResponse budgetStatus(Deadline deadline) throws ApiException {
        return execute("GET", "/api/budgets/status", null, deadline);
    }

    /** {@code GET /api/budgets}: {@code {"data":[…]}}. */
    public ApiResponse budgets(Deadline deadline) throws ApiException {
        return execute("GET", "/api/budgets", null, deadline);
    }

    /** {@code GET /api/policy}: the policy object (snake_case). */
    public ApiResponse policy(Deadline deadline) throws ApiException {
        return execute("GET", "/api/policy", null, deadline);
    }

    /** {@code GET /api/cost-events/summary?period=}; {@code period} is {@code 7d}, {@code 30d} or {@code 90d}. */
    public ApiResponse costSummary(String period, Deadline deadline) throws ApiException {
        if (!SUMMARY_PERIODS.contains(period)) {
            throw new IllegalArgumentException("period must be 7d, 30d or 90d: " + period);
        }
        return execute("GET", "/api/cost-events/summary?period=" + period, null, deadline);
    }

    /** {@code POST /api/actions}: {@code {agentId, actionType, payload, metadata?, expiresInSeconds?}}. */
    public ApiResponse createAction(byte[] body, Deadline deadline) throws ApiException {
        return execute("POST", "/api/actions", body, deadline);
    }

    /** {@code GET /api/actions/{id}}. */
    public ApiResponse action(String id, Deadline deadline) throws ApiException {
        return execute("GET", "/api/actions/" + pathId(id), null, deadline);
    }

    /** {@code POST /api/actions/{id}/result}: {@code {status, result?, errorMessage?}}. */
    public ApiResponse actionResult(String id, byte[] body, Deadline deadline) throws ApiException {
        return execute("POST", "/api/actions/" + pathId(id) + "/result", body, deadline);
    }

    // ---- the one request path ----

    private ApiResponse execute(String method, String path, byte[] body, Deadline deadline) throws ApiException {
        int query = path.indexOf('?');
        String request = method + " " + (query < 0 ? path : path.substring(0, query));
        Map<String, String> headers = headers(method, body != null);
        URI uri = URI.create(base + path);
        for (int attempt = 0; ; attempt++) {
            awaitPermit(request, attempt, deadline);
            HttpTransport.Response response = null;
            IOException failure = null;
            try {
                response = exchange(request, method, uri, headers, body, attempt, deadline);
            } catch (ApiException e) {
                throw e;
            } catch (IOException e) {
                failure = e;
            }
            int attempts = attempt + 1;
            String retryAfter = null;
            if (response != null) {
                int status = response.status();
                if (status >= 200 && status < 300) {
                    return new ApiResponse(status, response.body(), "true".equalsIgnoreCase(
                            response.header("X-Idempotent-Replayed")), attempts);
                }
                if (!RetryPolicy.isRetryable(status)) {
                    throw ApiException.refused(request, status, ApiJson.error(response.body()), attempts);
                }
                retryAfter = response.header("Retry-After");
                if (attempt >= retryPolicy.maxRetries()) {
                    throw ApiException.unavailable(request, status, attempts,
                            retryPolicy.retryAfterNanos(retryAfter, clock.currentTimeMillis()));
                }
            } else if (attempt >= retryPolicy.maxRetries()) {
                throw ApiException.network(request, failure, attempts);
            }
            sleep(retryPolicy.delayNanos(attempt, retryAfter, clock.currentTimeMillis(), random.getAsDouble()),
                    request, attempts, deadline);
            retries.increment();
        }
    }

    private Map<String, String> headers(String method, boolean hasBody) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-nullspend-key", apiKey);
        h.put("NullSpend-Version", API_VERSION);
        h.put("X-NullSpend-SDK", sdkHeader);
        h.put("Accept", "application/json");
        if (hasBody) {
            h.put("Content-Type", "application/json");
        }
        if (!method.equals("GET")) {
            h.put("Idempotency-Key", "ns_" + UUID.randomUUID());
        }
        return Map.copyOf(h);
    }

    /** One attempt: the answer, whatever its status, or an I/O error; abandons it when the deadline passes. */
    private HttpTransport.Response exchange(String request, String method, URI uri, Map<String, String> headers,
                                            byte[] body, int attempt, Deadline deadline) throws IOException {
        long budget = Math.min(timeoutNanos, deadline.remainingNanos());
        if (budget <= 0) {
            throw ApiException.abandoned(request, attempt);
        }
        CompletableFuture<HttpTransport.Response> future =
                transport().send(new HttpTransport.Request(method, uri, headers, body, Duration.ofNanos(budget)));
        // The transport's timeout covers the wait for the headers; this one the whole exchange.
        long end = clock.nanoTime() + timeoutNanos;
        while (true) {
            long left = end - clock.nanoTime();
            long deadlineLeft = deadline.remainingNanos();
            if (deadlineLeft <= 0) {
                future.cancel(true);
                throw ApiException.abandoned(request, attempt + 1);
            }
            if (left <= 0) {
                future.cancel(true);
                throw new IOException("no complete answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
            }
            try {
                return future.get(Math.min(POLL_NANOS, Math.min(left, deadlineLeft)), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // look at both limits again
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof IOException io ? io : new IOException(String.valueOf(cause), cause);
            } catch (CancellationException e) {
                throw new IOException("exchange cancelled", e);
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw ApiException.abandoned(request, attempt + 1);
            }
        }
    }

    private void awaitPermit(String request, int attempt, Deadline deadline) throws ApiException {
        for (long wait; (wait = limiter.tryAcquire()) > 0; ) {
            sleep(wait, request, attempt, deadline);
        }
    }

    /** Sleeps in short slices; gives up at once when the deadline would pass before the sleep ends. */
    private void sleep(long nanos, String request, int attempts, Deadline deadline) throws ApiException {
        long end = clock.nanoTime() + nanos;
        for (long left; (left = end - clock.nanoTime()) > 0; ) {
            if (deadline.remainingNanos() <= left) {
                throw ApiException.abandoned(request, attempts);
            }
            try {
                clock.sleepNanos(Math.min(left, POLL_NANOS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.abandoned(request, attempts);
            }
        }
    }

    private synchronized HttpTransport transport() throws IOException {
        if (transport == null) {
            if (transportFailure != null) {
                throw transportFailure;
            }
            try {
                transport = transports.get();
            } catch (RuntimeException | LinkageError e) {
                transportFailure = new IOException("no HTTP transport for the NullSpend API: " + e, e);
                throw transportFailure;
            }
        }
        return transport;
    }

    private static String pathId(String id) {
        if (id == null || !PATH_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a valid id for a URL path: " + id);
        }
        return id;
    }
}
