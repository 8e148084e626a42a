package dev.nullspend.agent.guard;

import java.util.List;

/**
 * Limits whose spend a fleet of processes shares (fleet mode, docs/fleet.md): one atomic admission
 * that checks every limit a call falls under and holds its estimate on all of them, or names the
 * first that denies it with the store's figures. The guard decides which limits cover a call and
 * turns a denial into its typed exception ({@link SharedCheck}); the store only counts.
 */
public interface SharedLimits {

    /** The store cannot answer within its timeout (down, slow, or marked down until it reconnects). */
    final class Unavailable extends Exception {
        public Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    /** Kinds of shared limit. */
    enum Kind {
        /** Spend and holds against a limit ({@code p1}: 1 when it denies, 0 when it only reports; {@code p2}: key expiry). */
        ACCOUNT,
        /** A velocity breaker ({@code p1}: window in ms, {@code p2}: cool-down in ms). */
        VELOCITY
    }

    /**
     * One limit as the store sees it.
     *
     * @param key   its key under the store's prefix
     * @param p2    for an account, when its key expires: positive an instant (epoch ms), negative an
     *              idle time (ms) renewed on each use, 0 never
     */
    record Limit(Kind kind, String key, long limitMicros, long p1, long p2) {
    }

    /**
     * What the store answered.
     *
     * @param held      true when the estimate is now held (admitted, or let through by dry-run)
     * @param denied    index (0-based) in the limits of the first that denies the call, or -1
     * @param figure1   an account's spend; a breaker's weighted spend
     * @param figure2   an account's holds; a breaker's remaining cool-down in ms
     * @param opened    true when a breaker denied because it was already open (else it tripped now)
     * @param over      per limit: true when a reporting account would be exceeded (soft_block, warn)
     * @param windows   per limit: the breaker window the estimate was counted in, or -1
     */
    record Answer(boolean held, int denied, long figure1, long figure2, boolean opened, boolean[] over, long[] windows) {
    }

    /** A new id for a hold; unique across the fleet. */
    String newHoldId();

    /**
     * Checks the limits and holds {@code estimateMicros} on each (as {@code holdId}, released after the
     * store's hold expiry unless settled), or denies; with {@code force} (dry-run) it holds even when a
     * limit denies. At most one round trip, bounded by the store's timeout.
     */
    Answer admit(String holdId, long estimateMicros, boolean force, List<Limit> limits) throws Unavailable;

    /**
     * Ends a hold: replaces it by {@code actualMicros} on every account of {@code limits} and corrects
     * the breaker windows it was counted in. {@code holdId} {@code null}: a call admitted while the
     * store could not answer, whose cost is only added (reconciliation). Asynchronous, never throws:
     * queued and sent when the store answers.
     */
    void settle(String holdId, long estimateMicros, long actualMicros, List<Limit> limits, long[] windows);

    /** Sends what is still queued (bounded), then stops its background work: at the program's exit. */
    void close();
}
