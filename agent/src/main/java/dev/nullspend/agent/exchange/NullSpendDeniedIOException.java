package dev.nullspend.agent.exchange;

import dev.nullspend.api.NullSpendException;

import java.io.IOException;

/**
 * Carries a denial through APIs that only pass {@code IOException}s. OkHttp: its interceptors and
 * {@code Callback.onFailure}; an {@code enqueue()} callback receives this exception, its
 * {@link #getCause() cause} the typed denial, while {@code execute()} callers get the denial itself
 * ({@code RealCallExecuteAdvice}). {@code HttpURLConnection}: every method that sends or answers
 * declares only {@code IOException}, which is what its programs catch, so they get this exception.
 */
public final class NullSpendDeniedIOException extends IOException {
    private static final long serialVersionUID = 1L;
    /** OkHttp and the program's interceptors may wrap it; deeper than this it is not ours to unwrap. */
    private static final int MAX_CAUSE_DEPTH = 8;

    public NullSpendDeniedIOException(NullSpendException denial) {
        super(denial.getMessage(), denial);
    }

    /** The denial carried by {@code thrown} or one of its first causes; else {@code thrown} itself. */
    public static Throwable unwrap(Throwable thrown) {
        Throwable t = thrown;
        for (int i = 0; i < MAX_CAUSE_DEPTH && t != null; i++, t = t.getCause()) {
            if (t instanceof NullSpendDeniedIOException) {
                return t.getCause();
            }
        }
        return thrown;
    }
}
