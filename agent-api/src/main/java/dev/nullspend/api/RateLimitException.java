package dev.nullspend.api;

/**
 * Too much happened within a window of seconds (spend, or the same call repeated); the denial clears
 * by itself after a wait, which {@link #recovery()} gives.
 */
abstract class RateLimitException extends NullSpendException {
    private static final long serialVersionUID = 1L;

    private final int windowSeconds;

    RateLimitException(String code, String docsPage, String message, int windowSeconds, int retryAfterSeconds) {
        super(code, message, Recovery.retryAfter(retryAfterSeconds, docsPage));
        this.windowSeconds = windowSeconds;
    }

    public int windowSeconds() {
        return windowSeconds;
    }
}
