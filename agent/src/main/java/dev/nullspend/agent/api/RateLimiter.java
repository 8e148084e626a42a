package dev.nullspend.agent.api;

/**
 * A token bucket that keeps the client under the API's per-key rate limit (60 requests per
 * minute, sliding window): {@code burst} requests at once, then one every
 * {@code 60 s / (perMinute − burst)}, so any 60-second window holds at most {@code perMinute}
 * requests. Thread-safe.
 */
public final class RateLimiter {
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final int burst;
    private final long refillNanos;
    private final ApiClock clock;
    private double tokens;
    private long lastRefill;

    /**
     * @param perMinute requests allowed in any 60 s window; must exceed {@code burst}
     * @param burst     requests that may go out back to back after a quiet period, at least 1
     */
    public RateLimiter(int perMinute, int burst, ApiClock clock) {
        if (burst < 1 || perMinute <= burst) {
            throw new IllegalArgumentException("need 1 <= burst < perMinute: burst " + burst + ", perMinute " + perMinute);
        }
        this.burst = burst;
        this.refillNanos = MINUTE_NANOS / (perMinute - burst);
        this.clock = clock;
        this.tokens = burst;
        this.lastRefill = clock.nanoTime();
    }

    /** Takes a permit and returns 0, or returns the nanoseconds until one is available (taking nothing). */
    public synchronized long tryAcquire() {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) ((1 - tokens) * refillNanos));
    }

    /** Nanoseconds until a permit is available, 0 when one is; takes nothing. */
    public synchronized long nanosUntilPermit() {
        refill();
        return tokens >= 1 ? 0 : Math.max(1, (long) ((1 - tokens) * refillNanos));
    }

    private void refill() {
        long now = clock.nanoTime();
        long elapsed = now - lastRefill;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + (double) elapsed / refillNanos);
            lastRefill = now;
        }
    }
}
