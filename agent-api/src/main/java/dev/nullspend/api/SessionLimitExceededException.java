package dev.nullspend.api;

/** The session's spend cap would be exceeded. Code {@code session_limit_exceeded}. */
public class SessionLimitExceededException extends NullSpendException {
    private static final long serialVersionUID = 1L;

    private final String sessionId;
    private final long sessionSpendMicrodollars;
    private final long sessionLimitMicrodollars;

    public SessionLimitExceededException(String sessionId, long sessionSpendMicrodollars, long sessionLimitMicrodollars) {
        this(sessionId, sessionSpendMicrodollars, sessionLimitMicrodollars,
                "Session limit exceeded for session " + sessionId + ": spent " + usd(sessionSpendMicrodollars)
                        + " of " + usd(sessionLimitMicrodollars) + ". Start a new session or raise "
                        + "nullspend.session.limit-usd. See " + Recovery.DOCS_BASE + "session-limit");
    }

    public SessionLimitExceededException(String sessionId, long sessionSpendMicrodollars, long sessionLimitMicrodollars,
                                         String message) {
        super("session_limit_exceeded", message, Recovery.none("session-limit"));
        this.sessionId = sessionId;
        this.sessionSpendMicrodollars = sessionSpendMicrodollars;
        this.sessionLimitMicrodollars = sessionLimitMicrodollars;
    }

    public String sessionId() {
        return sessionId;
    }

    public long sessionSpendMicrodollars() {
        return sessionSpendMicrodollars;
    }

    public long sessionLimitMicrodollars() {
        return sessionLimitMicrodollars;
    }
}
