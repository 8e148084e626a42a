package dev.nullspend.agent.guard;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.api.CostEvent;

import java.util.Map;

/**
 * Who a call is for, as far as budgets care: its session, its customer and its tags. Tag and
 * customer budgets match on these; session limits count per session id.
 *
 * @param sessionId session id, or {@code null}
 * @param customer  customer id, or {@code null}; {@link #customerId()} also looks at {@code tags["customer"]}
 * @param tags      never {@code null}
 */
public record CallOwner(String sessionId, String customer, Map<String, String> tags) {
    public static final CallOwner NONE = new CallOwner(null, null, Map.of());

    public CallOwner {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /**
     * The owner of a call: the program's attribution scope where it sets a value, else the
     * configuration's; tags merge (the scope wins on the same key).
     */
    public static CallOwner of(AgentConfig config, dev.nullspend.api.Attribution scope) {
        java.util.Map<String, String> tags = new java.util.LinkedHashMap<>(config.tags);
        tags.putAll(scope.tags());
        return new CallOwner(scope.sessionId() != null ? scope.sessionId() : config.sessionId,
                scope.customer() != null ? scope.customer() : config.customer, tags);
    }

    /** The run's attribution from {@code nullspend.session.id}, {@code nullspend.customer} and {@code nullspend.tags}. */
    public static CallOwner of(AgentConfig config) {
        return new CallOwner(config.sessionId, config.customer, config.tags);
    }

    /** The attribution an event was recorded with (restoring spend from a ledger). */
    static CallOwner of(CostEvent event) {
        return new CallOwner(event.sessionId(), event.customer(), event.tags());
    }

    /** The customer budgets match: the customer field, else the {@code customer} tag (as the NullSpend proxy does). */
    public String customerId() {
        return customer != null ? customer : tags.get("customer");
    }

    /** True when the tags hold {@code key} with exactly {@code value}. */
    public boolean hasTag(String key, String value) {
        return value.equals(tags.get(key));
    }
}
