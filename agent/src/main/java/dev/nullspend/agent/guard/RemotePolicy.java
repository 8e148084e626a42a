package dev.nullspend.agent.guard;

import dev.nullspend.api.Money;

import java.util.ArrayList;
import java.util.List;

/**
 * One snapshot of the NullSpend API's limits for this API key, mapped from the wire by
 * {@link RemotePolicyJson}: the budgets of {@code GET /api/policy} and {@code GET /api/budgets/status},
 * the key's allowed models and providers, and the org's smallest session limit (docs/nullspend-api-contract.md
 * #budget-status, #policy). Immutable; each refresh is a new instance, which is how the guard recognises one.
 */
public final class RemotePolicy {
    /** At most one per entity ({@code type/id}). */
    final List<RemoteBudget> budgets;
    /** The key's mandates, or {@code null} when it may call any model of any provider. */
    final Mandates mandates;
    /** The smallest session limit of the org's budgets, or {@code null}. */
    final Long sessionLimitMicros;
    private final List<String> allowedModels;
    private final List<String> allowedProviders;

    /**
     * @param allowedModels    model patterns the key may use, or {@code null} for any
     * @param allowedProviders provider patterns the key may use, or {@code null} for any
     */
    RemotePolicy(List<RemoteBudget> budgets, List<String> allowedModels, List<String> allowedProviders,
                 Long sessionLimitMicros) {
        this.budgets = List.copyOf(budgets);
        this.allowedModels = allowedModels == null ? null : List.copyOf(allowedModels);
        this.allowedProviders = allowedProviders == null ? null : List.copyOf(allowedProviders);
        this.mandates = allowedModels == null && allowedProviders == null ? null
                : new Mandates(this.allowedModels, this.allowedProviders, Guard.REMOTE_MANDATE_FIX,
                Guard.REMOTE_MANDATE_FIX);
        this.sessionLimitMicros = sessionLimitMicros;
    }

    /**
     * What it limits, for the log: {@code "budgets api_key/key_123 ($4.20 of $5.00 left); allowed
     * models gpt-4o-mini; session limit $1.00"}, or {@code "no limits"}.
     */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (!budgets.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (RemoteBudget b : budgets) {
                long left = Math.max(0, b.rule().maxMicros() - b.spendMicros());
                names.add(b.rule().name() + " (" + Money.usd(left) + " of " + Money.usd(b.rule().maxMicros()) + " left)");
            }
            parts.add((budgets.size() == 1 ? "budget " : "budgets ") + String.join(", ", names));
        }
        if (allowedProviders != null) {
            parts.add("allowed providers " + (allowedProviders.isEmpty() ? "none" : String.join(", ", allowedProviders)));
        }
        if (allowedModels != null) {
            parts.add("allowed models " + (allowedModels.isEmpty() ? "none" : String.join(", ", allowedModels)));
        }
        if (sessionLimitMicros != null) {
            parts.add("session limit " + Money.usd(sessionLimitMicros));
        }
        return parts.isEmpty() ? "no limits" : String.join("; ", parts);
    }
}
