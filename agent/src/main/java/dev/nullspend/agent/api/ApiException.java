package dev.nullspend.agent.api;

import java.io.IOException;

/**
 * An API request that did not succeed, after the retry policy. The message follows the reference
 * SDK (docs/nullspend-api-contract.md#retry-and-backoff): {@code "POST /api/cost-events/batch failed: <error.message>"} for a
 * refused request, {@code "… failed: HTTP 503"} when retries ran out on a status, {@code "… network
 * error: …"} when they ran out on I/O errors.
 */
public final class ApiException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why the request failed. */
    public enum Kind {
        /** A status that is not retried (400, 401, 403, 404, 413, 415 …): sending the same again will not help. */
        REFUSED,
        /** Retries ran out on retryable statuses (429, 5xx). */
        UNAVAILABLE,
        /** Retries ran out on I/O errors (connection refused, timeouts …). */
        NETWORK,
        /** The caller's {@link Deadline} passed before an answer: the request may or may not have been processed. */
        ABANDONED
    }

    private final Kind kind;
    private final int status;
    private final String code;
    private final int attempts;
    private final long retryAfterNanos;

    private ApiException(Kind kind, String message, Throwable cause, int status, String code, int attempts,
                         long retryAfterNanos) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.code = code;
        this.attempts = attempts;
        this.retryAfterNanos = retryAfterNanos;
    }

    static ApiException refused(String request, int status, ApiJson.ErrorBody error, int attempts) {
        String message = request + " failed: " + (error.message() != null
                ? error.message() + " (HTTP " + status + (error.code() != null ? ", " + error.code() : "") + ")"
                : "HTTP " + status + (error.code() != null ? " (" + error.code() + ")" : ""))
                + (status == 401 ? "; check nullspend.api-key" : "");
        return new ApiException(Kind.REFUSED, message, null, status, error.code(), attempts, -1);
    }

    static ApiException unavailable(String request, int status, int attempts, long retryAfterNanos) {
        return new ApiException(Kind.UNAVAILABLE, request + " failed: HTTP " + status, null, status, null, attempts,
                retryAfterNanos);
    }

    static ApiException network(String request, IOException cause, int attempts) {
        return new ApiException(Kind.NETWORK, request + " network error: " + cause, cause, 0, null, attempts, -1);
    }

    static ApiException abandoned(String request, int attempts) {
        return new ApiException(Kind.ABANDONED, request + " abandoned: its deadline passed", null, 0, null, attempts, -1);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status of the last answer, 0 when there was none. */
    public int status() {
        return status;
    }

    /** The API's {@code error.code} of a refused request, e.g. {@code validation_error}; null when absent. */
    public String code() {
        return code;
    }

    /** HTTP attempts made (1 + retries); 0 when none was started. */
    public int attempts() {
        return attempts;
    }

    /** The last answer's {@code Retry-After} in nanoseconds (capped at 5 s), or -1 when there was none. */
    public long retryAfterNanos() {
        return retryAfterNanos;
    }
}
