package dev.nullspend.agent.guard;

import java.util.List;
import java.util.Map;

/**
 * What an admitted call holds until it ends: its estimate, against every limit that covers it.
 * End it exactly once: {@link #settle} with the actual cost when a response was costed (also an
 * estimated cost when usage was missing), or {@link #release} when the call failed or got a
 * non-2xx answer (it costs nothing). Further calls are ignored, so the adapter's paths may race.
 *
 * <p>A reservation that is never ended (a response the program dropped without closing) expires
 * after {@link Guard#RESERVATION_TTL_NANOS}: its hold is dropped so it cannot block budgets
 * forever; if the call does settle later, its actual cost still counts.
 */
public final class Reservation {
    /** An admission that holds nothing (enforcement off, nothing configured). */
    public static final Reservation NONE = new Reservation(null, 0, List.of(), List.of(), Map.of(), 0, null);

    enum State { LIVE, EXPIRED, DONE }

    /** A breaker window the estimate was counted in, to correct when the call ends. */
    record Counted(VelocityBreaker breaker, long window) {
    }

    /**
     * What the fleet's store holds for the call.
     *
     * @param holdId  its hold in the store, or {@code null} when the store did not answer (its cost is
     *                added there when the call ends: reconciliation)
     * @param limits  the shared limits that cover the call
     * @param windows per limit, the breaker window the estimate was counted in, or {@code null}
     * @param denial  the store's denial (a dry-run call goes on), or {@code null}
     */
    record Shared(String holdId, List<SharedLimits.Limit> limits, long[] windows,
                  dev.nullspend.api.NullSpendException denial) {
    }

    private final Guard guard;
    final long estimateMicros;
    final List<SpendAccount> holds;
    final List<Counted> counted;
    private final Map<String, String> tags;
    final long expiresAtNanos;
    /** Its part in the fleet's store (docs/fleet.md), or {@code null} outside fleet mode. */
    final Shared shared;
    /** Guarded by the guard's lock. */
    State state = State.LIVE;

    Reservation(Guard guard, long estimateMicros, List<SpendAccount> holds, List<Counted> counted,
                Map<String, String> tags, long expiresAtNanos, Shared shared) {
        this.shared = shared;
        this.guard = guard;
        this.estimateMicros = estimateMicros;
        this.holds = holds;
        this.counted = counted;
        this.tags = Map.copyOf(tags);
        this.expiresAtNanos = expiresAtNanos;
    }

    /** The estimate held; also what a call without usage is billed. */
    public long estimateMicros() {
        return estimateMicros;
    }

    /**
     * Tags to put on the call's cost event: {@code _ns_soft_block} ({@code type:id} of a soft_block
     * budget the call went past) and {@code _ns_dry_run} (the code of the denial dry-run let
     * through). Usually empty.
     */
    public Map<String, String> tags() {
        return tags;
    }

    /** The call was costed: replaces the held estimate by {@code actualMicros}. */
    public void settle(long actualMicros) {
        if (guard != null) {
            guard.end(this, actualMicros, true);
        }
    }

    /** The call failed or was refused by the provider: drops the hold, costs nothing. */
    public void release() {
        if (guard != null) {
            guard.end(this, 0, false);
        }
    }
}
