package dev.nullspend.agent.guard;

import java.util.List;

/**
 * One snapshot of the remote policy (nullspend-api.md §11.4), already mapped from the wire.
 *
 * @param budget             the org's most restrictive budget, or {@code null} for none (unlimited)
 * @param allowedModels      model patterns the API key may use, or {@code null} for any
 * @param allowedProviders   provider patterns the API key may use, or {@code null} for any
 * @param sessionLimitMicros the smallest session limit of the org's budgets, or {@code null}
 */
public record RemotePolicy(Budget budget, List<String> allowedModels, List<String> allowedProviders,
                           Long sessionLimitMicros) {

    /**
     * @param spendMicros spend when the snapshot was taken; the guard adds its own spend since
     */
    public record Budget(String entityType, String entityId, long maxMicros, long spendMicros) {
    }

    public RemotePolicy {
        allowedModels = allowedModels == null ? null : List.copyOf(allowedModels);
        allowedProviders = allowedProviders == null ? null : List.copyOf(allowedProviders);
    }
}
