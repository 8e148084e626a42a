package dev.nullspend.api;

/** A call would take spend past the budget of a tag ({@code key=value}). Code {@code tag_budget_exceeded}. */
public class TagBudgetExceededException extends BudgetLimitException {
    private static final long serialVersionUID = 1L;

    /** A denial reported by the NullSpend API or proxy, with the wire's message style. */
    public TagBudgetExceededException(String tagKey, String tagValue, long limitMicrodollars, long spendMicrodollars) {
        this(tagKey, tagValue, limitMicrodollars, spendMicrodollars, "Tag budget exceeded for " + tagKey + "=" + tagValue
                + ". " + remaining(limitMicrodollars, spendMicrodollars) + ". " + increaseOrWait("tag-budget"));
    }

    public TagBudgetExceededException(String tagKey, String tagValue, long limitMicrodollars, long spendMicrodollars,
                                      String message) {
        this(tagKey, tagValue, limitMicrodollars, spendMicrodollars, 0, 0, message);
    }

    /**
     * @param estimatedCostMicrodollars what the denied call could have cost
     * @param reservedMicrodollars      what calls in flight held against the budget; the call was
     *                                  denied because {@code spend + reserved + estimate > limit}
     */
    public TagBudgetExceededException(String tagKey, String tagValue, long limitMicrodollars, long spendMicrodollars,
                                      long estimatedCostMicrodollars, long reservedMicrodollars, String message) {
        super("tag_budget_exceeded", "tag-budget", tagKey, tagValue, message, limitMicrodollars,
                spendMicrodollars, estimatedCostMicrodollars, reservedMicrodollars);
    }

    public String tagKey() {
        return scopeKind;
    }

    public String tagValue() {
        return scopeName;
    }
}
