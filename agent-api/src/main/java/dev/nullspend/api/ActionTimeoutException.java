package dev.nullspend.api;

/**
 * Nobody decided on an action within the wait's timeout; the action stays {@code pending} on the
 * server until it expires. Code {@code action_timeout}.
 */
public class ActionTimeoutException extends ActionOutcomeException {
    private static final long serialVersionUID = 1L;

    private final long timeoutMillis;

    public ActionTimeoutException(String actionId, long timeoutMillis) {
        super("action_timeout", actionId, "No decision on action " + actionId + " within " + timeoutMillis
                + " ms; it is still pending");
        this.timeoutMillis = timeoutMillis;
    }

    public long timeoutMillis() {
        return timeoutMillis;
    }
}
