package dev.nullspend.api;

import java.util.Map;

/**
 * The answer to {@code POST /api/actions/{id}/result}: the action's new status and the time of
 * each step so far (ISO-8601, {@code null} until it happened).
 *
 * @param budgetIncrease for an executed {@code budget_increase} action, what the server raised (plain
 *                       JSON values); otherwise {@code null}
 */
public record ActionUpdate(String id, String status, String approvedAt, String rejectedAt, String executedAt,
                           Map<String, Object> budgetIncrease) {
}
