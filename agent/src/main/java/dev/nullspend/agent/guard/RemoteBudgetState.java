package dev.nullspend.agent.guard;

import dev.nullspend.agent.config.AgentConfig.ResetInterval;

import java.util.Objects;

/**
 * The live state of a budget of the remote policy. Each snapshot sets its spend to the API's
 * figure; the calls this process settles after that are added to it, as to a local budget, so
 * what is left goes down with every call, not once a refresh. The state lives on from snapshot to
 * snapshot while the budget is in them: holds of calls in flight, the breaker's windows and the
 * thresholds already logged carry over.
 *
 * <p>Its periods are the API's: the snapshot says when the current one ends. When that moment
 * passes before the next snapshot, spend starts again from zero, as the API counts an ended
 * period (docs/nullspend-api-contract.md#policy). Not thread-safe: the guard serialises access.
 */
final class RemoteBudgetState extends BudgetState {
    private long finalizationReserve;

    RemoteBudgetState(RemoteBudget snapshot, long nowMillis) {
        super(snapshot.rule());
        refresh(snapshot, nowMillis);
    }

    /** Takes a new snapshot of this budget: its rule, its spend, its period. */
    void refresh(RemoteBudget snapshot, long nowMillis) {
        BudgetRule next = snapshot.rule();
        if (!Objects.equals(next.velocity(), rule.velocity())) {
            breaker = next.velocity() == null ? null : new VelocityBreaker(next.velocity());
        }
        rule = next;
        finalizationReserve = snapshot.finalizationReserveMicros();
        if (snapshot.periodEndMillis() != periodEnd) {
            newPeriod(snapshot.periodStartMillis(), snapshot.periodEndMillis());
        }
        spend = snapshot.spendMicros();
        thresholdsLogged = thresholdsPassed(); // what the API already counted is not announced again
        roll(nowMillis);
    }

    @Override
    void roll(long nowMillis) {
        while (nowMillis >= periodEnd) {
            newPeriod(periodEnd, Periods.after(rule.resetInterval(), periodEnd));
        }
    }

    /** A strict budget keeps its finalization reserve back (docs/nullspend-api-contract.md#client-side-checks; there is no finalize call here). */
    @Override
    long admissionLimit() {
        return rule.policy() == BudgetRule.Policy.STRICT_BLOCK ? Math.max(0, rule.maxMicros() - finalizationReserve)
                : rule.maxMicros();
    }

    @Override
    String fix() {
        return "increase it at " + BudgetRule.APP_BUDGETS + resetHint();
    }

    @Override
    String period() {
        if (rule.resetInterval() == ResetInterval.NONE) {
            return periodEnd == Long.MAX_VALUE ? "" : " in the current period";
        }
        return super.period();
    }
}
