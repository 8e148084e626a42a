package dev.nullspend.api;

/** The same request was repeated too often in a short window: the agent is probably stuck. Code {@code loop_detected}. */
public class LoopDetectedException extends RateLimitException {
    private static final long serialVersionUID = 1L;

    /** Seconds a repeated call keeps being denied after a detection. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private final String provider;
    private final String model;
    private final String detectionType;

    /** A denial reported by the NullSpend API or proxy, with the wire's message style. */
    public LoopDetectedException(String model, int callCount, int windowSeconds, int maxCalls, String detectionType) {
        this(model, callCount, windowSeconds, maxCalls, detectionType,
                "Loop detected: " + model + " called " + callCount + " times with identical content in "
                        + windowSeconds + "s (" + detectionType + ", limit " + maxCalls + "). The program is "
                        + "probably repeating itself. Adjust at https://nullspend.dev/app/budgets or set "
                        + "loop_max_calls=0 to disable. See " + Recovery.DOCS_BASE + "loop-detected");
    }

    public LoopDetectedException(String model, int callCount, int windowSeconds, int maxCalls, String detectionType,
                                 String message) {
        this("unknown", model, callCount, windowSeconds, maxCalls, detectionType, message);
    }

    /**
     * @param provider {@code multiple} for an aggregate detection
     * @param model    {@code aggregate} for an aggregate detection
     */
    public LoopDetectedException(String provider, String model, int callCount, int windowSeconds, int maxCalls,
                                 String detectionType, String message) {
        super("loop_detected", "loop-detected", message, windowSeconds, callCount, maxCalls, RETRY_AFTER_SECONDS);
        this.provider = provider;
        this.model = model;
        this.detectionType = detectionType;
    }

    /** The provider of the repeated call, {@code multiple} for an aggregate detection, {@code unknown} when not reported. */
    public String provider() {
        return provider;
    }

    public String model() {
        return model;
    }

    public int callCount() {
        return (int) counted;
    }

    public int maxCalls() {
        return (int) allowed;
    }

    /** {@code per_key} or {@code aggregate}. */
    public String detectionType() {
        return detectionType;
    }
}
