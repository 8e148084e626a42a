package dev.nullspend.api;

/**
 * A call would take spend past a limit (a budget, a tag's budget, a session's cap): the figures
 * every such denial carries. The call was denied because {@code spend + reserved + estimate > limit}.
 */
abstract class SpendLimitException extends NullSpendException {
    private static final long serialVersionUID = 1L;

    /** What the limit is on: the entity's id, the tag's value, the session's id. */
    final String scopeName;
    final long limitMicrodollars;
    final long spendMicrodollars;
    private final long estimatedCostMicrodollars;
    private final long reservedMicrodollars;

    SpendLimitException(String code, String message, Recovery recovery, String scopeName, long limitMicrodollars,
                        long spendMicrodollars, long estimatedCostMicrodollars, long reservedMicrodollars) {
        super(code, message, recovery);
        this.scopeName = scopeName;
        this.limitMicrodollars = limitMicrodollars;
        this.spendMicrodollars = spendMicrodollars;
        this.estimatedCostMicrodollars = estimatedCostMicrodollars;
        this.reservedMicrodollars = reservedMicrodollars;
    }

    /** What the denied call could have cost; 0 when the API or proxy that denied it did not say. */
    public long estimatedCostMicrodollars() {
        return estimatedCostMicrodollars;
    }

    /**
     * Held by calls in flight (of the same session, for a session cap) when the call was denied; 0 when
     * the denial came from the API or proxy.
     */
    public long reservedMicrodollars() {
        return reservedMicrodollars;
    }
}
