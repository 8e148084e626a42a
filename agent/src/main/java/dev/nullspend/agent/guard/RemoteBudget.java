package dev.nullspend.agent.guard;

/**
 * One budget of a remote policy snapshot: the budget of {@code GET /api/policy} or an entity of
 * {@code GET /api/budgets/status} (docs/nullspend-api-contract.md#budget-status, #policy), in the guard's terms.
 *
 * @param rule                      its limit, policy, breaker and session cap; origin {@link BudgetRule#REMOTE}
 * @param spendMicros               its spend in the current period when the snapshot was taken
 * @param finalizationReserveMicros part of the limit a strict budget keeps back (docs/nullspend-api-contract.md#client-side-checks)
 * @param periodStartMillis         start of its current period, {@link Long#MIN_VALUE} when unknown
 * @param periodEndMillis           end of its current period, {@link Long#MAX_VALUE} when it does not end or is unknown
 */
record RemoteBudget(BudgetRule rule, long spendMicros, long finalizationReserveMicros, long periodStartMillis,
                    long periodEndMillis) {
}
