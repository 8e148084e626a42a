package dev.nullspend.api;

/** Spend rose faster than the velocity limit allows; the breaker is open. Code {@code velocity_exceeded}. */
public class VelocityExceededException extends RateLimitException {
    private static final long serialVersionUID = 1L;

    public VelocityExceededException(long limitMicrodollars, int windowSeconds, long currentMicrodollars,
                                     int retryAfterSeconds) {
        this(limitMicrodollars, windowSeconds, currentMicrodollars, retryAfterSeconds,
                "Spend velocity exceeded: " + usd(currentMicrodollars) + " in the last " + windowSeconds
                        + "s against a limit of " + usd(limitMicrodollars) + " per " + windowSeconds
                        + "s. Calls resume in " + retryAfterSeconds + "s; raise nullspend.velocity.limit-usd if "
                        + "this rate is expected. See " + Recovery.DOCS_BASE + "velocity");
    }

    public VelocityExceededException(long limitMicrodollars, int windowSeconds, long currentMicrodollars,
                                     int retryAfterSeconds, String message) {
        super("velocity_exceeded", "velocity", message, windowSeconds, currentMicrodollars, limitMicrodollars,
                retryAfterSeconds);
    }

    public long limitMicrodollars() {
        return allowed;
    }

    public long currentMicrodollars() {
        return counted;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
