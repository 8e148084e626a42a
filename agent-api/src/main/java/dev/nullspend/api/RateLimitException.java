package dev.nullspend.api;

/**
 * Too much happened within a window of seconds: a count (spend, or calls of the same request) passed
 * what the window allows. The denial clears by itself after a wait, which {@link #recovery()} gives.
 */
abstract class RateLimitException extends NullSpendException {
    private static final long serialVersionUID = 1L;

    private final int windowSeconds;
    /** What was counted in the window (microdollars of spend, or calls: an int), and what the window allows. */
    final long counted;
    final long allowed;
    final int retryAfterSeconds;

    RateLimitException(String code, String docsPage, String message, int windowSeconds, long counted, long allowed,
                       int retryAfterSeconds) {
        super(code, message, Recovery.retryAfter(retryAfterSeconds, docsPage));
        this.windowSeconds = windowSeconds;
        this.counted = counted;
        this.allowed = allowed;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int windowSeconds() {
        return windowSeconds;
    }
}
