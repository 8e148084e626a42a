package dev.nullspend.api;

/** {@link NullSpend#proposeAndWait} ended without an approval of its action: nothing was executed. */
abstract class ActionOutcomeException extends NullSpendException {
    private static final long serialVersionUID = 1L;

    private final String actionId;

    ActionOutcomeException(String code, String actionId, String message) {
        super(code, message, null);
        this.actionId = actionId;
    }

    public String actionId() {
        return actionId;
    }
}
