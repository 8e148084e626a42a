package dev.nullspend.api;

/**
 * Base of every exception the NullSpend agent throws into a program.
 *
 * <p>Denials are unchecked and are thrown before any byte of the request reaches the provider.
 * The agent puts one copy of these classes where every class loader finds it, so a program's
 * {@code catch (BudgetExceededException e)} works whether or not it ships {@code agent-api}
 * itself.
 */
public class NullSpendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final transient Recovery recovery;

    public NullSpendException(String code, String message, Recovery recovery) {
        this(code, message, recovery, null);
    }

    public NullSpendException(String code, String message, Recovery recovery, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.recovery = recovery;
    }

    /** Stable machine-readable code, e.g. {@code budget_exceeded}; {@code null} for non-denial errors. */
    public String code() {
        return code;
    }

    /** What can be done about it; {@code null} when the error is not a denial. */
    public Recovery recovery() {
        return recovery;
    }

    /** Formats microdollars as dollars for people, e.g. {@code 4580000 -> "$4.58"}, {@code 4000 -> "$0.004"} ({@link Money#usd}). */
    protected static String usd(long microdollars) {
        return Money.usd(microdollars);
    }
}
