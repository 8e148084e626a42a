package dev.nullspend.api;

/** A call would take spend past a budget (user, api key or customer). Code {@code budget_exceeded}. */
public class BudgetExceededException extends NullSpendException {
    private static final long serialVersionUID = 1L;

    private final String entityType;
    private final String entityId;
    private final long limitMicrodollars;
    private final long spendMicrodollars;
    private final long estimatedCostMicrodollars;
    private final long reservedMicrodollars;

    /** A denial reported by the NullSpend API or proxy, with the wire's message style. */
    public BudgetExceededException(String entityType, String entityId, long limitMicrodollars,
                                   long spendMicrodollars, long estimatedCostMicrodollars) {
        this(entityType, entityId, limitMicrodollars, spendMicrodollars, estimatedCostMicrodollars, 0,
                defaultMessage(entityType, entityId, limitMicrodollars, spendMicrodollars, estimatedCostMicrodollars));
    }

    public BudgetExceededException(String entityType, String entityId, long limitMicrodollars,
                                   long spendMicrodollars, long estimatedCostMicrodollars, String message) {
        this(entityType, entityId, limitMicrodollars, spendMicrodollars, estimatedCostMicrodollars, 0, message);
    }

    /**
     * @param reservedMicrodollars what calls still in flight hold against the budget; the call was
     *                             denied because {@code spend + reserved + estimate > limit}
     */
    public BudgetExceededException(String entityType, String entityId, long limitMicrodollars,
                                   long spendMicrodollars, long estimatedCostMicrodollars, long reservedMicrodollars,
                                   String message) {
        super("budget_exceeded", message, Recovery.ownerAction("budget-exceeded"));
        this.entityType = entityType;
        this.entityId = entityId;
        this.limitMicrodollars = limitMicrodollars;
        this.spendMicrodollars = spendMicrodollars;
        this.estimatedCostMicrodollars = estimatedCostMicrodollars;
        this.reservedMicrodollars = reservedMicrodollars;
    }

    private static String defaultMessage(String type, String id, long limit, long spend, long estimate) {
        return "Budget exceeded. " + usd(Math.max(0, limit - spend)) + " remaining (limit: " + usd(limit)
                + ", spent: " + usd(spend) + ") on " + type + "/" + id + "; this call could cost up to "
                + usd(estimate) + ". Increase at https://nullspend.dev/app/budgets or wait for the next period. See "
                + Recovery.DOCS_BASE + "budget-exceeded";
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

    /** Held by calls in flight when the call was denied; 0 when the denial came from the API or proxy. */
    public long reservedMicrodollars() {
        return reservedMicrodollars;
    }
}
