package dev.nullspend.api;

/**
 * What a program can do about a denial: retry later, or ask the budget owner to act.
 *
 * @param retryable           true when the same call may succeed later without anyone acting
 * @param ownerActionRequired true when a person must raise a limit or change a policy
 * @param retryAfterSeconds   seconds to wait before retrying, or {@code null} when not retryable
 * @param docs                a page that explains the denial
 */
public record Recovery(boolean retryable, boolean ownerActionRequired, Integer retryAfterSeconds, String docs) {

    /** Base of the per-code documentation pages. */
    public static final String DOCS_BASE = "https://nullspend.dev/docs/errors/";

    /** A denial that clears by itself after {@code retryAfterSeconds}. */
    public static Recovery retryAfter(int retryAfterSeconds, String docsPage) {
        return new Recovery(true, false, retryAfterSeconds, DOCS_BASE + docsPage);
    }

    /** A denial that stays until the budget owner acts. */
    public static Recovery ownerAction(String docsPage) {
        return new Recovery(false, true, null, DOCS_BASE + docsPage);
    }

    /** A denial that neither clears by itself nor is the owner's to fix (e.g. a session cap). */
    public static Recovery none(String docsPage) {
        return new Recovery(false, false, null, DOCS_BASE + docsPage);
    }
}
