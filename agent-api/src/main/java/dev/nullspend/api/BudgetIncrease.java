package dev.nullspend.api;

/**
 * An approved budget increase: the server raised the budget when the action was approved.
 *
 * @param actionId                    the {@code budget_increase} action
 * @param requestedAmountMicrodollars the amount asked for (and granted)
 */
public record BudgetIncrease(String actionId, long requestedAmountMicrodollars) {
}
