package dev.nullspend.agent.guard;

/** An answer of the NullSpend API's policy or budget status endpoint that does not have the documented shape. */
public final class PolicyFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    PolicyFormatException(String message) {
        super(message);
    }
}
