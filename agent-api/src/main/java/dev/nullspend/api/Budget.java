package dev.nullspend.api;

import java.util.List;

/**
 * One budget of {@code GET /api/budgets}, as configured in the dashboard. Money in microdollars;
 * optional fields are {@code null} when the server sent none.
 *
 * @param id                   {@code ns_bgt_…}
 * @param entityType           {@code user}, {@code api_key}, {@code tag} or {@code customer}
 * @param entityId             for a tag budget {@code key=value}
 * @param policy               {@code strict_block}, {@code soft_block} or {@code warn}
 * @param resetInterval        {@code daily}, {@code weekly}, {@code monthly} or {@code null}
 * @param currentPeriodStart   ISO-8601, or {@code null}
 * @param thresholdPercentages alert thresholds, ascending; empty when not sent
 * @param createdAt            ISO-8601, or {@code null}
 * @param updatedAt            ISO-8601, or {@code null}
 */
public record Budget(String id, String entityType, String entityId, long maxBudgetMicrodollars, long spendMicrodollars,
                     String policy, String resetInterval, String currentPeriodStart, List<Integer> thresholdPercentages,
                     Long velocityLimitMicrodollars, Integer velocityWindowSeconds, Integer velocityCooldownSeconds,
                     Long sessionLimitMicrodollars, long finalizationReserveMicrodollars, Integer loopMaxCalls,
                     Integer loopWindowSeconds, Integer loopAggregateMaxKeys, String createdAt, String updatedAt) {

    public Budget {
        thresholdPercentages = thresholdPercentages == null ? List.of() : List.copyOf(thresholdPercentages);
    }
}
