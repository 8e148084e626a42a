package dev.nullspend.api;

import java.util.Map;

/**
 * {@code GET /api/cost-events/summary?period=}: the spend of the last 7, 30 or 90 days.
 *
 * @param period                {@code 7d}, {@code 30d} or {@code 90d}
 * @param totalCostMicrodollars the period's spend in microdollars
 * @param totalRequests         events counted in the period
 * @param breakdowns            the rest of the summary exactly as the server sent it, as plain JSON
 *                              values ({@code Map}, {@code List}, {@code String}, {@code Long},
 *                              {@code Double}, {@code Boolean}, {@code null}; unmodifiable): {@code daily},
 *                              {@code models}, {@code providers}, {@code keys}, {@code tools},
 *                              {@code costBreakdown} …, whichever the server includes
 */
public record CostSummary(String period, long totalCostMicrodollars, long totalRequests, Map<String, Object> breakdowns) {
}
