package dev.nullspend.api;

/** A call would take spend past a budget: of an entity ({@link BudgetExceededException}) or of a tag. */
abstract class BudgetLimitException extends SpendLimitException {
    private static final long serialVersionUID = 1L;

    /** What kind of scope the budget is on: the entity's type, or the tag's key. */
    final String scopeKind;

    BudgetLimitException(String code, String docsPage, String scopeKind, String scopeName, String message,
                         long limitMicrodollars, long spendMicrodollars, long estimatedCostMicrodollars,
                         long reservedMicrodollars) {
        super(code, message, Recovery.ownerAction(docsPage), scopeName, limitMicrodollars, spendMicrodollars,
                estimatedCostMicrodollars, reservedMicrodollars);
        this.scopeKind = scopeKind;
    }

    /** {@code "$1.20 remaining (limit: $5.00, spent: $3.80)"}: how a wire-style message states the budget. */
    static String remaining(long limitMicrodollars, long spendMicrodollars) {
        return usd(Math.max(0, limitMicrodollars - spendMicrodollars)) + " remaining (limit: " + usd(limitMicrodollars)
                + ", spent: " + usd(spendMicrodollars) + ")";
    }

    /** How a wire-style message ends: what to do, and the page of {@code docsPage}. */
    static String increaseOrWait(String docsPage) {
        return "Increase at https://nullspend.dev/app/budgets or wait for the next period. See " + Recovery.DOCS_BASE
                + docsPage;
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
}
