package dev.nullspend.agent.guard;

/**
 * Where a remote policy (the NullSpend API's {@code GET /api/policy}, nullspend-api.md §11.4)
 * comes from. The implementation refreshes it in the background (the reference client caches it
 * for 60 s); the guard asks for the latest one on every admission, so {@link #current()} must
 * answer at once, without I/O.
 *
 * <p>Between refreshes the guard adds the spend it settled itself since the last snapshot, so
 * the remote budget's remaining amount goes down with every call, not only once a minute.
 */
public interface PolicySource {

    /**
     * The latest policy, or {@code null} when none is known (not fetched yet, or unreachable and
     * failing open): then only local limits apply. Each refresh must return a new instance; the
     * guard recognises a refresh by identity.
     */
    RemotePolicy current();
}
