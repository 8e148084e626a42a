package dev.nullspend.agent.guard;

import dev.nullspend.api.NullSpendException;

/**
 * Where the remote policy (the NullSpend API's {@code GET /api/policy} and
 * {@code GET /api/budgets/status}, docs/nullspend-api-contract.md#budget-status, #policy) comes from. The implementation
 * refreshes it in the background; the guard asks for the latest one on every admission, outside
 * its lock.
 *
 * <p>Between refreshes the guard adds the spend it settled itself since the last snapshot to the
 * remote budgets, so what is left goes down with every call, not only once a refresh.
 */
public interface PolicySource {

    /**
     * The latest policy, or {@code null} when none is known and local limits alone apply (not
     * fetched yet, or unreachable while failing open). Each refresh must return a new instance;
     * the guard recognises a refresh by identity. Answers without I/O; it may wait, bounded,
     * for the first fetch when failing closed.
     *
     * @throws NullSpendException the denial of every call while no usable policy is known and
     *                            enforcement must not go on without one ({@code nullspend.fail-mode=closed})
     */
    RemotePolicy current();
}
