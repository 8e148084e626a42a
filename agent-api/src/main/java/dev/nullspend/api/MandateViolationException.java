package dev.nullspend.api;

import java.util.List;

/** The model or provider is not on the allowed list. Code {@code mandate_violation}. */
public class MandateViolationException extends NullSpendException {
    private static final long serialVersionUID = 1L;

    private final String mandate;
    private final String requested;
    private final List<String> allowed;

    public MandateViolationException(String mandate, String requested, List<String> allowed) {
        this(mandate, requested, allowed,
                "Mandate violation: " + requested + " is not in " + mandate + " " + allowed
                        + ". Use an allowed " + ("allowed_providers".equals(mandate) ? "provider" : "model")
                        + " or ask the owner to extend the list. See " + Recovery.DOCS_BASE + "mandate-violation");
    }

    public MandateViolationException(String mandate, String requested, List<String> allowed, String message) {
        super("mandate_violation", message, Recovery.ownerAction("mandate-violation"));
        this.mandate = mandate;
        this.requested = requested;
        this.allowed = allowed == null ? List.of() : List.copyOf(allowed);
    }

    /** {@code allowed_models} or {@code allowed_providers}. */
    public String mandate() {
        return mandate;
    }

    public String requested() {
        return requested;
    }

    public List<String> allowed() {
        return allowed;
    }
}
