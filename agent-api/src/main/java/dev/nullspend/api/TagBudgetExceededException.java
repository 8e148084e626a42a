package dev.nullspend.api;

/** A call would take spend past the budget of a tag ({@code key=value}). Code {@code tag_budget_exceeded}. */
public class TagBudgetExceededException extends NullSpendException {
    private static final long serialVersionUID = 1L;

    private final String tagKey;
    private final String tagValue;
    private final long limitMicrodollars;
    private final long spendMicrodollars;

    public TagBudgetExceededException(String tagKey, String tagValue, long limitMicrodollars, long spendMicrodollars) {
        this(tagKey, tagValue, limitMicrodollars, spendMicrodollars,
                "Tag budget exceeded for " + tagKey + "=" + tagValue + ". "
                        + usd(Math.max(0, limitMicrodollars - spendMicrodollars)) + " remaining (limit: "
                        + usd(limitMicrodollars) + ", spent: " + usd(spendMicrodollars)
                        + "). Raise the tag budget or wait for the next period. See "
                        + Recovery.DOCS_BASE + "tag-budget");
    }

    public TagBudgetExceededException(String tagKey, String tagValue, long limitMicrodollars, long spendMicrodollars,
                                      String message) {
        super("tag_budget_exceeded", message, Recovery.ownerAction("tag-budget"));
        this.tagKey = tagKey;
        this.tagValue = tagValue;
        this.limitMicrodollars = limitMicrodollars;
        this.spendMicrodollars = spendMicrodollars;
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
}
