package dev.nullspend.api;

/** Spend rose faster than the velocity limit allows; the breaker is open. Code {@code velocity_exceeded}. */
public class VelocityExceededException extends NullSpendException {
    private static final long serialVersionUID = 1L;

    private final long limitMicrodollars;
    private final int windowSeconds;
    private final long currentMicrodollars;
    private final int retryAfterSeconds;

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
        super("velocity_exceeded", message, Recovery.retryAfter(retryAfterSeconds, "velocity"));
        this.limitMicrodollars = limitMicrodollars;
        this.windowSeconds = windowSeconds;
        this.currentMicrodollars = currentMicrodollars;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long limitMicrodollars() {
        return limitMicrodollars;
    }

    public int windowSeconds() {
        return windowSeconds;
    }

    public long currentMicrodollars() {
        return currentMicrodollars;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
