package dev.nullspend.agent.guard;

import dev.nullspend.agent.config.ConfigKeys;
import dev.nullspend.api.BudgetExceededException;
import dev.nullspend.api.Money;
import dev.nullspend.api.NullSpendException;
import dev.nullspend.api.Recovery;
import dev.nullspend.api.SessionLimitExceededException;
import dev.nullspend.api.TagBudgetExceededException;

import java.util.List;

/**
 * The spend denials, with messages in the NullSpend style (docs/nullspend-api-contract.md#denials): what was
 * refused, why in exact figures (dollars as {@link Money#usd} shows them), how to fix it, and the documentation page.
 */
final class Denials {
    private Denials() {
    }

    /**
     * A budget denial: {@link TagBudgetExceededException} for a tag budget, else
     * {@link BudgetExceededException} (user, api_key, customer).
     *
     * @param finalizationReserve part of the limit kept back for finishing work (remote strict budgets), or 0
     * @param period a phrase naming the period spend counts in ({@code " in the current daily period"}), or ""
     * @param fix    what the owner can do, e.g. {@code "raise nullspend.budget.limit-usd"}
     */
    static NullSpendException budget(String entityType, String entityId, long limit, long spend, long reserved,
                                     long estimate, long finalizationReserve, String period, String fix) {
        String why = shortfall(estimate, limit, spend, reserved, finalizationReserve, period) + " " + capitalised(fix)
                + ". See "
                + Recovery.DOCS_BASE;
        int eq = entityId.indexOf('=');
        if (BudgetRule.EntityType.TAG.wire.equals(entityType) && eq > 0) {
            return new TagBudgetExceededException(entityId.substring(0, eq), entityId.substring(eq + 1), limit, spend,
                    estimate, reserved, "Tag budget exceeded for " + entityId + ": " + why + "tag-budget");
        }
        return new BudgetExceededException(entityType, entityId, limit, spend, estimate, reserved,
                "Budget exceeded on " + entityType + "/" + entityId + ": " + why + "budget-exceeded");
    }

    /** A session limit denial; {@code fix} names where the limit is set. */
    static SessionLimitExceededException session(String sessionId, long limit, long spend, long reserved,
                                                 long estimate, String limitSetting) {
        return new SessionLimitExceededException(sessionId, spend, limit, estimate, reserved,
                "Session limit exceeded for session " + sessionId + ": " + shortfall(estimate, limit, spend, reserved, 0, "")
                        + " Start a new session (another nullspend.session.id) or raise " + limitSetting + ". See "
                        + Recovery.DOCS_BASE + "session-limit");
    }

    /**
     * The denial of every call while limit settings are invalid and {@code nullspend.fail-mode=closed}:
     * not retryable (nothing changes until someone fixes the configuration and restarts).
     */
    static NullSpendException configInvalid(List<String> settings) {
        return new NullSpendException(Guard.CONFIG_INVALID_CODE, "Configuration invalid: " + String.join(", ", settings)
                + (settings.size() == 1 ? " has an invalid value" : " have invalid values") + " (named in the agent's"
                + " start-up log), and " + ConfigKeys.FAIL_MODE + "=closed denies LLM calls until the configuration is"
                + " fixed. Fix the value and restart, or set " + ConfigKeys.FAIL_MODE + "=open to go on with the valid"
                + " limits only.", new Recovery(false, true, null, null));
    }

    /**
     * The denial of a call while fleet mode's store cannot answer and {@code nullspend.fail-mode=closed}
     * (docs/fleet.md): retryable, as the store usually comes back.
     */
    static NullSpendException fleetUnavailable(String why) {
        return new NullSpendException(Guard.BUDGET_UNAVAILABLE_CODE, "Shared budgets unavailable: " + why + ", and "
                + ConfigKeys.FAIL_MODE + "=closed denies LLM calls that the fleet's budgets cannot check. Check that "
                + ConfigKeys.REDIS_URL + " answers within " + ConfigKeys.REDIS_TIMEOUT_MS + ", or set " + ConfigKeys.FAIL_MODE
                + "=open to go on with this process's own spend while it cannot. Retry in 1s.",
                new Recovery(true, false, 1, null));
    }

    /** {@code "this call may cost up to $0.18 but only $0.12 of the $5.00 limit is left ($4.58 spent, $0.30 held by calls in flight)."} */
    static String shortfall(long estimate, long limit, long spend, long reserved, long finalizationReserve,
                            String period) {
        long left = Math.max(0, limit - finalizationReserve - spend - reserved);
        return "this call may cost up to " + Money.usd(estimate) + " but only " + Money.usd(left) + " of the "
                + Money.usd(limit) + " limit is left (" + Money.usd(spend) + " spent" + period
                + (reserved > 0 ? ", " + Money.usd(reserved) + " held by calls in flight" : "")
                + (finalizationReserve > 0 ? ", " + Money.usd(finalizationReserve) + " kept back as the finalization reserve"
                : "") + ").";
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
