package dev.nullspend.api;

/**
 * {@link NullSpend#proposeAndWait} ended without approval: the action was rejected or expired (or
 * reached another status than {@code approved}). Nothing was executed. Code {@code action_rejected}.
 */
public class ActionRejectedException extends ActionOutcomeException {
    private static final long serialVersionUID = 1L;

    private final String status;

    public ActionRejectedException(String actionId, String status) {
        super("action_rejected", actionId, "Action " + actionId + " was not approved: its status is " + status
                + "; nothing was executed");
        this.status = status;
    }

    /** The decision: {@code rejected}, {@code expired}, or whatever non-approved status the server reported. */
    public String status() {
        return status;
    }
}
