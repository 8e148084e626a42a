package dev.nullspend.agent.guard;

import dev.nullspend.agent.config.AgentConfig.ResetInterval;
import dev.nullspend.api.Money;
import dev.nullspend.api.NullSpendException;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The live state of one budget: spend in the current period, holds of calls in flight, its
 * breaker, and which spend thresholds were already logged this period. Spend starts again from
 * zero when the period rolls over; holds stay, since those calls are still running. A local
 * budget's periods are UTC calendar periods; {@link RemoteBudgetState} follows the NullSpend
 * API's. Not thread-safe: the guard serialises access.
 */
class BudgetState extends SpendAccount {
    /** Fixed for a local budget; a remote one takes the rule of each refreshed snapshot. */
    BudgetRule rule;
    /** The budget's own breaker, or {@code null}. */
    VelocityBreaker breaker;
    long periodStart = Long.MIN_VALUE;
    long periodEnd = Long.MIN_VALUE;
    int thresholdsLogged;
    private boolean overrunLogged;

    BudgetState(BudgetRule rule) {
        this.rule = rule;
        this.breaker = rule.velocity() == null ? null : new VelocityBreaker(rule.velocity());
    }

    /** Moves to the period containing {@code nowMillis} when the current one has ended. */
    void roll(long nowMillis) {
        if (nowMillis < periodEnd) {
            return;
        }
        newPeriod(Periods.start(rule.resetInterval(), nowMillis), Periods.end(rule.resetInterval(), nowMillis));
    }

    /** Starts a period: spend from zero, thresholds and the overrun warning logged afresh. */
    final void newPeriod(long start, long end) {
        periodStart = start;
        periodEnd = end;
        spend = 0;
        thresholdsLogged = 0;
        overrunLogged = false;
    }

    /** The spend a call may take this budget to: its limit (a remote strict budget keeps its finalization reserve back). */
    long admissionLimit() {
        return rule.maxMicros();
    }

    @Override
    void charge(long micros, long nowMillis, Notes notes) {
        roll(nowMillis);
        super.charge(micros, nowMillis, notes);
        int passed = thresholdsPassed();
        if (passed > thresholdsLogged) {
            thresholdsLogged = passed;
            int percent = rule.thresholdPercentages().get(passed - 1);
            String line = "budget " + rule.name() + " has reached " + percent + "% of its limit: " + Money.usd(spend)
                    + " of " + Money.usd(rule.maxMicros()) + " spent" + period();
            if (percent >= 90) {
                notes.warn(line);
            } else {
                notes.info(line);
            }
        }
    }

    /** After a restore: thresholds already passed are not logged again; returns a summary line. */
    String restored(String ledger) {
        thresholdsLogged = thresholdsPassed();
        return "budget " + rule.name() + ": " + Money.usd(spend) + " of " + Money.usd(rule.maxMicros())
                + " already spent" + period() + " (from " + ledger + ")";
    }

    /** True the first time in a period that a call would exceed this budget (soft_block and warn log it once). */
    boolean firstOverrunInPeriod() {
        if (overrunLogged) {
            return false;
        }
        overrunLogged = true;
        return true;
    }

    /** The denial of a call with this estimate under a strict policy. */
    NullSpendException denial(long estimateMicros) {
        return denial(estimateMicros, spend, reserved);
    }

    /** The same denial with the spend and holds another counter saw (the fleet's, docs/fleet.md). */
    NullSpendException denial(long estimateMicros, long spendMicros, long reservedMicros) {
        return Denials.budget(rule.entityType().wire, rule.entityId(), rule.maxMicros(), spendMicros, reservedMicros,
                estimateMicros, rule.maxMicros() - admissionLimit(), period(), fix());
    }

    /** What the owner can do about a denial. */
    String fix() {
        return "raise " + rule.setting("maxBudgetMicrodollars") + resetHint();
    }

    /** {@code ", or wait for the reset at <instant>"} when the period ends, else nothing. */
    final String resetHint() {
        return periodEnd == Long.MAX_VALUE || periodEnd == Long.MIN_VALUE ? ""
                : ", or wait for the reset at " + Instant.ofEpochMilli(periodEnd);
    }

    /** Why a call with this estimate goes past the budget, for the soft_block and warn log lines. */
    String overrun(long estimateMicros) {
        return "budget " + rule.name() + " would be exceeded: " + Money.usd(spend) + " spent" + period()
                + (reserved > 0 ? " + " + Money.usd(reserved) + " held by calls in flight" : "") + " + "
                + Money.usd(estimateMicros) + " for this call > " + Money.usd(rule.maxMicros()) + " limit";
    }

    BudgetStatus status() {
        boolean periodic = rule.resetInterval() != ResetInterval.NONE;
        return new BudgetStatus(rule.entityType().wire, rule.entityId(), rule.policy().wire(),
                periodic ? rule.resetInterval().name().toLowerCase(Locale.ROOT) : null,
                periodic ? Instant.ofEpochMilli(periodStart) : null, rule.maxMicros(), spend, reserved);
    }

    int thresholdsPassed() {
        List<Integer> thresholds = rule.thresholdPercentages();
        if (rule.maxMicros() <= 0) {
            return 0;
        }
        int passed = 0;
        while (passed < thresholds.size() && spend * 100 >= rule.maxMicros() * thresholds.get(passed)) {
            passed++;
        }
        return passed;
    }

    /** {@code " in the current daily period"}, or nothing for a budget without a reset interval. */
    String period() {
        return rule.resetInterval() == ResetInterval.NONE ? ""
                : " in the current " + rule.resetInterval().name().toLowerCase(Locale.ROOT) + " period";
    }
}
