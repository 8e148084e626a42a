package dev.nullspend.agent.api;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * When and how long to wait before retrying an API request (docs/nullspend-api-contract.md#retry-and-backoff): HTTP 429, 500,
 * 502, 503, 504 and I/O errors are retried, at most {@code maxRetries} times (default 2, clamped
 * to 0–10), after a full-jitter backoff, or after the server's {@code Retry-After} when it sends one.
 */
public final class RetryPolicy {
    public static final int DEFAULT_MAX_RETRIES = 2;
    public static final int MAX_RETRIES_LIMIT = 10;
    public static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(5);

    private static final long MIN_JITTER_NANOS = 1_000_000;
    /** Delta-seconds as the reference parses them: optionally signed, optionally fractional. */
    private static final Pattern SECONDS = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

    private final int maxRetries;
    private final long baseNanos;
    private final long maxNanos;

    public RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay) {
        this.maxRetries = Math.max(0, Math.min(MAX_RETRIES_LIMIT, maxRetries));
        this.baseNanos = baseDelay.toNanos();
        this.maxNanos = maxDelay.toNanos();
    }

    /** Two retries, 0.5 s base, 5 s cap. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(DEFAULT_MAX_RETRIES, DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY);
    }

    public int maxRetries() {
        return maxRetries;
    }

    public static boolean isRetryable(int status) {
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    /**
     * The wait before retry number {@code attempt + 1} ({@code attempt} = 0 before the first retry).
     * A usable {@code Retry-After} replaces the jitter, capped at {@code base × 2^(attempt+1)}.
     *
     * @param retryAfter the header's value, or null
     * @param random     uniform in [0, 1)
     */
    public long delayNanos(int attempt, String retryAfter, long nowMillis, double random) {
        long serverDelay = retryAfterNanos(retryAfter, nowMillis);
        if (serverDelay >= 0) {
            return Math.min(serverDelay, scaled(attempt + 1));
        }
        return jitterNanos(attempt, random);
    }

    /** Full jitter: {@code max(1 ms, random × min(base × 2^attempt, max))}. */
    public long jitterNanos(int attempt, double random) {
        return Math.max(MIN_JITTER_NANOS, (long) (random * Math.min(scaled(attempt), maxNanos)));
    }

    /**
     * A {@code Retry-After} value in nanoseconds, capped at the maximum delay: delta-seconds (may be
     * fractional) or an HTTP-date (a past date gives 0). Returns -1 when absent or unusable
     * (negative, not a number, not a date).
     */
    public long retryAfterNanos(String value, long nowMillis) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        String v = value.trim();
        if (SECONDS.matcher(v).matches()) {
            double seconds = Double.parseDouble(v);
            if (seconds < 0) {
                return -1;
            }
            return Math.min(maxNanos, (long) (seconds * 1e9));
        }
        try {
            long dateMillis = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            long millis = Math.max(0, dateMillis - nowMillis);
            return Math.min(maxNanos, millis * 1_000_000);
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    /** {@code base × 2^exponent}, saturating well before overflow. */
    private long scaled(int exponent) {
        return exponent >= 20 ? Long.MAX_VALUE / 2 : baseNanos << exponent;
    }
}
