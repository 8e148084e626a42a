package dev.nullspend.api;

/** A call would take spend past the budget of a tag ({@code key=value}). Code {@code tag_budget_exceeded}. */
public class TagBudgetExceededException extends NullSpendException {
    private static final long serialVersionUID = 1L;

    private final String tagKey;
    private final String tagValue;
    private final long limitMicrodollars;
    private final long spendMicrodollars;
    private final long estimatedCostMicrodollars;
    private final long reservedMicrodollars;

    /** A denial reported by the NullSpend API or proxy, with the wire's message style. */
    public TagBudgetExceededException(String tagKey, String tagValue, long limitMicrodollars, long spendMicrodollars) {
        this(tagKey, tagValue, limitMicrodollars, spendMicrodollars,
                "Tag budget exceeded for " + tagKey + "=" + tagValue + ". "
                        + usd(Math.max(0, limitMicrodollars - spendMicrodollars)) + " remaining (limit: "
                        + usd(limitMicrodollars) + ", spent: " + usd(spendMicrodollars)
                        + "). Increase at https://nullspend.dev/app/budgets or wait for the next period. See "
                        + Recovery.DOCS_BASE + "tag-budget");
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
        super("tag_budget_exceeded", message, Recovery.ownerAction("tag-budget"));
        this.tagKey = tagKey;
        this.tagValue = tagValue;
        this.limitMicrodollars = limitMicrodollars;
        this.spendMicrodollars = spendMicrodollars;
        this.estimatedCostMicrodollars = estimatedCostMicrodollars;
        this.reservedMicrodollars = reservedMicrodollars;
    }

    public String tagKey() {
        return tagKey;
    }

    public String tagValue() {
        return tagValue;
    }

    public long limitMicrodollars() {
        return limitMicrodollars;
    }

    public long spendMicrodollars() {
        return spendMicrodollars;
    }

    public long remainingMicrodollars() {
        return Math.max(0, limitMicrodollars - spendMicrodollars);
    }

    /** What the denied call could have cost; 0 when the denial came from the API or proxy. */
    public long estimatedCostMicrodollars() {
        return estimatedCostMicrodollars;
    }

    /** Held by calls in flight when the call was denied; 0 when the denial came from the API or proxy. */
    public long reservedMicrodollars() {
        return reservedMicrodollars;
    }
}
