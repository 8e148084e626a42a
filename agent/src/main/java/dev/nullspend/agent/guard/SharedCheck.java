package dev.nullspend.agent.guard;

import dev.nullspend.api.NullSpendException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One call's limits in fleet mode (docs/fleet.md), as the guard matched them: the process
 * breaker, each covering budget of this configuration (its breaker, then its spend), and the
 * session limit. It names them for the {@link SharedLimits} store and turns the store's answer
 * back into the guard's own denials, so a fleet denial carries the same exception and figures as
 * a local one. The remote policy's budgets are not among them: the NullSpend API counts those.
 */
final class SharedCheck {
    /** How long a budget's key outlives its period: calls still running when it ends settle into it. */
    static final long PERIOD_KEY_GRACE_MILLIS = 60L * 60 * 1000;

    /** The session limit of a call and where it is set, for its denial. */
    record SessionLimit(Sessions.Account session, long limitMicros, String setting) {
    }

    private final List<SharedLimits.Limit> limits = new ArrayList<>();
    /** Per limit: its {@link VelocityBreaker}, {@link BudgetState} or {@link SessionLimit}. */
    private final List<Object> sources = new ArrayList<>();

    SharedCheck(VelocityBreaker process, List<BudgetState> covering, SessionLimit session) {
        if (process != null) {
            addBreaker("process", process);
        }
        for (BudgetState b : covering) {
            if (b.breaker != null && !(b instanceof RemoteBudgetState)) {
                addBreaker(b.rule.name(), b.breaker);
            }
        }
        if (session != null) {
            limits.add(new SharedLimits.Limit(SharedLimits.Kind.ACCOUNT, "s:" + clean(session.session().sessionId),
                    session.limitMicros(), 1, -Sessions.IDLE_MILLIS));
            sources.add(session);
        }
        for (BudgetState b : covering) {
            if (b instanceof RemoteBudgetState) {
                continue;
            }
            String period = b.periodStart == Long.MIN_VALUE ? "all" : Instant.ofEpochMilli(b.periodStart).toString();
            long expiry = b.periodEnd == Long.MAX_VALUE ? 0 : b.periodEnd + PERIOD_KEY_GRACE_MILLIS;
            limits.add(new SharedLimits.Limit(SharedLimits.Kind.ACCOUNT, "b:" + clean(b.rule.name()) + ":" + period,
                    b.admissionLimit(), b.rule.policy() == BudgetRule.Policy.STRICT_BLOCK ? 1 : 0, expiry));
            sources.add(b);
        }
    }

    private void addBreaker(String name, VelocityBreaker breaker) {
        VelocityBreaker.Settings s = breaker.settings();
        limits.add(new SharedLimits.Limit(SharedLimits.Kind.VELOCITY, "v:" + clean(name) + ":" + s.windowSeconds() + "s",
                s.limitMicros(), s.windowSeconds() * 1000L, s.cooldownSeconds() * 1000L));
        sources.add(breaker);
    }

    /** A hold record lists its keys one a line: no key may hold a line break. */
    private static String clean(String s) {
        return s.replace('\n', '_').replace('\r', '_');
    }

    List<SharedLimits.Limit> limits() {
        return limits;
    }

    boolean isEmpty() {
        return limits.isEmpty();
    }

    /** The typed denial of the answer, with the store's figures, or {@code null} when none denies the call. */
    NullSpendException denial(SharedLimits.Answer answer, long estimate) {
        if (answer.denied() < 0) {
            return null;
        }
        Object source = sources.get(answer.denied());
        if (source instanceof VelocityBreaker breaker) {
            return answer.opened() ? breaker.openDenial(answer.figure1(), answer.figure2() * 1_000_000L)
                    : breaker.tripDenial(answer.figure1(), estimate);
        }
        if (source instanceof SessionLimit s) {
            return Denials.session(s.session().sessionId, s.limitMicros(), answer.figure1(), answer.figure2(), estimate,
                    s.setting());
        }
        return ((BudgetState) source).denial(estimate, answer.figure1(), answer.figure2());
    }

    /** The budgets (soft_block, warn) the call goes past, in denial priority order. */
    List<BudgetState> overruns(SharedLimits.Answer answer) {
        List<BudgetState> out = new ArrayList<>(0);
        for (int i = 0; i < sources.size(); i++) {
            if (answer.over()[i]) {
                out.add((BudgetState) sources.get(i));
            }
        }
        return out;
    }
}
