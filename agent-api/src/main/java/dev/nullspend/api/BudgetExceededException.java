package dev.nullspend.api;

/** A call would take spend past a budget (user, api key or customer). Code {@code budget_exceeded}. */
public class BudgetExceededException extends NullSpendException {
    private static final long serialVersionUID = 1L;

    private final String entityType;
    private final String entityId;
    private final long limitMicrodollars;
    private final long spendMicrodollars;
    private final long estimatedCostMicrodollars;

    public BudgetExceededException(String entityType, String entityId, long limitMicrodollars,
                                   long spendMicrodollars, long estimatedCostMicrodollars) {
        this(entityType, entityId, limitMicrodollars, spendMicrodollars, estimatedCostMicrodollars,
                defaultMessage(entityType, entityId, limitMicrodollars, spendMicrodollars, estimatedCostMicrodollars));
    }

    public BudgetExceededException(String entityType, String entityId, long limitMicrodollars,
                                   long spendMicrodollars, long estimatedCostMicrodollars, String message) {
        super("budget_exceeded", message, Recovery.ownerAction("budget-exceeded"));
        this.entityType = entityType;
        this.entityId = entityId;
        this.limitMicrodollars = limitMicrodollars;
        this.spendMicrodollars = spendMicrodollars;
        this.estimatedCostMicrodollars = estimatedCostMicrodollars;
    }

    private static String defaultMessage(String type, String id, long limit, long spend, long estimate) {
        return "Budget exceeded. " + usd(Math.max(0, limit - spend)) + " remaining (limit: " + usd(limit)
                + ", spent: " + usd(spend) + ") on " + type + "/" + id + "; this call could cost up to "
                + usd(estimate) + ". Raise the limit (nullspend.budget.limit-usd or the budgets file) or wait for "
                + "the next period. See " + Recovery.DOCS_BASE + "budget-exceeded";
    }

    public String entityType() {
        return entityType;
    }

    public String entityId() {
        return entityId;
    }

    public long limitMicrodollars() {
        return limitMicrodollars;
    }

    public long spendMicrodollars() {
        return spendMicrodollars;
    }

    /** {@code max(0, limit - spend)}. */
    public long remainingMicrodollars() {
        return Math.max(0, limitMicrodollars - spendMicrodollars);
    }

    public long estimatedCostMicrodollars() {
        return estimatedCostMicrodollars;
    }
}
