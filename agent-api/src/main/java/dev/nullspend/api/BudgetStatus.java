package dev.nullspend.api;

import java.util.List;

/**
 * One entity of {@code GET /api/budgets/status}: a budget that applies to the calling API key
 * (its {@code user} and {@code api_key} entities), with what is left of it in the current period.
 * Money in microdollars (1 USD = 1,000,000); optional fields are {@code null} when the server
 * sent none.
 *
 * @param entityType            {@code user} or {@code api_key}
 * @param remainingMicrodollars limit − spend, never below 0
 * @param policy                {@code strict_block}, {@code soft_block} or {@code warn}
 * @param resetInterval         {@code daily}, {@code weekly}, {@code monthly} or {@code null}
 * @param currentPeriodStart    ISO-8601, or {@code null}
 * @param thresholdPercentages  alert thresholds, ascending; empty when not sent
 */
public record BudgetStatus(String entityType, String entityId, long limitMicrodollars, long spendMicrodollars,
                           long remainingMicrodollars, String policy, String resetInterval, String currentPeriodStart,
                           List<Integer> thresholdPercentages, Long velocityLimitMicrodollars,
                           Integer velocityWindowSeconds, Integer velocityCooldownSeconds,
                           Long sessionLimitMicrodollars, long finalizationReserveMicrodollars) {

    public BudgetStatus {
        thresholdPercentages = thresholdPercentages == null ? List.of() : List.copyOf(thresholdPercentages);
    }
}
