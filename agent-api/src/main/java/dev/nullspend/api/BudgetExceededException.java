package dev.nullspend.api;

/** A call would take spend past a budget (user, api key or customer). Code {@code budget_exceeded}. */
public class BudgetExceededException extends BudgetLimitException {
    private static final long serialVersionUID = 1L;

    /** A denial reported by the NullSpend API or proxy, with the wire's message style. */
    public BudgetExceededException(String entityType, String entityId, long limitMicrodollars,
                                   long spendMicrodollars, long estimatedCostMicrodollars) {
        this(entityType, entityId, limitMicrodollars, spendMicrodollars, estimatedCostMicrodollars, 0,
                "Budget exceeded. " + remaining(limitMicrodollars, spendMicrodollars) + " on " + entityType + "/"
                        + entityId + "; this call could cost up to " + usd(estimatedCostMicrodollars) + ". "
                        + increaseOrWait("budget-exceeded"));
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
        super("budget_exceeded", "budget-exceeded", entityType, entityId, message, limitMicrodollars,
                spendMicrodollars, estimatedCostMicrodollars, reservedMicrodollars);
    }

    public String entityType() {
        return scopeKind;
    }

    public String entityId() {
        return scopeName;
    }
}
