package dev.nullspend.agent.guard;

/**
 * Spend settled against one limit and the estimates that calls in flight hold against it.
 * Subclasses add what their limit needs (calendar periods, session idleness). Not thread-safe:
 * the guard serialises access.
 */
class SpendAccount {
    long spend;
    long reserved;

    /** Holds an admitted call's estimate. */
    void hold(long estimateMicros, long nowMillis) {
        reserved += estimateMicros;
    }

    /** Drops a hold (the call settled, failed, or its reservation expired). */
    void unhold(long estimateMicros) {
        reserved = Math.max(0, reserved - estimateMicros);
    }

    /** Adds settled spend. */
    void charge(long micros, long nowMillis, Notes notes) {
        spend += micros;
    }

    /** True when a call with this estimate would take spend past {@code limitMicros}. */
    boolean wouldExceed(long limitMicros, long estimateMicros) {
        return spend + reserved + estimateMicros > limitMicros;
    }
}
