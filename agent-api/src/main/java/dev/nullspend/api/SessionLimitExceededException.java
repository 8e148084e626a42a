package dev.nullspend.api;

/** The session's spend cap would be exceeded. Code {@code session_limit_exceeded}. */
public class SessionLimitExceededException extends SpendLimitException {
    private static final long serialVersionUID = 1L;

    /** A denial reported by the NullSpend API or proxy. */
    public SessionLimitExceededException(String sessionId, long sessionSpendMicrodollars, long sessionLimitMicrodollars) {
        this(sessionId, sessionSpendMicrodollars, sessionLimitMicrodollars,
                "Session limit exceeded for session " + sessionId + ": spent " + usd(sessionSpendMicrodollars)
                        + " of " + usd(sessionLimitMicrodollars) + ". Start a new session or raise the session "
                        + "limit at https://nullspend.dev/app/budgets. See " + Recovery.DOCS_BASE + "session-limit");
    }

    public SessionLimitExceededException(String sessionId, long sessionSpendMicrodollars, long sessionLimitMicrodollars,
                                         String message) {
        this(sessionId, sessionSpendMicrodollars, sessionLimitMicrodollars, 0, 0, message);
    }

    /**
     * @param estimatedCostMicrodollars what the denied call could have cost
     * @param reservedMicrodollars      what the session's calls in flight held; the call was denied
     *                                  because {@code spend + reserved + estimate > limit}
     */
    public SessionLimitExceededException(String sessionId, long sessionSpendMicrodollars, long sessionLimitMicrodollars,
                                         long estimatedCostMicrodollars, long reservedMicrodollars, String message) {
        super("session_limit_exceeded", message, Recovery.none("session-limit"), sessionId, sessionLimitMicrodollars,
                sessionSpendMicrodollars, estimatedCostMicrodollars, reservedMicrodollars);
    }

    public String sessionId() {
        return scopeName;
    }

    public long sessionSpendMicrodollars() {
        return spendMicrodollars;
    }

    public long sessionLimitMicrodollars() {
        return limitMicrodollars;
    }
}
