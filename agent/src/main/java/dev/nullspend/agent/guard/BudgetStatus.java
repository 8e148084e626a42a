package dev.nullspend.agent.guard;

import java.time.Instant;

/**
 * A local budget's state now, in the terms of the NullSpend API's budget status (docs/nullspend-api-contract.md#budget-status).
 *
 * @param resetInterval      {@code daily}, {@code weekly}, {@code monthly}, or {@code null}
 * @param currentPeriodStart start of the current UTC period, or {@code null} without a reset interval
 * @param reservedMicros     estimates held by calls in flight
 */
public record BudgetStatus(String entityType, String entityId, String policy, String resetInterval,
                           Instant currentPeriodStart, long limitMicros, long spendMicros, long reservedMicros) {

    /** {@code max(0, limit − spend)}. */
    public long remainingMicros() {
        return Math.max(0, limitMicros - spendMicros);
    }
}
